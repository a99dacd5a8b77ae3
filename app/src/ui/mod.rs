//! The page: it restores the doodle, starts the painting worker, and lays out
//! the components, which share one [`state::Page`] through context.

mod gallery;
mod icons;
mod painting;
mod state;
mod status;
mod timelapse;
mod toasts;
mod toolbar;

use std::cell::Cell;

use art::{IMAGE_SIZE, Style};
use leptos::ev;
use leptos::prelude::*;

use crate::autosave::Saved;
use crate::bridge::{Bridge, PaintRequest};
use crate::canvas::DoodleCanvas;
use crate::doodle::Doodle;
use crate::keys::{self, KeyPress};
use crate::offline;
use crate::protocol::{BackendChoice, FromWorker};
use crate::share::{self, ShareError};
use ink::rasterise;
use painting::{PaintingPane, brushwork_size, show_brushwork, show_painting};
use state::{ModelState, Page};
use gallery::{Drawings, DrawingsButtons, DrawingsPanel, Opened};
use status::Status;
use timelapse::TimeLapsePanel;
use toasts::Toasts;
use toolbar::Toolbar;

/// Entry point of the `app` binary.
/// The page opens once the gallery has told which drawing this tab shows
/// (a few milliseconds).
pub fn start() {
    console_error_panic_hook::set_once();
    // Leptos's own spawner is set up by mounting: before it, wasm-bindgen's.
    wasm_bindgen_futures::spawn_local(async {
        let opened = gallery::open_at_start().await;
        mount_to_body(move || view! { <App opened /> });
    });
}

/// The page as it was left: this tab's drawing (doodle, style, blend and
/// brushwork seed), with a shared doodle from the URL fragment put on top
/// (undoably). Problems become a notice.
fn restore(opened: Opened) -> Page {
    let drawings = Drawings::new(&opened);
    let saved = opened.drawing.map(|drawing| drawing.saved).unwrap_or_else(|| Saved::new(Style::ALL[0].id(), None, Default::default(), 0));
    let style = Style::from_id(&saved.style).unwrap_or(Style::ALL[0]);
    let page = Page::new(saved.doodle, style, saved.blend, saved.seed, opened.notice, drawings);
    page.save_problem.set(opened.problem);
    if let Some(problem) = open_address_link(page) {
        page.notice.set(Some(problem));
    }
    page
}

/// Opens the address's share link, if it has one, as a new drawing (the
/// tab's own stays in the gallery), and drops it from the address once
/// opened. Returns a notice when the link is damaged or asks for a style
/// this version lacks.
fn open_address_link(page: Page) -> Option<String> {
    let fragment = share::address_fragment()?;
    let as_new = share::decode(&fragment).is_ok() && !page.doodle.with_untracked(Doodle::is_untouched);
    if as_new {
        gallery::blank(page);
    }
    match open_link(page, &fragment) {
        Ok(notice) => {
            share::drop_address_fragment();
            notice.or_else(|| as_new.then(|| "The shared drawing opened as a new drawing: yours is in Drawings".into()))
        }
        Err(problem) => link_problem(problem),
    }
}

/// What to tell people of a link that did not open; nothing for a fragment
/// that is not ours to judge.
fn link_problem(problem: ShareError) -> Option<String> {
    match problem {
        ShareError::NotAShareLink => None,
        problem => Some(format!("{problem}. Your own doodle is still here.")),
    }
}

/// Opens a share link's fragment on the page (from the address, or the link
/// a saved PNG holds): its doodle (undoably), style, blend and seed. Returns
/// a notice for what this version cannot show, or why the link is unreadable.
fn open_link(page: Page, fragment: &str) -> Result<Option<String>, ShareError> {
    let shared = share::decode(fragment)?;
    page.doodle.update(|d| d.replace(shared.strokes));
    page.seed.set(shared.seed);
    let unknown = |id: &str| format!("the link asks for a style this version does not have (“{id}”)");
    Ok(match (Style::from_id(&shared.style), &shared.blend) {
        (None, _) => {
            page.set_blend(None);
            Some(format!("{}, so it is shown in {}", unknown(&shared.style), page.style.get_untracked().label()))
        }
        (Some(style), Some(blend)) if Style::from_id(&blend.to).is_none() => {
            page.style.set(style);
            page.set_blend(None);
            Some(format!("{}, so it is shown in {} alone", unknown(&blend.to), style.label()))
        }
        (Some(style), blend) => {
            page.style.set(style);
            page.set_blend(blend.as_ref());
            None
        }
    })
}

