//! Saving PNGs: the painting alone, or the doodle beside its painting. The
//! browser encodes them (canvas `toDataURL`); a link click downloads them.

use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlAnchorElement, HtmlCanvasElement};

use crate::canvas::put_rgba;

fn js_message(e: wasm_bindgen::JsValue) -> String {
    crate::js::error_message(&e)
}

fn download(canvas: &HtmlCanvasElement, file_name: &str) -> Result<(), String> {
    let url = canvas.to_data_url_with_type("image/png").map_err(js_message)?;
    let document = leptos::prelude::document();
    let link: HtmlAnchorElement = document.create_element("a").map_err(js_message)?.unchecked_into();
    link.set_href(&url);
    link.set_download(file_name);
    link.click();
    Ok(())
}

/// Downloads the painting as `painting.png`.
pub fn painting(painting: &HtmlCanvasElement) -> Result<(), String> {
    download(painting, "painting.png")
}

/// Downloads `doodle-and-painting.png`: the doodle (`size` x `size` RGBA) on
/// the left, the painting scaled to the same size on the right.
pub fn side_by_side(doodle_rgba: &[u8], size: u32, painting: &HtmlCanvasElement) -> Result<(), String> {
    let document = leptos::prelude::document();
    let sheet: HtmlCanvasElement = document.create_element("canvas").map_err(js_message)?.unchecked_into();
    sheet.set_width(size * 2);
    sheet.set_height(size);
    put_rgba(&sheet, doodle_rgba, size);
    let context: CanvasRenderingContext2d = sheet
        .get_context("2d")
        .map_err(js_message)?
        .ok_or("this browser cannot draw on a canvas")?
        .unchecked_into();
    let side = size as f64;
    context
        .draw_image_with_html_canvas_element_and_dw_and_dh(painting, side, 0.0, side, side)
        .map_err(js_message)?;
    download(&sheet, "doodle-and-painting.png")
}
