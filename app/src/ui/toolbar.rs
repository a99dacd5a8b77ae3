//! The toolbar: brush and eraser, brush size, undo, redo, clear, share,
//! PNG downloads and the style picker.

use art::Style;
use leptos::prelude::*;
use art::IMAGE_SIZE;

use super::icons::{self, icon};
use super::state::{Export, ModelState, Page, page};
use crate::doodle::Doodle;
use crate::export;
use crate::share;
use ink::{MAX_BRUSH, MIN_BRUSH, Tool, rasterise};

/// The share link's fragment for the doodle as it is now.
fn fragment(page: Page) -> Result<String, share::ShareError> {
    let (style, seed, blend) = (page.style.get_untracked(), page.seed.get_untracked(), untrack(move || page.blend()));
    page.doodle.with_untracked(|d| share::encode(style.id(), blend.as_ref(), d.strokes(), seed))
}

/// What a saved file is of, with the link that reopens it.
fn saving(page: Page) -> export::Saving {
    export::Saving {
        style: page.style.get_untracked().id().into(),
        blend: untrack(move || page.blend()),
        link: fragment(page).ok().map(|fragment| share::link_with(&fragment)),
    }
}

/// Makes a link to the doodle and shares or copies it.
fn share_doodle(page: Page) {
    match fragment(page) {
        Ok(fragment) => {
            let link = share::link_with(&fragment);
            page.shared_link.set(Some(link.clone()));
            leptos::task::spawn_local(async move {
                let said = share::share_or_copy(link).await;
                page.notice.set((!said.is_empty()).then_some(said));
            });
        }
        Err(problem) => {
            page.shared_link.set(None);
            page.notice.set(Some(problem.to_string()));
        }
    }
}

/// Side of a saved brushwork, in pixels.
pub const EXPORT_SIZE: u32 = 1024;

/// Downloads the painting alone, or beside its doodle: with brushwork on, the
/// brushwork at [`EXPORT_SIZE`] (the worker paints it, then
/// [`save_brushwork`] saves it), else the generator's own painting.
fn save_png(page: Page, with_doodle: bool) {
    let job = page.painted_job.get_untracked();
    if page.brushwork.get_untracked() && job > 0 {
        page.export.set(Some(Export { job, seed: page.seed.get_untracked(), with_doodle }));
        return;
    }
    let Some(canvas) = page.painting.get_untracked() else { return };
    let rgba = with_doodle.then(|| page.doodle.with_untracked(|d| rasterise(d.strokes(), IMAGE_SIZE as u32)));
    report(page, export::save(rgba.as_deref(), &canvas, IMAGE_SIZE as u32, &saving(page)));
}

/// Saves the brushwork of painting `job` that a save asked for.
pub fn save_brushwork(page: Page, job: u64, seed: u64, size: u32, painting: Vec<u8>, millis: f64) {
    let Some(asked) = page.export.get_untracked().filter(|export| (export.job, export.seed) == (job, seed)) else { return };
    page.export.set(None);
    if let Some(canvas) = page.brushwork_canvas.get_untracked() {
        // For tests and curious people, as `data-millis` for the shown brushwork.
        let _ = canvas.set_attribute("data-export-millis", &format!("{millis:.0}"));
    }
    let result = export::canvas_of(&painting, size).and_then(|canvas| {
        let doodle = asked.with_doodle.then(|| page.doodle.with_untracked(|d| rasterise(d.strokes(), size)));
        export::save(doodle.as_deref(), &canvas, size, &saving(page))
    });
    report(page, result);
}

fn report(page: Page, result: Result<(), String>) {
    if let Err(problem) = result {
        page.notice.set(Some(format!("the PNG could not be made: {problem}")));
    }
}

#[component]
fn ToolButton(tool: Tool, icon_path: &'static str, label: &'static str, title: &'static str) -> impl IntoView {
    let page = page();
    view! {
        <button
            aria-pressed=move || (page.tool.get() == tool).to_string()
            title=title
            on:click=move |_| page.tool.set(tool)
        >{icon(icon_path)}<span class="label">{label}</span></button>
    }
}

