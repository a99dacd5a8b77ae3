//! Reading what JavaScript threw: its message, for people, and its name
//! (`QuotaExceededError`, `AbortError`...), for code that tells errors apart.

use js_sys::Reflect;
use wasm_bindgen::JsValue;

fn string_property(value: &JsValue, name: &str) -> Option<String> {
    Reflect::get(value, &name.into()).ok().and_then(|v| v.as_string())
}

/// The error's message (Error and DOMException alike), or the thrown string.
pub fn error_message(error: &JsValue) -> String {
    string_property(error, "message").or_else(|| error.as_string()).unwrap_or_else(|| format!("{error:?}"))
}

/// The error's `name`, if it has one.
pub fn error_name(error: &JsValue) -> Option<String> {
    string_property(error, "name")
}
