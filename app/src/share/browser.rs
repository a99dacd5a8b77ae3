//! The browser side of sharing: the page's address, the system share sheet
//! and the clipboard.

use js_sys::{Function, Object, Promise, Reflect};
use leptos::prelude::window;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// The fragment of the page's address (with its `#`), if it has one.
pub fn address_fragment() -> Option<String> {
    window().location().hash().ok().filter(|hash| hash.len() > 1)
}

/// Drops the fragment from the address without reloading: once a shared
/// doodle is open, autosave keeps it, and a reload must not put the shared
/// one back over later changes.
pub fn drop_address_fragment() {
    let location = window().location();
    let path = format!("{}{}", location.pathname().unwrap_or_default(), location.search().unwrap_or_default());
    if let Ok(history) = window().history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&path));
    }
}

/// The page's address with `fragment` in place of any fragment it has.
pub fn link_with(fragment: &str) -> String {
    let href = window().location().href().unwrap_or_default();
    let base = href.split('#').next().unwrap_or_default();
    format!("{base}{fragment}")
}

/// Offers `link` through the system share sheet where there is one, else
/// copies it. Resolves to what happened, for the page to say (empty when the
/// person closed the share sheet).
pub async fn share_or_copy(link: String) -> String {
    let navigator = window().navigator();
    if let Ok(share) = Reflect::get(&navigator, &"share".into()).and_then(|f| f.dyn_into::<Function>()) {
        let data = Object::new();
        let _ = Reflect::set(&data, &"title".into(), &"My doodle, painted".into());
        let _ = Reflect::set(&data, &"url".into(), &link.as_str().into());
        if let Ok(promise) = share.call1(&navigator, &data).and_then(|p| p.dyn_into::<Promise>()) {
            match JsFuture::from(promise).await {
                Ok(_) => return "Shared.".into(),
                Err(e) if crate::js::error_name(&e).as_deref() == Some("AbortError") => return String::new(),
                Err(_) => {}
            }
        }
    }
    let clipboard = Reflect::get(&navigator, &"clipboard".into()).ok().filter(|c| !c.is_undefined());
    let write = clipboard.as_ref().and_then(|c| {
        let write = Reflect::get(c, &"writeText".into()).ok()?.dyn_into::<Function>().ok()?;
        write.call1(c, &link.as_str().into()).ok()?.dyn_into::<Promise>().ok()
    });
    let copied = match write {
        Some(promise) => JsFuture::from(promise).await.is_ok(),
        None => false,
    };
    if copied { "Link copied.".into() } else { "Copy the link below.".into() }
}
