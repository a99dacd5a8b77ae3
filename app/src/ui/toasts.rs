//! Messages that float over the page (so nothing moves the canvas
//! mid-stroke): a new version, a notice, autosave trouble, the share link.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::state::page;

#[component]
pub fn Toasts() -> impl IntoView {
    let page = page();
    view! {
        <div class="toasts" aria-live="polite">
            {move || page.new_version.get().map(|ready| view! {
                <p class="update" role="status">
                    "A new version is ready. "
                    <button on:click=move |_| ready.apply()>"Reload"</button>
                </p>
            })}
            {move || page.notice.get().map(|text| view! {
                <p class="notice" role="status">
                    <span>{text}</span>
                    <button class="dismiss" title="Dismiss" aria-label="Dismiss" on:click=move |_| page.notice.set(None)>"×"</button>
                </p>
            })}
            {move || page.save_problem.get().map(|text| view! {
                <p class="error autosave" role="alert">"Autosave: " {text}</p>
            })}
            {move || page.shared_link.get().map(|link| view! {
                <p class="share">
                    <label>
                        "Link to this doodle "
                        <input class="share-link" readonly prop:value=link on:focus=|e| {
                            if let Some(input) = e.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                                input.select();
                            }
                        } />
                    </label>
                    <button class="dismiss" title="Close" aria-label="Close" on:click=move |_| page.shared_link.set(None)>"×"</button>
                </p>
            })}
        </div>
    }
}
