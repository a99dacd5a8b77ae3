//! The page: toolbar, doodle canvas, painting, style picker and model status.

use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use model::{IMAGE_SIZE, STYLES, style_index};
use wasm_bindgen::JsValue;

use crate::autosave::{self, Saved};
use crate::bridge::{Bridge, PaintRequest};
use crate::canvas::{DoodleCanvas, put_rgba};
use crate::doodle::{Doodle, MAX_BRUSH, MIN_BRUSH, Stroke, Tool, rasterise};
use crate::offline::{self, NewVersion};
use crate::protocol::{BackendChoice, FromWorker};
use crate::share::{self, ShareError};
use crate::export;

/// Entry point of the `app` binary.
pub fn start() {
    console_error_panic_hook::set_once();
    mount_to_body(App);
}

/// Where the model is, as the page shows it.
#[derive(Clone, Debug, PartialEq)]
enum ModelState {
    Loading { loaded: u64, total: Option<u64> },
    Ready { backend: String, trained: bool, about: Option<String> },
    Failed(String),
}

/// The doodle and style to start with: the autosaved ones, with a shared
/// doodle from the URL fragment put on top (undoably). Problems become a notice.
fn restore() -> (Doodle, usize, Option<String>) {
    let (mut doodle, mut style, mut notice) = match autosave::load() {
        Ok(Some(saved)) => (saved.doodle, style_index(&saved.style).unwrap_or(0), None),
        Ok(None) => (Doodle::default(), 0, None),
        Err(message) => (Doodle::default(), 0, Some(format!("{message}; starting a new doodle"))),
    };
    if let Some(problem) = open_fragment(&mut doodle, &mut style) {
        notice = Some(problem);
    }
    (doodle, style, notice)
}

/// Applies a share link's fragment, if the URL has one. Returns a notice when
/// the link is damaged or asks for a style this version lacks.
fn open_fragment(doodle: &mut Doodle, style: &mut usize) -> Option<String> {
    let location = window().location();
    let hash = location.hash().unwrap_or_default();
    if hash.len() <= 1 {
        return None;
    }
    match share::decode(&hash) {
        Ok(shared) => {
            doodle.replace(shared.strokes);
            // Drop the fragment: from now on autosave keeps the doodle, and a
            // reload must not put the shared one back over later changes.
            let path = format!("{}{}", location.pathname().unwrap_or_default(), location.search().unwrap_or_default());
            if let Ok(history) = window().history() {
                let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&path));
            }
            match style_index(&shared.style) {
                Some(index) => {
                    *style = index;
                    None
                }
                None => Some(format!(
                    "the link asks for a style this version does not have (“{}”), so it is shown in {}",
                    shared.style, STYLES[*style].label
                )),
            }
        }
        // Some other fragment: not ours to judge.
        Err(ShareError::NotAShareLink) => None,
        Err(problem) => Some(format!("{problem}. Your own doodle is still here.")),
    }
}

/// The page's address with `fragment` in place of any fragment it has.
fn link_with(fragment: &str) -> String {
    let location = window().location();
    let href = location.href().unwrap_or_default();
    let base = href.split('#').next().unwrap_or_default();
    format!("{base}{fragment}")
}

