//! The doodle canvas: pointer input (mouse, touch, pen with pressure) into
//! strokes, and the strokes onto the screen.

use leptos::html;
use leptos::prelude::*;
use tiny_skia::Pixmap;
use wasm_bindgen::{Clamped, JsCast};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData, PointerEvent};

use crate::doodle::Doodle;
use ink::{DOODLE_SIZE, Point, Stroke, Tool, blank_page, paint_strokes};

/// Backing pixels of the on-screen canvas: twice the doodle's resolution keeps
/// lines crisp on high-density screens.
const SCREEN_PIXELS: u32 = 512;

/// A pen's eraser end reports button 5 (and buttons bit 32).
const PEN_ERASER_BUTTON: i16 = 5;

#[component]
pub fn DoodleCanvas(
    /// The finished strokes.
    doodle: RwSignal<Doodle>,
    /// The stroke being drawn, if any.
    drawing: RwSignal<Option<Stroke>>,
    tool: Signal<Tool>,
    brush: Signal<f32>,
) -> impl IntoView {
    let canvas_ref = NodeRef::<html::Canvas>::new();
    // The finished strokes, rendered once per change; the stroke in progress is
    // drawn over a copy of this.
    let finished_layer = StoredValue::new_local(blank_page(SCREEN_PIXELS));
    let frame_pending = StoredValue::new_local(false);
    // The pointer drawing the current stroke: other pointers (a second finger,
    // a palm) are ignored until it lifts.
    let active_pointer = StoredValue::new_local(None::<i32>);

    let present = move || {
        let Some(canvas) = canvas_ref.get_untracked() else { return };
        let mut frame = finished_layer.with_value(Pixmap::clone);
        drawing.with_untracked(|stroke| paint_strokes(&mut frame, stroke.iter()));
        put_pixels(&canvas, &frame);
        // How many strokes are on screen, so tests can wait for a frame exactly.
        let shown = doodle.with_untracked(|d| d.strokes().len())
            + drawing.with_untracked(|s| usize::from(s.is_some()));
        let _ = canvas.set_attribute("data-strokes", &shown.to_string());
    };
    let schedule_present = move || {
        if !frame_pending.get_value() {
            frame_pending.set_value(true);
            request_animation_frame(move || {
                frame_pending.set_value(false);
                present();
            });
        }
    };

    Effect::new(move |_| {
        doodle.with(|doodle| {
            let mut layer = blank_page(SCREEN_PIXELS);
            paint_strokes(&mut layer, doodle.strokes());
            finished_layer.set_value(layer);
        });
        schedule_present();
    });
    Effect::new(move |_| {
        drawing.track();
        schedule_present();
    });

    let to_point = move |event: &PointerEvent| -> Option<Point> {
        let canvas = canvas_ref.get_untracked()?;
        let rect = canvas.get_bounding_client_rect();
        if rect.width() <= 0.0 || rect.height() <= 0.0 {
            return None;
        }
        let pressure = if event.pointer_type() == "pen" {
            event.pressure()
        } else {
            // Mice report 0.5 while pressed; touch screens report 0 or 1.
            0.5
        };
        Some(Point {
            x: ((event.client_x() as f64 - rect.left()) / rect.width()) as f32 * DOODLE_SIZE,
            y: ((event.client_y() as f64 - rect.top()) / rect.height()) as f32 * DOODLE_SIZE,
            pressure,
        })
    };

    let finish = move |event: PointerEvent| {
        if active_pointer.get_value() != Some(event.pointer_id()) {
            return;
        }
        active_pointer.set_value(None);
        if let Some(stroke) = drawing.try_update(Option::take).flatten() {
            doodle.update(|doodle| doodle.add(stroke));
        }
    };

    view! {
        <canvas
            node_ref=canvas_ref
            class="doodle"
            width=SCREEN_PIXELS
            height=SCREEN_PIXELS
            aria-label="Doodle canvas: draw here"
            on:pointerdown=move |event: PointerEvent| {
                let is_primary_button = event.button() == 0 || event.button() == PEN_ERASER_BUTTON;
                if active_pointer.get_value().is_some() || !is_primary_button {
                    return;
                }
                event.prevent_default();
                if let Some(canvas) = canvas_ref.get_untracked() {
                    // Keep receiving moves when the pointer leaves the canvas.
                    let _ = canvas.set_pointer_capture(event.pointer_id());
                }
                let tool = if event.button() == PEN_ERASER_BUTTON { Tool::Eraser } else { tool.get_untracked() };
                let mut stroke = Stroke::new(brush.get_untracked(), tool);
                if let Some(point) = to_point(&event) {
                    stroke.push(point);
                }
                active_pointer.set_value(Some(event.pointer_id()));
                drawing.set(Some(stroke));
            }
            on:pointermove=move |event: PointerEvent| {
                if active_pointer.get_value() != Some(event.pointer_id()) {
                    return;
                }
                // Coalesced events carry every sample since the last frame, so
                // fast strokes stay smooth.
                let samples: Vec<PointerEvent> = event
                    .get_coalesced_events()
                    .iter()
                    .filter_map(|e| e.dyn_into::<PointerEvent>().ok())
                    .collect();
                let samples = if samples.is_empty() { vec![event] } else { samples };
                drawing.update(|stroke| {
                    if let Some(stroke) = stroke {
                        samples.iter().filter_map(to_point).for_each(|p| stroke.push(p));
                    }
                });
            }
            on:pointerup=finish
            on:pointercancel=finish
        />
    }
}

/// Copies an opaque pixmap onto a canvas of the same size.
pub fn put_pixels(canvas: &HtmlCanvasElement, pixmap: &Pixmap) {
    put_rgba(canvas, pixmap.data(), pixmap.width());
}

/// Copies opaque RGBA pixels onto a canvas.
pub fn put_rgba(canvas: &HtmlCanvasElement, rgba: &[u8], width: u32) {
    let Ok(Some(context)) = canvas.get_context("2d") else { return };
    let Ok(context) = context.dyn_into::<CanvasRenderingContext2d>() else { return };
    if let Ok(image) = ImageData::new_with_u8_clamped_array(Clamped(rgba), width) {
        let _ = context.put_image_data(&image, 0.0, 0.0);
    }
}
