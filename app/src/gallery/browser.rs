//! The gallery in the browser: IndexedDB (database `doodle-paint`, store
//! `drawings`, each record a [`Drawing`]'s JSON under its id), the tab's
//! drawing id in session storage (so a reload reopens it), and a Web Lock per
//! open drawing, so that a new tab can tell which drawings other tabs have
//! open. Failures are messages for the page.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{EventTarget, IdbDatabase, IdbObjectStore, IdbRequest, IdbTransaction, IdbTransactionMode};

use super::{Drawing, Plan, plan};
use crate::autosave::{self, Saved};

const DATABASE: &str = "doodle-paint";
const STORE: &str = "drawings";
/// The tab's drawing, in session storage.
const TAB_KEY: &str = "doodle-paint/drawing";

/// Waits for `ok` or one of `fail` on `target`. The promise's own resolve
/// and reject are the listeners: they may fire any number of times.
async fn event(target: &EventTarget, ok: &str, fail: &[&str]) -> Result<(), ()> {
    let promise = Promise::new(&mut |resolve, reject| {
        let _ = target.add_event_listener_with_callback(ok, &resolve);
        for name in fail {
            let _ = target.add_event_listener_with_callback(name, &reject);
        }
    });
    JsFuture::from(promise).await.map(drop).map_err(drop)
}

/// What a failed request or transaction tells people.
fn problem(name: Option<String>, what: &str) -> String {
    match name.as_deref() {
        Some("QuotaExceededError") => {
            "storage is full, so changes are not being kept: save a PNG (it reopens this drawing) or delete some drawings".into()
        }
        Some(name) => format!("{what} ({name})"),
        None => what.into(),
    }
}

async fn request(request: Result<IdbRequest, JsValue>, what: &str) -> Result<JsValue, String> {
    let request = request.map_err(|e| problem(crate::js::error_name(&e), what))?;
    match event(&request, "success", &["error"]).await {
        Ok(()) => request.result().map_err(|_| what.to_string()),
        Err(()) => Err(problem(request.error().ok().flatten().map(|e| e.name()), what)),
    }
}

/// Waits until a transaction's writes are kept (a full disk shows here).
async fn committed(transaction: &IdbTransaction, what: &str) -> Result<(), String> {
    match event(transaction, "complete", &["abort"]).await {
        Ok(()) => Ok(()),
        Err(()) => Err(problem(transaction.error().map(|e| e.name()), what)),
    }
}

/// The open database.
#[derive(Clone)]
pub struct Store {
    database: IdbDatabase,
}

impl Store {
    pub async fn open() -> Result<Self, String> {
        let unavailable = "this browser does not let the page keep drawings";
        let factory = leptos::prelude::window().indexed_db().ok().flatten().ok_or(unavailable)?;
        let opening = factory.open_with_u32(DATABASE, 1).map_err(|_| unavailable.to_string())?;
        let upgrade = Closure::once_into_js({
            let opening = opening.clone();
            move || {
                if let Some(database) = opening.result().ok().and_then(|r| r.dyn_into::<IdbDatabase>().ok()) {
                    let _ = database.create_object_store(STORE);
                }
            }
        });
        opening.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
        let database = request(Ok(opening.into()), unavailable).await?;
        Ok(Self { database: database.unchecked_into() })
    }

    fn transaction(&self, mode: IdbTransactionMode) -> Result<(IdbTransaction, IdbObjectStore), String> {
        let transaction = self
            .database
            .transaction_with_str_and_mode(STORE, mode)
            .map_err(|e| problem(crate::js::error_name(&e), "the kept drawings could not be opened"))?;
        let store = transaction.object_store(STORE).map_err(|_| "the kept drawings could not be opened".to_string())?;
        Ok((transaction, store))
    }

    /// Every drawing that could be read, newest first, and how many could not.
    pub async fn all(&self) -> Result<(Vec<Drawing>, usize), String> {
        let (_, store) = self.transaction(IdbTransactionMode::Readonly)?;
        let values = request(store.get_all(), "the kept drawings could not be read").await?;
        let mut unreadable = 0;
        let mut drawings: Vec<Drawing> = Array::from(&values)
            .iter()
            .filter_map(|value| {
                let drawing = value.as_string().ok_or(()).and_then(|json| Drawing::from_json(&json).map_err(drop));
                unreadable += usize::from(drawing.is_err());
                drawing.ok()
            })
            .collect();
        super::sort(&mut drawings);
        Ok((drawings, unreadable))
    }

    pub async fn get(&self, id: &str) -> Result<Option<Drawing>, String> {
        let (_, store) = self.transaction(IdbTransactionMode::Readonly)?;
        let value = request(store.get(&id.into()), "the drawing could not be read").await?;
        value.as_string().map(|json| Drawing::from_json(&json)).transpose()
    }

    /// Puts a drawing as it is (a duplicate, or one brought back).
    pub async fn put(&self, drawing: &Drawing) -> Result<(), String> {
        let (transaction, store) = self.transaction(IdbTransactionMode::Readwrite)?;
        let what = "the drawing could not be kept";
        request(store.put_with_key(&drawing.to_json().into(), &drawing.id.as_str().into()), what).await?;
        committed(&transaction, what).await
    }

    pub async fn delete(&self, id: &str) -> Result<(), String> {
        let (transaction, store) = self.transaction(IdbTransactionMode::Readwrite)?;
        let what = "the drawing could not be deleted";
        request(store.delete(&id.into()), what).await?;
        committed(&transaction, what).await
    }