/// The styles the model reported; until it is ready, only `current`.
fn style_options(page: Page, current: Option<Style>) -> Vec<crate::protocol::StyleOption> {
    match page.model.get() {
        ModelState::Ready { styles, .. } => styles,
        _ => current
            .map(|style| crate::protocol::StyleOption { id: style.id().into(), label: style.label().into() })
            .into_iter()
            .collect(),
    }
}

/// A style `<select>`'s options, `selected` marking the chosen one.
fn option_views(options: Vec<crate::protocol::StyleOption>, selected: impl Fn() -> Option<Style> + Copy + Send + Sync + 'static) -> impl IntoView {
    options
        .into_iter()
        .map(|option| {
            let id = option.id.clone();
            let selected = move || selected().is_some_and(|style| style.id() == id);
            view! { <option value=option.id prop:selected=selected>{option.label}</option> }
        })
        .collect_view()
}

#[component]
fn StylePicker() -> impl IntoView {
    let page = page();
    view! {
        <label>
            <span class="label">"Style"</span>
            <select
                class="style"
                disabled=move || !page.model.with(ModelState::is_ready)
                on:change=move |event| {
                    if let Some(style) = Style::from_id(&event_target_value(&event)) {
                        page.style.set(style);
                    }
                }
            >
                {move || option_views(style_options(page, Some(page.style.get())), move || Some(page.style.get()))}
            </select>
        </label>
    }
}

/// A second style and how much of it: the painting follows the slider
/// while it is dragged.
#[component]
fn BlendPicker() -> impl IntoView {
    let page = page();
    let no_blend = move || page.blend_to.get().is_none() || !page.model.with(ModelState::is_ready);
    view! {
        <label title="Mix a second style into the painting">
            <span class="label">"Blend with"</span>
            <select
                class="blend-with"
                disabled=move || !page.model.with(ModelState::is_ready)
                on:change=move |event| page.blend_to.set(Style::from_id(&event_target_value(&event)))
            >
                <option value="" prop:selected=move || page.blend_to.get().is_none()>"no other style"</option>
                {move || option_views(style_options(page, page.blend_to.get()), move || page.blend_to.get())}
            </select>
        </label>
        <label title="How much of the second style">
            <span class="visually-hidden">"Blend amount"</span>
            <input
                type="range"
                class="blend-amount"
                min="0"
                max="100"
                step="1"
                disabled=no_blend
                prop:value=move || page.blend_percent.get().to_string()
                on:input=move |event| {
                    if let Ok(percent) = event_target_value(&event).parse::<u8>() {
                        page.blend_percent.set(percent.min(100));
                    }
                }
            />
            <output class="blend">{move || format!("{}%", page.blend_percent.get())}</output>
        </label>
    }
}

/// **Import**: a photo or scan of a sketch (the file picker, which offers
/// the camera on phones) becomes strokes, traced by the worker.
#[component]
fn ImportButton() -> impl IntoView {
    let page = page();
    let input = NodeRef::<leptos::html::Input>::new();
    let chosen = move |_| {
        let Some(file) = input.get_untracked().and_then(|input| input.files()).and_then(|files| files.get(0)) else { return };
        if let Some(input) = input.get_untracked() {
            // The same file again is a new choice.
            input.set_value("");
        }
        page.importing.set(true);
        leptos::task::spawn_local(async move {
            if let Some(link) = crate::import::saved_link(&file).await {
                page.importing.set(false);
                let fragment = link.rsplit_once('#').map_or(link.as_str(), |(_, fragment)| fragment);
                let notice = super::open_link(page, fragment).unwrap_or_else(super::link_problem);
                page.notice.set(Some(notice.unwrap_or_else(|| "Opened the drawing this painting was saved from (Undo brings back the page as it was)".into())));
                return;
            }
            match crate::import::read_picture(file).await {
                Ok(picture) => {
                    page.import_picture.set_value(Some(picture));
                    page.import_job.update(|job| *job += 1);
                }
                Err(why) => {
                    page.importing.set(false);
                    page.notice.set(Some(format!("Nothing was imported: {why}")));
                }
            }
        });
    };
    view! {
        <input node_ref=input type="file" accept="image/*" class="import-file" hidden on:change=chosen />
        <button
            title="Import a photo or scan of a pen or pencil sketch as strokes"
            disabled=move || !page.model.with(ModelState::is_ready) || page.importing.get()
            on:click=move |_| {
                if let Some(input) = input.get_untracked() {
                    input.click();
                }
            }
        >{icon(icons::IMPORT)}<span class="label">{move || if page.importing.get() { "Importing…" } else { "Import" }}</span></button>
    }
}

