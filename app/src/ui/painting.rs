//! The painting pane: the generator's painting, any painting error, and the
//! model card's summary.

use leptos::prelude::*;
use model::IMAGE_SIZE;

use super::state::{ModelState, Page, page};
use crate::canvas::put_rgba;

/// Shows a painting the worker sent (RGB, generator-sized).
pub fn show_painting(page: Page, job: u64, rgb: Vec<u8>, millis: f64) {
    if let Some(canvas) = page.painting.get_untracked() {
        let rgba = model::RgbImage { width: IMAGE_SIZE, height: IMAGE_SIZE, pixels: rgb }.to_rgba();
        put_rgba(&canvas, &rgba, IMAGE_SIZE as u32);
    }
    page.paint_error.set(None);
    page.paint_millis.set(Some(millis));
    page.painted_job.set(job);
}

#[component]
pub fn PaintingPane() -> impl IntoView {
    let page = page();
    view! {
        <figure>
            <canvas
                node_ref=page.painting
                class="painting"
                width=IMAGE_SIZE
                height=IMAGE_SIZE
                aria-label="The painting"
                data-job=move || page.painted_job.get().to_string()
                data-requested=move || page.requested_job.get().to_string()
            />
            <figcaption>
                "The painting"
                {move || page.paint_error.get().map(|e| view! { <span class="error" role="alert">" — " {e}</span> })}
            </figcaption>
            {move || match page.model.get() {
                ModelState::Ready { about: Some(about), .. } => Some(view! { <p class="about">{about}</p> }),
                _ => None,
            }}
        </figure>
    }
}