/// Starts the worker; its replies update the page.
fn start_worker(page: Page) -> Option<StoredValue<std::rc::Rc<Bridge>, LocalStorage>> {
    let backend = BackendChoice::from_search(&window().location().search().unwrap_or_default());
    let bridge = Bridge::spawn(backend, move |message| match message {
        FromWorker::Progress { loaded, total } => page.model.set(ModelState::Loading { loaded, total }),
        FromWorker::Ready { backend, trained, about, styles } => {
            page.model.set(ModelState::Ready { backend, trained, about, styles })
        }
        FromWorker::Painted { job, rgb, millis } => show_painting(page, job, rgb, millis),
        FromWorker::Brushed { job, seed, size, export: false, rgba, millis } => show_brushwork(page, job, seed, size, rgba, millis),
        FromWorker::Brushed { job, seed, size, export: true, rgba, millis } => {
            toolbar::save_brushwork(page, job, seed, size, rgba, millis)
        }
        FromWorker::Imported { job, strokes } => imported(page, job, strokes),
        FromWorker::TimeLapseFrame { job, index, frames, delay, rgba } => timelapse::add_frame(page, job, index, frames, delay, rgba),
        FromWorker::TimeLapseSaved { job, gif } => timelapse::saved(page, job, gif),
        FromWorker::TimeLapseFailed { job, message } => timelapse::failed(page, job, message),
        FromWorker::Failed { job: Some(_), message } => page.paint_error.set(Some(message)),
        FromWorker::Failed { job: None, message } => page.model.set(ModelState::Failed(message)),
    });
    match bridge {
        Ok(bridge) => Some(StoredValue::new_local(bridge)),
        Err(message) => {
            page.model.set(ModelState::Failed(message));
            None
        }
    }
}

/// The strokes found in a photo replace the page, undoably, like a link.
fn imported(page: Page, job: u64, strokes: Result<Vec<ink::Stroke>, String>) {
    if job != page.import_job.get_untracked() {
        return;
    }
    page.importing.set(false);
    match strokes {
        Ok(strokes) => {
            let count = strokes.len();
            page.doodle.update(|d| d.replace(strokes));
            page.notice.set(Some(format!("Imported {count} strokes from the picture (Undo brings back the page as it was)")));
        }
        Err(why) => page.notice.set(Some(format!("Nothing was imported: {why}"))),
    }
}

/// Whether a key event is typing into a form control (text, slider, picker).
fn in_control(event: &web_sys::KeyboardEvent) -> bool {
    event
        .target()
        .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"))
}

