//! The painting pane: the generator's painting, its brushwork over it once
//! drawing pauses (with a toggle for the raw painting), any painting error,
//! and the model card's summary.

use leptos::prelude::*;
use art::IMAGE_SIZE;

use super::state::{ModelState, Page, page};
use crate::canvas::put_rgba;

/// Shows a painting the worker sent (RGB, generator-sized).
pub fn show_painting(page: Page, job: u64, rgb: Vec<u8>, millis: f64) {
    if let Some(canvas) = page.painting.get_untracked() {
        let rgba = art::RgbImage { width: IMAGE_SIZE, height: IMAGE_SIZE, pixels: rgb }.to_rgba();
        put_rgba(&canvas, &rgba, IMAGE_SIZE as u32);
        // The gallery's thumbnail is of the whole doodle's painting.
        if job == page.requested_job.get_untracked() && page.drawing.with_untracked(Option::is_none) {
            page.drawings.thumbnail.set(crate::gallery::browser::thumbnail(&canvas));
        }
    }
    page.paint_error.set(None);
    page.paint_millis.set(Some(millis));
    page.painted_job.set(job);
}

/// Shows the brushwork of painting `job` with `seed`, unless a newer
/// painting or another seed came first.
pub fn show_brushwork(page: Page, job: u64, seed: u64, size: u32, rgba: Vec<u8>, millis: f64) {
    if (job, seed) != (page.painted_job.get_untracked(), page.seed.get_untracked()) {
        return;
    }
    if let Some(canvas) = page.brushwork_canvas.get_untracked() {
        // Resizing a canvas reallocates it: only when the size changes.
        if canvas.width() != size {
            canvas.set_width(size);
            canvas.set_height(size);
        }
        put_rgba(&canvas, &rgba, size);
        let _ = canvas.set_attribute("data-millis", &format!("{millis:.0}"));
    }
    page.brushed_job.set(job);
    page.brushed_seed.set(seed);
}

/// The brushwork's canvas size: the painting's size on screen in device
/// pixels, so strokes are drawn at the resolution they are seen.
pub fn brushwork_size(page: Page) -> u32 {
    let shown = page.painting.get_untracked().map_or(0.0, |canvas| f64::from(canvas.client_width()));
    let pixels = shown * window().device_pixel_ratio();
    (pixels.round() as u32).clamp(IMAGE_SIZE as u32, 1024)
}

#[component]
pub fn PaintingPane() -> impl IntoView {
    let page = page();
    // A brushwork shows only over the painting it was made from, in its seed.
    let brushwork_shown = move || {
        page.brushwork.get() && page.brushed_job.get() == page.painted_job.get() && page.brushed_seed.get() == page.seed.get()
    };
    view! {
        <figure>
            <div class="painting-stack">
                <canvas
                    node_ref=page.painting
                    class="painting"
                    width=IMAGE_SIZE
                    height=IMAGE_SIZE
                    aria-label="The painting"
                    data-job=move || page.painted_job.get().to_string()
                    data-requested=move || page.requested_job.get().to_string()
                />
                <canvas
                    node_ref=page.brushwork_canvas
                    class="brushwork"
                    class:shown=brushwork_shown
                    width=IMAGE_SIZE
                    height=IMAGE_SIZE
                    aria-label="The painting, in brush strokes"
                    data-job=move || page.brushed_job.get().to_string()
                    data-seed=move || page.brushed_seed.get().to_string()
                />
            </div>
            <figcaption>
                <label class="brushwork-toggle">
                    <input
                        type="checkbox"
                        prop:checked=move || page.brushwork.get()
                        on:change=move |event| page.brushwork.set(event_target_checked(&event))
                    />
                    " Brushwork"
                </label>
                " "
                <button
                    class="vary"
                    title="Paint it again with other brush strokes"
                    disabled=move || !page.brushwork.get()
                    on:click=move |_| page.seed.update(|seed| *seed = seed.wrapping_add(1))
                >"Vary"</button>
                " · The painting"
                {move || page.paint_error.get().map(|e| view! { <span class="error" role="alert">" — " {e}</span> })}
            </figcaption>
            {move || match page.model.get() {
                ModelState::Ready { about: Some(about), .. } => Some(view! { <p class="about">{about}</p> }),
                _ => None,
            }}
        </figure>
    }
}