    /// Writes a tab's drawing over the revision it knows, in one transaction;
    /// if another tab wrote it since, under `fork_id` instead (see
    /// [`plan`]). Returns what was written, if anything.
    pub async fn save(&self, drawing: Drawing, known: u64, content_changed: bool, fork_id: String) -> Result<Option<Drawing>, String> {
        let (transaction, store) = self.transaction(IdbTransactionMode::Readwrite)?;
        let what = "changes are not being kept";
        let id: JsValue = drawing.id.as_str().into();
        let stored = request(store.get(&id), what).await?;
        let stored_revision = stored.as_string().map(|json| Drawing::from_json(&json).map_or(u64::MAX, |d| d.revision));
        let written = match plan(stored_revision, known, content_changed) {
            Plan::Write { revision } => Drawing { revision, ..drawing },
            Plan::Fork => Drawing { id: fork_id, revision: 1, ..drawing },
            Plan::Skip => return Ok(None),
        };
        request(store.put_with_key(&written.to_json().into(), &written.id.as_str().into()), what).await?;
        committed(&transaction, what).await?;
        Ok(Some(written))
    }
}

fn session() -> Option<web_sys::Storage> {
    leptos::prelude::window().session_storage().ok().flatten()
}

fn local() -> Option<web_sys::Storage> {
    leptos::prelude::window().local_storage().ok().flatten()
}

/// The drawing this tab had open before a reload, if any.
pub fn tab_drawing() -> Option<String> {
    session()?.get_item(TAB_KEY).ok().flatten()
}

pub fn set_tab_drawing(id: &str) {
    if let Some(session) = session() {
        let _ = session.set_item(TAB_KEY, id);
    }
}

/// The autosave of versions before the gallery (local storage): read once
/// to be kept in the gallery, then removed.
pub fn take_old_autosave() -> Option<Result<Saved, String>> {
    let json = local()?.get_item(autosave::KEY).ok().flatten()?;
    Some(Saved::from_json(&json))
}

pub fn drop_old_autosave() {
    if let Some(storage) = local() {
        let _ = storage.remove_item(autosave::KEY);
    }
}

fn lock_name(id: &str) -> String {
    format!("doodle-paint/drawing/{id}")
}

/// The Web Locks API, where the browser has it.
fn locks() -> Option<Object> {
    let navigator = leptos::prelude::window().navigator();
    Reflect::get(&navigator, &"locks".into()).ok().filter(|l| l.is_object()).map(JsCast::unchecked_into)
}

/// Ids of the drawings other tabs hold open (none known without Web Locks).
pub async fn held_elsewhere() -> Vec<String> {
    let Some(locks) = locks() else { return Vec::new() };
    let query = Reflect::get(&locks, &"query".into()).ok().and_then(|f| f.dyn_into::<Function>().ok());
    let Some(promise) = query.and_then(|query| query.call0(&locks).ok()) else { return Vec::new() };
    let Ok(snapshot) = JsFuture::from(Promise::from(promise)).await else { return Vec::new() };
    let held = Reflect::get(&snapshot, &"held".into()).map(|h| Array::from(&h)).unwrap_or_default();
    let prefix = lock_name("");
    held.iter()
        .filter_map(|lock| Reflect::get(&lock, &"name".into()).ok()?.as_string())
        .filter_map(|name| name.strip_prefix(&prefix).map(str::to_string))
        .collect()
}

/// Holds a drawing's lock while this tab has it open: dropping it (or
/// closing the tab) lets it go. If another tab holds it too (a duplicated
/// tab), this one waits in line, which is harmless.
pub struct Hold {
    /// The lock's release once granted; `None` inside once dropped.
    state: Rc<RefCell<Option<Option<Function>>>>,
}

impl Hold {
    pub fn new(id: &str) -> Self {
        let state = Rc::new(RefCell::new(Some(None::<Function>)));
        if let Some(locks) = locks() {
            let keep = state.clone();
            let granted = Closure::once_into_js(move |_lock: JsValue| -> JsValue {
                match &mut *keep.borrow_mut() {
                    Some(release) => Promise::new(&mut |resolve, _| *release = Some(resolve)).into(),
                    // Dropped while waiting: let it go at once.
                    None => JsValue::UNDEFINED,
                }
            });
            if let Ok(request) = Reflect::get(&locks, &"request".into()).and_then(|f| f.dyn_into::<Function>()) {
                let _ = request.call2(&locks, &lock_name(id).into(), &granted);
            }
        }
        Self { state }
    }
}

impl Drop for Hold {
    fn drop(&mut self) {
        if let Some(Some(release)) = self.state.borrow_mut().take() {
            let _ = release.call0(&JsValue::NULL);
        }
    }
}

/// A small picture of the painting canvas, as a JPEG `data:` URL.
pub fn thumbnail(painting: &web_sys::HtmlCanvasElement) -> Option<String> {
    const SIDE: u32 = 160;
    let document = leptos::prelude::document();
    let canvas: web_sys::HtmlCanvasElement = document.create_element("canvas").ok()?.dyn_into().ok()?;
    canvas.set_width(SIDE);
    canvas.set_height(SIDE);
    let context: web_sys::CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    let side = f64::from(SIDE);
    context.draw_image_with_html_canvas_element_and_dw_and_dh(painting, 0.0, 0.0, side, side).ok()?;
    canvas.to_data_url_with_type_and_encoder_options("image/jpeg", &JsValue::from_f64(0.85)).ok()
}