#[component]
pub fn Toolbar() -> impl IntoView {
    let page = page();
    let doodle = page.doodle;
    let nothing_painted = move || page.painted_job.get() == 0;
    let nothing_to_replay = move || !page.model.with(ModelState::is_ready) || doodle.with(Doodle::is_empty);
    view! {
        <div class="toolbar" role="toolbar" aria-label="Drawing tools">
            <ToolButton tool=Tool::Brush icon_path=icons::BRUSH label="Brush" title="Brush (B)" />
            <ToolButton tool=Tool::Eraser icon_path=icons::ERASER label="Eraser" title="Eraser (E)" />
            <label title="Brush size ([ and ])">
                {icon(icons::SIZE)}
                <span class="label">"Size"</span>
                <input
                    type="range"
                    min=MIN_BRUSH
                    max=MAX_BRUSH
                    step="1"
                    prop:value=move || page.brush.get().to_string()
                    on:input=move |event| {
                        if let Ok(size) = event_target_value(&event).parse::<f32>() {
                            page.set_brush(size);
                        }
                    }
                />
                <output>{move || page.brush.get().to_string()}</output>
            </label>
            <button
                title="Undo (Ctrl+Z)"
                disabled=move || !doodle.with(Doodle::can_undo)
                on:click=move |_| doodle.update(|d| { d.undo(); })
            >{icon(icons::UNDO)}<span class="label">"Undo"</span></button>
            <button
                title="Redo (Ctrl+Shift+Z)"
                disabled=move || !doodle.with(Doodle::can_redo)
                on:click=move |_| doodle.update(|d| { d.redo(); })
            >{icon(icons::REDO)}<span class="label">"Redo"</span></button>
            <button
                title="Clear the page (undoable)"
                disabled=move || doodle.with(Doodle::is_empty)
                on:click=move |_| doodle.update(Doodle::clear)
            >{icon(icons::CLEAR)}<span class="label">"Clear"</span></button>
            <button title="Copy a link that opens this doodle and its painting" on:click=move |_| share_doodle(page)>
                {icon(icons::SHARE)}<span class="label">"Share"</span>
            </button>
            <button title="Save the painting as a PNG" disabled=nothing_painted on:click=move |_| save_png(page, false)>
                {icon(icons::SAVE)}<span class="label">"Save painting"</span>
            </button>
            <button
                title="Save the doodle beside its painting as one PNG"
                disabled=nothing_painted
                on:click=move |_| save_png(page, true)
            >{icon(icons::SAVE_BOTH)}<span class="label">"Save both"</span></button>
            <ImportButton />
            <button
                title="Play the drawing back stroke by stroke, its painting growing beside it"
                disabled=nothing_to_replay
                on:click=move |_| page.start_time_lapse(false)
            >{icon(icons::REPLAY)}<span class="label">"Replay"</span></button>
            <button
                title="Save the replay as an animated GIF"
                disabled=nothing_to_replay
                on:click=move |_| page.start_time_lapse(true)
            >{icon(icons::TIME_LAPSE)}<span class="label">"Save time-lapse"</span></button>
            <StylePicker />
            <BlendPicker />
        </div>
    }
}
