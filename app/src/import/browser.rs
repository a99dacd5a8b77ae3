//! The browser side of importing: a picture file decoded by the browser
//! (any format it reads, turned upright by its EXIF orientation) and shrunk
//! to at most [`super::MAX_SIDE`] a side, as RGBA for the worker.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{CanvasRenderingContext2d, File, HtmlCanvasElement, ImageBitmap};

/// The share link a PNG saved by this app holds (`export::LINK_KEYWORD`),
/// if the file is one: opening it gives back the very strokes, not a tracing.
pub async fn saved_link(file: &File) -> Option<String> {
    let buffer = JsFuture::from(file.array_buffer()).await.ok()?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    crate::export::text_of(&bytes, crate::export::LINK_KEYWORD)
}

/// The file's pixels: RGBA, width and height; or why it cannot be read.
pub async fn read_picture(file: File) -> Result<(Vec<u8>, u32, u32), String> {
    let not_a_picture = |_| format!("“{}” is not a picture this browser can read", file.name());
    let promise = leptos::prelude::window().create_image_bitmap_with_blob(&file).map_err(not_a_picture)?;
    let bitmap: ImageBitmap = JsFuture::from(promise).await.map_err(not_a_picture)?.unchecked_into();
    let (width, height) = (bitmap.width(), bitmap.height());
    if width == 0 || height == 0 {
        return Err(format!("“{}” is an empty picture", file.name()));
    }
    let scale = (f64::from(super::MAX_SIDE) / f64::from(width.max(height))).min(1.0);
    let (w, h) = (((f64::from(width) * scale).round() as u32).max(1), ((f64::from(height) * scale).round() as u32).max(1));
    let canvas: HtmlCanvasElement = leptos::prelude::document()
        .create_element("canvas")
        .map_err(|e| crate::js::error_message(&e))?
        .unchecked_into();
    canvas.set_width(w);
    canvas.set_height(h);
    let context: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .ok_or("this browser cannot draw on a canvas")?
        .unchecked_into();
    context
        .draw_image_with_image_bitmap_and_dw_and_dh(&bitmap, 0.0, 0.0, f64::from(w), f64::from(h))
        .map_err(|e| crate::js::error_message(&e))?;
    bitmap.close();
    let data = context.get_image_data(0.0, 0.0, f64::from(w), f64::from(h)).map_err(|e| crate::js::error_message(&e))?;
    Ok((data.data().0, w, h))
}
