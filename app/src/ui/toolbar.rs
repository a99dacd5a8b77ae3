//! The toolbar: brush and eraser, brush size, undo, redo, clear, share,
//! PNG downloads and the style picker.

use art::Style;
use leptos::prelude::*;
use art::IMAGE_SIZE;

use super::state::{Export, ModelState, Page, page};
use crate::doodle::Doodle;
use crate::export;
use crate::share;
use ink::{MAX_BRUSH, MIN_BRUSH, Tool, rasterise};

/// Makes a link to the doodle and shares or copies it.
fn share_doodle(page: Page) {
    let (style, seed) = (page.style.get_untracked(), page.seed.get_untracked());
    let fragment = page.doodle.with_untracked(|d| share::encode(style.id(), d.strokes(), seed));
    match fragment {
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
    report(page, export::save(rgba.as_deref(), &canvas, IMAGE_SIZE as u32));
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
        export::save(doodle.as_deref(), &canvas, size)
    });
    report(page, result);
}

fn report(page: Page, result: Result<(), String>) {
    if let Err(problem) = result {
        page.notice.set(Some(format!("the PNG could not be made: {problem}")));
    }
}

#[component]
fn ToolButton(tool: Tool, label: &'static str, title: &'static str) -> impl IntoView {
    let page = page();
    view! {
        <button
            aria-pressed=move || (page.tool.get() == tool).to_string()
            title=title
            on:click=move |_| page.tool.set(tool)
        >{label}</button>
    }
}

/// The styles the model reported; until it is ready, only the current one.
#[component]
fn StylePicker() -> impl IntoView {
    let page = page();
    let options = move || match page.model.get() {
        ModelState::Ready { styles, .. } => styles,
        _ => {
            let style = page.style.get();
            vec![crate::protocol::StyleOption { id: style.id().into(), label: style.label().into() }]
        }
    };
    view! {
        <label>
            "Style "
            <select
                disabled=move || !page.model.with(ModelState::is_ready)
                on:change=move |event| {
                    if let Some(style) = Style::from_id(&event_target_value(&event)) {
                        page.style.set(style);
                    }
                }
            >
                {move || options()
                    .into_iter()
                    .map(|option| {
                        let id = option.id.clone();
                        let selected = move || page.style.get().id() == id;
                        view! { <option value=option.id prop:selected=selected>{option.label}</option> }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}

#[component]
pub fn Toolbar() -> impl IntoView {
    let page = page();
    let doodle = page.doodle;
    let nothing_painted = move || page.painted_job.get() == 0;
    view! {
        <div class="toolbar" role="toolbar" aria-label="Drawing tools">
            <ToolButton tool=Tool::Brush label="Brush" title="Brush (B)" />
            <ToolButton tool=Tool::Eraser label="Eraser" title="Eraser (E)" />
            <label title="Brush size ([ and ])">
                "Size "
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
            >"Undo"</button>
            <button
                title="Redo (Ctrl+Shift+Z)"
                disabled=move || !doodle.with(Doodle::can_redo)
                on:click=move |_| doodle.update(|d| { d.redo(); })
            >"Redo"</button>
            <button
                title="Clear the page (undoable)"
                disabled=move || doodle.with(Doodle::is_empty)
                on:click=move |_| doodle.update(Doodle::clear)
            >"Clear"</button>
            <button title="Copy a link that opens this doodle and its painting" on:click=move |_| share_doodle(page)>
                "Share"
            </button>
            <button title="Save the painting as a PNG" disabled=nothing_painted on:click=move |_| save_png(page, false)>
                "Save painting"
            </button>
            <button
                title="Save the doodle beside its painting as one PNG"
                disabled=nothing_painted
                on:click=move |_| save_png(page, true)
            >"Save both"</button>
            <StylePicker />
        </div>
    }
}