#[component]
pub fn App(opened: Opened) -> impl IntoView {
    let page = restore(opened);
    provide_context(page);
    let bridge = start_worker(page);
    // The service worker precaches every file once the worker has fetched
    // the model (or given up): by then the HTTP cache holds the big files and
    // the precache only revalidates them (sw.js), so a first visit downloads
    // each file once.
    let registered = Cell::new(false);
    Effect::new(move |_| {
        let loading = page.model.with(|model| matches!(model, ModelState::Loading { .. }));
        if !loading && !registered.replace(true) {
            offline::register(move |ready| page.new_version.set(Some(ready)));
        }
    });

    // Repaint whenever the doodle (finished or in progress) or the style
    // changes, once the model is ready. The bridge drops stale requests.
    Effect::new(move |_| {
        let ready = page.model.with(ModelState::is_ready);
        let rgba = page.doodle.with(|doodle| {
            page.drawing.with(|current| rasterise(doodle.strokes().iter().chain(current), IMAGE_SIZE as u32))
        });
        let (style, blend) = (page.style.get(), page.blend());
        if let (true, Some(bridge)) = (ready, bridge) {
            let rgb = art::RgbImage::from_rgba(IMAGE_SIZE, IMAGE_SIZE, &rgba).pixels;
            let job = bridge.with_value(|bridge| bridge.paint(PaintRequest { style, blend, rgb }));
            page.requested_job.set(job);
        }
    });
    // Brushwork of the latest painting once drawing pauses: it takes longer
    // than a painting, and the next stroke's painting would wait for it.
    Effect::new(move |_| {
        let (job, seed, on) = (page.painted_job.get(), page.seed.get(), page.brushwork.get());
        let Some(bridge) = bridge else { return };
        if !on || job == 0 || (job, seed) == (page.brushed_job.get_untracked(), page.brushed_seed.get_untracked()) {
            return;
        }
        set_timeout(
            move || {
                let latest = page.requested_job.get_untracked() == job
                    && page.painted_job.get_untracked() == job
                    && page.seed.get_untracked() == seed;
                if latest && page.drawing.with_untracked(Option::is_none) {
                    bridge.with_value(|bridge| bridge.brush(job, seed, brushwork_size(page), false));
                }
            },
            std::time::Duration::from_millis(300),
        );
    });
    // A save with brushwork on asks for the brushwork at export size.
    Effect::new(move |_| {
        if let (Some(export), Some(bridge)) = (page.export.get(), bridge) {
            bridge.with_value(|bridge| bridge.brush(export.job, export.seed, toolbar::EXPORT_SIZE, true));
        }
    });
    // A time-lapse asked for (Replay, Save time-lapse) is sent to the worker
    // with the strokes as they are; a closed or replaced one is stopped there.
    Effect::new(move |previous: Option<Option<u64>>| {
        let job = page.timelapse.with(|t| t.as_ref().map(|t| t.job));
        if let (Some(bridge), true) = (bridge, job != previous.flatten()) {
            bridge.with_value(|bridge| {
                if let Some(old) = previous.flatten() {
                    bridge.stop_time_lapse(old);
                }
                if let Some(job) = job {
                    let save = page.timelapse.with_untracked(|t| t.as_ref().is_some_and(|t| t.save));
                    let strokes = page.doodle.with_untracked(|d| d.strokes().to_vec());
                    let (style, blend) = (page.style.get_untracked(), untrack(move || page.blend()));
                    bridge.time_lapse(job, style, blend, strokes, save);
                }
            });
        }
        job
    });
    // An imported picture goes to the worker to be traced.
    Effect::new(move |_| {
        let job = page.import_job.get();
        if let (Some(bridge), Some((rgba, width, height))) = (bridge, page.import_picture.try_update_value(Option::take).flatten()) {
            bridge.with_value(|bridge| bridge.import(job, width, height, rgba));
        }
    });
    // Autosave: the drawing is kept in the gallery on every change of the
    // doodle (finished strokes, undo, redo, clear), its style, blend or
    // seed, and once its painting is in.
    Effect::new(move |_| {
        let saved = page.doodle.with(|d| Saved::new(page.style.get().id(), page.blend(), d.clone(), page.seed.get()));
        gallery::keep(page, saved, page.drawings.thumbnail.get());
    });
    // A share link pasted into this tab changes only the fragment.
    let _hash = window_event_listener(ev::hashchange, move |_| page.notice.set(open_address_link(page)));
    let _keys = window_event_listener(ev::keydown, move |event| {
        let key = event.key();
        let press = KeyPress {
            key: &key,
            ctrl: event.ctrl_key(),
            meta: event.meta_key(),
            shift: event.shift_key(),
            alt: event.alt_key(),
            in_control: in_control(&event),
        };
        if let Some(action) = keys::action(press) {
            page.perform(action);
            event.prevent_default();
        }
    });

    view! {
        <header>
            <h1>"Doodle → Painting"</h1>
            <DrawingsButtons />
            <Status />
        </header>
        <Toasts />
        <main>
            <Toolbar />
            <div class="panes">
                <figure>
                    <DoodleCanvas doodle=page.doodle drawing=page.drawing tool=page.tool.into() brush=page.brush.into() />
                    <figcaption>"Your doodle"</figcaption>
                </figure>
                <PaintingPane />
            </div>
            <TimeLapsePanel />
            <DrawingsPanel />
        </main>
    }
}
