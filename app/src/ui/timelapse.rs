//! The time-lapse panel: the drawing played back stroke by stroke beside its
//! growing painting, frames shown as the worker paints them, then looped;
//! **Save time-lapse** downloads it as an animated GIF.

use leptos::prelude::*;

use super::state::{Page, page};
use crate::canvas::put_rgba;
use crate::export;
use crate::timelapse::{FRAME_HEIGHT, FRAME_WIDTH};

/// A frame from the worker.
pub fn add_frame(page: Page, job: u64, index: u32, frames: u32, delay: u16, rgba: Vec<u8>) {
    let Some(current) = page.timelapse.get_untracked().filter(|t| t.job == job) else { return };
    page.timelapse_frames.update_value(|kept| kept.push((rgba, delay)));
    page.timelapse.set(Some(super::state::TimeLapse { painted: index + 1, frames, ..current }));
}

/// The GIF from the worker: downloaded at once.
pub fn saved(page: Page, job: u64, gif: Vec<u8>) {
    let Some(current) = page.timelapse.get_untracked().filter(|t| t.job == job) else { return };
    let name = export::file_name("time-lapse", page.style.get_untracked().id(), untrack(move || page.blend()).as_ref(), "gif");
    let (saved_bytes, error) = match export::download_bytes(&gif, "image/gif", &name) {
        Ok(()) => (Some(gif.len()), None),
        Err(problem) => (None, Some(format!("the time-lapse could not be saved: {problem}"))),
    };
    page.timelapse.set(Some(super::state::TimeLapse { saved_bytes, error, ..current }));
}

pub fn failed(page: Page, job: u64, message: String) {
    if let Some(current) = page.timelapse.get_untracked().filter(|t| t.job == job) {
        page.timelapse.set(Some(super::state::TimeLapse { error: Some(message), ..current }));
    }
}

/// Plays the frames received so far at their pace, waiting where the next
/// one is not painted yet, and loops once all are in.
#[component]
fn Player() -> impl IntoView {
    let page = page();
    let canvas = NodeRef::<leptos::html::Canvas>::new();
    // The frame shown, and when it was put up (ms).
    let shown = StoredValue::new_local(None::<(usize, f64)>);
    let tick = move || {
        let now = window().performance().map_or(0.0, |p| p.now());
        let (count, total) = (page.timelapse_frames.with_value(Vec::len), page.timelapse.get_untracked().map_or(0, |t| t.frames as usize));
        let next = match shown.get_value() {
            None if count > 0 => 0,
            Some((index, since)) => {
                let delay = page.timelapse_frames.with_value(|frames| frames[index].1);
                let due = now - since >= f64::from(delay) * 10.0;
                match (due, index + 1 < count, index + 1 == total) {
                    (true, true, _) => index + 1,
                    (true, false, true) => 0,
                    _ => return,
                }
            }
            None => return,
        };
        if let Some(canvas) = canvas.get_untracked() {
            page.timelapse_frames.with_value(|frames| put_rgba(&canvas, &frames[next].0, FRAME_WIDTH as u32));
            let _ = canvas.set_attribute("data-frame", &next.to_string());
        }
        shown.set_value(Some((next, now)));
    };
    if let Ok(handle) = set_interval_with_handle(tick, std::time::Duration::from_millis(20)) {
        on_cleanup(move || handle.clear());
    }
    view! {
        <canvas
            node_ref=canvas
            class="timelapse-frames"
            width=FRAME_WIDTH
            height=FRAME_HEIGHT
            aria-label="The drawing played back stroke by stroke, beside its painting"
            data-painted=move || page.timelapse.get().map_or(0, |t| t.painted).to_string()
            data-frames=move || page.timelapse.get().map_or(0, |t| t.frames).to_string()
        />
    }
}

#[component]
pub fn TimeLapsePanel() -> impl IntoView {
    let page = page();
    // Rebuilt for a new time-lapse only, not for each frame.
    let open_job = Memo::new(move |_| page.timelapse.with(|t| t.as_ref().map(|t| t.job)));
    let status = move || {
        let lapse = page.timelapse.get()?;
        let busy = lapse.error.is_none()
            && (lapse.frames == 0 || lapse.painted < lapse.frames || (lapse.save && lapse.saved_bytes.is_none()));
        let what = if lapse.save { "Making the time-lapse " } else { "Painting the replay " };
        Some(view! {
            {busy.then(|| view! { {what} <progress max=lapse.frames.max(1) value=lapse.painted></progress> })}
            {lapse.saved_bytes.map(|bytes| format!("Saved the time-lapse: an animated GIF of {:.1} MB.", bytes as f64 / 1e6))}
            {lapse.error.map(|e| view! { <span class="error" role="alert">{e}</span> })}
        })
    };
    let saving = move || page.timelapse.with(|t| t.as_ref().is_some_and(|t| t.save));
    move || {
        open_job.get().map(|_| view! {
            <section class="timelapse" role="dialog" aria-label="Time-lapse">
                <Player />
                <p class="timelapse-status" role="status">{status}</p>
                <p class="timelapse-actions">
                    <button disabled=saving on:click=move |_| page.start_time_lapse(true)>"Save time-lapse"</button>
                    <button class="close" on:click=move |_| page.timelapse.set(None)>"Close"</button>
                </p>
            </section>
        })
    }
}