/// Offers `link` through the system share sheet where there is one, else
/// copies it. Resolves to what happened, for the page to say.
async fn share_or_copy(link: String) -> String {
    use js_sys::{Function, Object, Promise, Reflect};
    use wasm_bindgen::JsCast;
    let navigator = window().navigator();
    if let Ok(share) = Reflect::get(&navigator, &"share".into()).and_then(|f| f.dyn_into::<Function>()) {
        let data = Object::new();
        let _ = Reflect::set(&data, &"title".into(), &"My doodle, painted".into());
        let _ = Reflect::set(&data, &"url".into(), &link.as_str().into());
        if let Ok(promise) = share.call1(&navigator, &data).and_then(|p| p.dyn_into::<Promise>()) {
            match wasm_bindgen_futures::JsFuture::from(promise).await {
                Ok(_) => return "Shared.".into(),
                // The person closed the share sheet: nothing to say.
                Err(e) if crate::js::error_name(&e).as_deref() == Some("AbortError") => {
                    return String::new();
                }
                Err(_) => {}
            }
        }
    }
    let clipboard = Reflect::get(&navigator, &"clipboard".into()).ok().filter(|c| !c.is_undefined());
    let write = clipboard.as_ref().and_then(|c| {
        let write = Reflect::get(c, &"writeText".into()).ok()?.dyn_into::<Function>().ok()?;
        write.call1(c, &link.as_str().into()).ok()?.dyn_into::<Promise>().ok()
    });
    let copied = match write {
        Some(promise) => wasm_bindgen_futures::JsFuture::from(promise).await.is_ok(),
        None => false,
    };
    if copied { "Link copied.".into() } else { "Copy the link below.".into() }
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

#[component]
pub fn App() -> impl IntoView {
    let (restored, restored_style, startup_notice) = restore();
    let doodle = RwSignal::new(restored);
    let drawing = RwSignal::new(None::<Stroke>);
    let tool = RwSignal::new(Tool::Brush);
    let brush = RwSignal::new(4.0f32);
    let style = RwSignal::new(restored_style);
    // One line of news for the person: a damaged link, a copied link...
    let notice = RwSignal::new(startup_notice);
    let save_problem = RwSignal::new(None::<String>);
    let shared_link = RwSignal::new(None::<String>);
    let new_version = RwSignal::new_local(None::<NewVersion>);
    offline::register(move |ready| new_version.set(Some(ready)));
    let model = RwSignal::new(ModelState::Loading { loaded: 0, total: None });
    // Job numbers, exposed as data attributes so tests (and curious people)
    // can tell when the painting shows the latest doodle.
    let requested_job = RwSignal::new(0u64);
    let painted_job = RwSignal::new(0u64);
    let paint_millis = RwSignal::new(None::<f64>);
    let paint_error = RwSignal::new(None::<String>);
    let painting_ref = NodeRef::<html::Canvas>::new();

    let backend = BackendChoice::from_search(&window().location().search().unwrap_or_default());
    let bridge = Bridge::spawn(backend, move |message| match message {
        FromWorker::Progress { loaded, total } => model.set(ModelState::Loading { loaded, total }),
        FromWorker::Ready { backend, trained, about, .. } => model.set(ModelState::Ready { backend, trained, about }),
        FromWorker::Painted { job, rgb, millis } => {
            if let Some(canvas) = painting_ref.get_untracked() {
                let rgba = model::RgbImage { width: IMAGE_SIZE, height: IMAGE_SIZE, pixels: rgb }.to_rgba();
                put_rgba(&canvas, &rgba, IMAGE_SIZE as u32);
            }
            paint_error.set(None);
            paint_millis.set(Some(millis));
            painted_job.set(job);
        }
        FromWorker::Failed { job: Some(_), message } => paint_error.set(Some(message)),
        FromWorker::Failed { job: None, message } => model.set(ModelState::Failed(message)),
    });
    let bridge = match bridge {
        Ok(bridge) => Some(StoredValue::new_local(bridge)),
        Err(message) => {
            model.set(ModelState::Failed(message));
            None
        }
    };

    // Repaint whenever the doodle (finished or in progress) or the style
    // changes, once the model is ready. The bridge drops stale requests.
    Effect::new(move |_| {
        let ready = model.with(|m| matches!(m, ModelState::Ready { .. }));
        let rgba = doodle.with(|doodle| {
            drawing.with(|current| rasterise(doodle.strokes().iter().chain(current), IMAGE_SIZE as u32))
        });
        let style = style.get();
        if let (true, Some(bridge)) = (ready, bridge) {
            let rgb = model::RgbImage::from_rgba(IMAGE_SIZE, IMAGE_SIZE, &rgba).pixels;
            let job = bridge.with_value(|bridge| bridge.paint(PaintRequest { style, rgb }));
            requested_job.set(job);
        }
    });

    // Autosave on every change of the doodle (finished strokes, undo, redo,
    // clear) or the style.
    Effect::new(move |_| {
        let saved = doodle.with(|d| Saved::new(STYLES[style.get()].id, d.clone()));
        save_problem.set(autosave::save(&saved).err());
    });
    // A share link pasted into this tab changes only the fragment.
    let _hash = window_event_listener(ev::hashchange, move |_| {
        let (mut d, mut s) = (doodle.get_untracked(), style.get_untracked());
        notice.set(open_fragment(&mut d, &mut s));
        doodle.set(d);
        style.set(s);
    });

    let share_doodle = move |_| {
        let fragment = doodle.with_untracked(|d| share::encode(STYLES[style.get_untracked()].id, d.strokes()));
        match fragment {
            Ok(fragment) => {
                let link = link_with(&fragment);
                shared_link.set(Some(link.clone()));
                leptos::task::spawn_local(async move {
                    let said = share_or_copy(link).await;
                    notice.set((!said.is_empty()).then_some(said));
                });
            }
            Err(problem) => {
                shared_link.set(None);
                notice.set(Some(problem.to_string()));
            }
        }
    };
    let export_problem = move |result: Result<(), String>| {
        if let Err(problem) = result {
            notice.set(Some(format!("the PNG could not be made: {problem}")));
        }
    };
    let save_painting = move |_| {
        if let Some(canvas) = painting_ref.get_untracked() {
            export_problem(export::painting(&canvas));
        }
    };
    let save_both = move |_| {
        if let Some(canvas) = painting_ref.get_untracked() {
            let rgba = doodle.with_untracked(|d| rasterise(d.strokes(), IMAGE_SIZE as u32));
            export_problem(export::side_by_side(&rgba, IMAGE_SIZE as u32, &canvas));
        }
    };

    let set_brush = move |size: f32| brush.set(size.clamp(MIN_BRUSH, MAX_BRUSH).round());
    let _keys = window_event_listener(ev::keydown, move |event| {
        // Leave typing in form controls alone.
        let in_control = event
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"));
        let command = event.ctrl_key() || event.meta_key();
        let key = event.key().to_lowercase();
        let handled = match key.as_str() {
            "z" if command && event.shift_key() => doodle.try_update(Doodle::redo).is_some(),
            "z" if command => doodle.try_update(Doodle::undo).is_some(),
            "y" if command => doodle.try_update(Doodle::redo).is_some(),
            _ if command || event.alt_key() || in_control => false,
            "b" => {
                tool.set(Tool::Brush);
                true
            }
            "e" => {
                tool.set(Tool::Eraser);
                true
            }
            "[" => {
                set_brush(brush.get_untracked() - 1.0);
                true
            }
            "]" => {
                set_brush(brush.get_untracked() + 1.0);
                true
            }
            _ => false,
        };
        if handled {
            event.prevent_default();
        }
    });

    let status = move || match model.get() {
        ModelState::Loading { total: None, .. } => view! { <span>"Starting the painter…"</span> }.into_any(),
        ModelState::Loading { loaded, total: Some(total) } => view! {
            <label class="progress">
                "Downloading the model… " {megabytes(loaded)} " of " {megabytes(total)}
                <progress max=total.max(1) value=loaded />
            </label>
        }
        .into_any(),
        ModelState::Ready { backend, trained, about, .. } => view! {
            <span>
                "Painting on " <strong class="backend">{backend}</strong>
                {move || paint_millis.get().map(|ms| format!(" · last painting took {ms:.0} ms"))}
            </span>
            {trained.then(|| view! {
                <a class="model-card" href="models/MODEL_CARD.md" target="_blank" title=about>
                    "trained model"
                </a>
            })}
            {(!trained).then(|| view! {
                <span class="badge" title="These weights are a seeded initialisation, not trained yet">
                    "untrained model: paintings are noise until trained weights ship"
                </span>
            })}
        }
        .into_any(),
        ModelState::Failed(message) => view! {
            <span class="error" role="alert">"The painter could not start: " {message}</span>
        }
        .into_any(),
    };
    let state_name = move || match model.get() {
        ModelState::Loading { .. } => "loading",
        ModelState::Ready { .. } => "ready",
        ModelState::Failed(_) => "failed",
    };

    view! {
        <header>
            <h1>"Doodle → Painting"</h1>
            <p class="status" data-state=state_name>{status}</p>
        </header>
        // Messages float over the page: nothing may move the canvas mid-stroke.
        <div class="toasts" aria-live="polite">
            {move || new_version.get().map(|ready| view! {
                <p class="update" role="status">
                    "A new version is ready. "
                    <button on:click=move |_| ready.apply()>"Reload"</button>
                </p>
            })}
            {move || notice.get().map(|text| view! {
                <p class="notice" role="status">
                    <span>{text}</span>
                    <button class="dismiss" title="Dismiss" aria-label="Dismiss" on:click=move |_| notice.set(None)>"×"</button>
                </p>
            })}
            {move || save_problem.get().map(|text| view! {
                <p class="error autosave" role="alert">"Autosave: " {text}</p>
            })}
            {move || shared_link.get().map(|link| view! {
                <p class="share">
                    <label>
                        "Link to this doodle "
                        <input class="share-link" readonly prop:value=link on:focus=|e| {
                            use wasm_bindgen::JsCast;
                            if let Some(input) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                                input.select();
                            }
                        } />
                    </label>
                    <button class="dismiss" title="Close" aria-label="Close" on:click=move |_| shared_link.set(None)>"×"</button>
                </p>
            })}
        </div>
        <main>
            <div class="toolbar" role="toolbar" aria-label="Drawing tools">
                <button
                    aria-pressed=move || (tool.get() == Tool::Brush).to_string()
                    title="Brush (B)"
                    on:click=move |_| tool.set(Tool::Brush)
                >"Brush"</button>
                <button
                    aria-pressed=move || (tool.get() == Tool::Eraser).to_string()
                    title="Eraser (E)"
                    on:click=move |_| tool.set(Tool::Eraser)
                >"Eraser"</button>
                <label title="Brush size ([ and ])">
                    "Size "
                    <input
                        type="range"
                        min=MIN_BRUSH
                        max=MAX_BRUSH
                        step="1"
                        prop:value=move || brush.get().to_string()
                        on:input=move |event| {
                            if let Ok(size) = event_target_value(&event).parse::<f32>() {
                                set_brush(size);
                            }
                        }
                    />
                    <output>{move || brush.get().to_string()}</output>
                </label>
                <button
                    title="Undo (Ctrl+Z)"
                    disabled=move || !doodle.with(Doodle::can_undo)
                    on:click=move |_| { doodle.update(|d| { d.undo(); }); }
                >"Undo"</button>
                <button
                    title="Redo (Ctrl+Shift+Z)"
                    disabled=move || !doodle.with(Doodle::can_redo)
                    on:click=move |_| { doodle.update(|d| { d.redo(); }); }
                >"Redo"</button>
                <button
                    title="Clear the page (undoable)"
                    disabled=move || doodle.with(Doodle::is_empty)
                    on:click=move |_| doodle.update(Doodle::clear)
                >"Clear"</button>
                <button title="Copy a link that opens this doodle and its painting" on:click=share_doodle>"Share"</button>
                <button
                    title="Save the painting as a PNG"
                    disabled=move || painted_job.get() == 0
                    on:click=save_painting
                >"Save painting"</button>
                <button
                    title="Save the doodle beside its painting as one PNG"
                    disabled=move || painted_job.get() == 0
                    on:click=save_both
                >"Save both"</button>
                <label>
                    "Style "
                    <select on:change=move |event| {
                        if let Ok(index) = event_target_value(&event).parse::<usize>() {
                            style.set(index.min(STYLES.len() - 1));
                        }
                    }>
                        {STYLES
                            .iter()
                            .enumerate()
                            .map(|(i, s)| view! { <option value=i.to_string() selected=move || style.get() == i>{s.label}</option> })
                            .collect_view()}
                    </select>
                </label>
            </div>
            <div class="panes">
                <figure>
                    <DoodleCanvas doodle drawing tool=tool.into() brush=brush.into() />
                    <figcaption>"Your doodle"</figcaption>
                </figure>
                <figure>
                    <canvas
                        node_ref=painting_ref
                        class="painting"
                        width=IMAGE_SIZE
                        height=IMAGE_SIZE
                        aria-label="The painting"
                        data-job=move || painted_job.get().to_string()
                        data-requested=move || requested_job.get().to_string()
                    />
                    <figcaption>
                        "The painting"
                        {move || paint_error.get().map(|e| view! { <span class="error" role="alert">" — " {e}</span> })}
                    </figcaption>
                    {move || match model.get() {
                        ModelState::Ready { about: Some(about), .. } => Some(view! { <p class="about">{about}</p> }),
                        _ => None,
                    }}
                </figure>
            </div>
        </main>
    }
}
