//! Offline use: registers the service worker (`sw.js`, written at build time
//! by `cargo xtask precache` with the build's file list and version), and
//! tells the page when a new version has been downloaded and is waiting.
//! The page then offers to reload; nothing switches versions under the user.

use std::cell::Cell;
use std::rc::Rc;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorker, ServiceWorkerRegistration, ServiceWorkerState};

/// The message that tells a waiting service worker to take over (`app/sw.js`
/// listens for it).
pub const SKIP_WAITING: &str = "skip-waiting";

/// A new version, installed and waiting for the page's word.
#[derive(Clone)]
pub struct NewVersion {
    waiting: ServiceWorker,
    reload_when_active: Rc<Cell<bool>>,
}

impl NewVersion {
    /// Switches to the new version and reloads the page on it.
    pub fn apply(&self) {
        self.reload_when_active.set(true);
        let _ = self.waiting.post_message(&SKIP_WAITING.into());
    }
}

/// Registers the service worker; `on_update` hears of each waiting new version.
pub fn register(on_update: impl Fn(NewVersion) + 'static) {
    let navigator = window().navigator();
    // Missing where service workers are off (some private modes): the app
    // still works online.
    if js_sys::Reflect::get(&navigator, &"serviceWorker".into()).map_or(true, |v| v.is_undefined()) {
        return;
    }
    let container = navigator.service_worker();
    let reload_when_active = Rc::new(Cell::new(false));
    {
        let reload = reload_when_active.clone();
        let on_change = Closure::<dyn Fn()>::new(move || {
            // Only a switch the user asked for reloads; the first install
            // taking control of the page does not.
            if reload.get() {
                let _ = window().location().reload();
            }
        });
        container.set_oncontrollerchange(Some(on_change.as_ref().unchecked_ref()));
        on_change.forget();
    }
    let on_update = Rc::new(on_update);
    wasm_bindgen_futures::spawn_local(async move {
        let registered = JsFuture::from(container.register("sw.js")).await;
        let registration = match registered.map(|r| r.dyn_into::<ServiceWorkerRegistration>()) {
            Ok(Ok(registration)) => registration,
            Ok(Err(e)) | Err(e) => {
                web_sys::console::warn_2(&"offline use is unavailable: the service worker did not register".into(), &e);
                return;
            }
        };
        let has_controller = move || window().navigator().service_worker().controller().is_some();
        let notify = {
            let on_update = on_update.clone();
            let reload_when_active = reload_when_active.clone();
            move |waiting: ServiceWorker| on_update(NewVersion { waiting, reload_when_active: reload_when_active.clone() })
        };
        // A version that finished installing during an earlier visit.
        if let (Some(waiting), true) = (registration.waiting(), has_controller()) {
            notify(waiting);
        }
        let found_registration = registration.clone();
        let on_found = Closure::<dyn Fn()>::new(move || {
            let Some(installing) = found_registration.installing() else { return };
            let worker = installing.clone();
            let notify = notify.clone();
            let on_state = Closure::<dyn Fn()>::new(move || {
                // Installed while another version controls the page: an update.
                if worker.state() == ServiceWorkerState::Installed && has_controller() {
                    notify(worker.clone());
                }
            });
            installing.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
            on_state.forget();
        });
        registration.set_onupdatefound(Some(on_found.as_ref().unchecked_ref()));
        on_found.forget();
    });
}
