//! The page: toolbar, doodle canvas, painting, style picker and model status.

use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use model::{IMAGE_SIZE, STYLES};

use crate::bridge::{Bridge, PaintRequest};
use crate::canvas::{DoodleCanvas, put_rgba};
use crate::doodle::{Doodle, MAX_BRUSH, MIN_BRUSH, Stroke, Tool, rasterise};
use crate::protocol::{BackendChoice, FromWorker};

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

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

#[component]
pub fn App() -> impl IntoView {
    let doodle = RwSignal::new(Doodle::default());
    let drawing = RwSignal::new(None::<Stroke>);
    let tool = RwSignal::new(Tool::Brush);
    let brush = RwSignal::new(4.0f32);
    let style = RwSignal::new(0usize);
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
        ModelState::Ready { backend, trained, about } => view! {
            <span>
                "Painting on " <strong class="backend">{backend}</strong>
                {move || paint_millis.get().map(|ms| format!(" · last painting took {ms:.0} ms"))}
            </span>
            {trained.then(|| view! {
                <a class="model-card" href="models/MODEL_CARD.md" target="_blank" title=about.clone()>
                    "trained model"
                </a>
                {about.map(|about| view! { <span class="about">{about}</span> })}
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
                </figure>
            </div>
        </main>
    }
}
