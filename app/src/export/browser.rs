//! Saving PNGs: the painting alone, or the doodle beside its painting. The
//! browser encodes them (canvas `toDataURL`); the drawing's share link goes
//! in as text; a link click downloads them.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlAnchorElement, HtmlCanvasElement};

use crate::canvas::put_rgba;

fn js_message(e: wasm_bindgen::JsValue) -> String {
    crate::js::error_message(&e)
}

/// What a saved file is of: its style and blend (for its name) and the
/// drawing's share link (written into it), if the doodle fits in one.
pub struct Saving {
    pub style: String,
    pub blend: Option<crate::protocol::Blend>,
    pub link: Option<String>,
}

/// Downloads `bytes` as a file: a link to a Blob, clicked.
pub fn download_bytes(bytes: &[u8], mime: &str, file_name: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(js_message)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(js_message)?;
    let clicked = click_link(&url, file_name);
    // Not at once: the download may not have read the Blob yet.
    leptos::prelude::set_timeout(move || drop(web_sys::Url::revoke_object_url(&url)), std::time::Duration::from_secs(60));
    clicked
}

fn click_link(url: &str, file_name: &str) -> Result<(), String> {
    let document = leptos::prelude::document();
    let link: HtmlAnchorElement = document.create_element("a").map_err(js_message)?.unchecked_into();
    link.set_href(url);
    link.set_download(file_name);
    link.click();
    Ok(())
}

fn download(canvas: &HtmlCanvasElement, what: &str, saving: &Saving) -> Result<(), String> {
    const PREFIX: &str = "data:image/png;base64,";
    let mut url = canvas.to_data_url_with_type("image/png").map_err(js_message)?;
    let png = url.strip_prefix(PREFIX).and_then(|data| STANDARD.decode(data).ok());
    if let (Some(png), Some(link)) = (png, &saving.link) {
        // Without the link the file is still the painting: no reason to fail the save.
        match super::with_text(&png, super::LINK_KEYWORD, link) {
            Ok(tagged) => url = format!("{PREFIX}{}", STANDARD.encode(tagged)),
            Err(why) => web_sys::console::warn_1(&format!("the PNG is saved without its link: {why}").into()),
        }
    }
    click_link(&url, &super::file_name(what, &saving.style, saving.blend.as_ref(), "png"))
}

/// A new canvas `width` x `height`.
fn new_canvas(width: u32, height: u32) -> Result<HtmlCanvasElement, String> {
    let canvas: HtmlCanvasElement =
        leptos::prelude::document().create_element("canvas").map_err(js_message)?.unchecked_into();
    canvas.set_width(width);
    canvas.set_height(height);
    Ok(canvas)
}

/// A canvas holding `rgba`, `size` px square.
pub fn canvas_of(rgba: &[u8], size: u32) -> Result<HtmlCanvasElement, String> {
    let canvas = new_canvas(size, size)?;
    put_rgba(&canvas, rgba, size);
    Ok(canvas)
}

/// Downloads `painting-<style>.png`, the painting at `size` px; or, given the doodle
/// (`size` px square RGBA), `doodle-and-painting-<style>.png`: the doodle on the left,
/// the painting scaled to the same size on the right.
pub fn save(doodle_rgba: Option<&[u8]>, painting: &HtmlCanvasElement, size: u32, saving: &Saving) -> Result<(), String> {
    let Some(doodle_rgba) = doodle_rgba else {
        let sized = new_canvas(size, size)?;
        draw(&sized, painting, 0.0, size)?;
        return download(&sized, "painting", saving);
    };
    let sheet = new_canvas(size * 2, size)?;
    put_rgba(&sheet, doodle_rgba, size);
    draw(&sheet, painting, f64::from(size), size)?;
    download(&sheet, "doodle-and-painting", saving)
}

/// Draws `image` scaled to `size` px square at (`x`, 0) on `canvas`.
fn draw(canvas: &HtmlCanvasElement, image: &HtmlCanvasElement, x: f64, size: u32) -> Result<(), String> {
    let context: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .map_err(js_message)?
        .ok_or("this browser cannot draw on a canvas")?
        .unchecked_into();
    let side = f64::from(size);
    context.draw_image_with_html_canvas_element_and_dw_and_dh(image, x, 0.0, side, side).map_err(js_message)
}
