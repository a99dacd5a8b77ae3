//! The page's side of the gallery: which drawing this tab has open, keeping
//! it on every change (the autosave), opening, duplicating and deleting
//! drawings, and the **Drawings** panel of thumbnails.
//!
//! Each tab edits its own drawing: a new tab opens the newest drawing no
//! other tab has open, or a blank one. Should two tabs still write one
//! drawing (a duplicated tab, or one opened from the panel in both), the
//! second write becomes a new drawing with a notice, so neither is lost.

use std::collections::HashMap;

use art::Style;
use leptos::prelude::*;

use super::state::{Page, page};
use crate::autosave::Saved;
use crate::doodle::Doodle;
use crate::gallery::browser::{self, Hold, Store};
use crate::gallery::{self, Drawing};

fn now() -> f64 {
    js_sys::Date::now()
}

fn new_id() -> String {
    gallery::new_id(now(), js_sys::Math::random())
}

/// What a tab opens at start.
pub struct Opened {
    pub store: Option<Store>,
    pub id: String,
    pub drawing: Option<Drawing>,
    pub notice: Option<String>,
    pub problem: Option<String>,
}

/// Opens the gallery and picks this tab's drawing: the one it had before a
/// reload, else the newest no other tab has open, else a blank one. The
/// autosave of older versions becomes a drawing of the gallery first.
pub async fn open_at_start() -> Opened {
    let store = match Store::open().await {
        Ok(store) => store,
        Err(problem) => {
            // Nothing can be kept; an older version's autosave is still shown.
            let drawing = browser::take_old_autosave().and_then(Result::ok).map(|saved| Drawing::new(new_id(), 0, now(), saved, None));
            return Opened { store: None, id: new_id(), drawing, notice: None, problem: Some(problem) };
        }
    };
    let mut notice = None;
    match browser::take_old_autosave() {
        Some(Ok(saved)) => match store.put(&Drawing::new(new_id(), 1, now(), saved, None)).await {
            Ok(()) => browser::drop_old_autosave(),
            Err(problem) => notice = Some(format!("The doodle saved by an older version could not be moved to Drawings: {problem}")),
        },
        Some(Err(problem)) => notice = Some(format!("{problem}; it is left as it was, and this is a new drawing")),
        None => {}
    }
    let (id, drawing) = match browser::tab_drawing() {
        Some(id) => match store.get(&id).await {
            Ok(drawing) => (id, drawing),
            Err(problem) => {
                notice = Some(format!("{problem}; this is a new drawing"));
                (new_id(), None)
            }
        },
        None => {
            let held = browser::held_elsewhere().await;
            let drawings = store.all().await.map(|(drawings, _)| drawings).unwrap_or_default();
            match drawings.into_iter().find(|d| !held.contains(&d.id)) {
                Some(drawing) => (drawing.id.clone(), Some(drawing)),
                None => (new_id(), None),
            }
        }
    };
    Opened { store: Some(store), id, drawing, notice, problem: None }
}

/// The drawings panel's content, while open.
#[derive(Clone, Debug, PartialEq)]
pub struct Listing {
    pub drawings: Vec<Drawing>,
    pub unreadable: usize,
    pub problem: Option<String>,
}

/// A drawing as last kept.
#[derive(Clone, PartialEq)]
struct Kept {
    id: String,
    /// The [`Saved`] JSON.
    content: String,
    thumbnail: Option<String>,
    /// When its content last changed.
    updated: f64,
}

impl Kept {
    fn of(drawing: &Drawing) -> Self {
        Self { id: drawing.id.clone(), content: drawing.saved.to_json(), thumbnail: drawing.thumbnail.clone(), updated: drawing.updated }
    }
}

/// The gallery's part of the page.
#[derive(Clone, Copy)]
pub struct Drawings {
    pub store: StoredValue<Option<Store>, LocalStorage>,
    /// The drawing this tab has open.
    pub id: RwSignal<String>,
    hold: StoredValue<Option<Hold>, LocalStorage>,
    /// The revision of each drawing this tab last wrote or read.
    revisions: StoredValue<HashMap<String, u64>>,
    /// What was last kept of the open drawing, so an unchanged one is not
    /// written again.
    kept: StoredValue<Option<Kept>>,
    /// The latest change waiting to be written (and whether its content
    /// changed, or only its thumbnail), and whether a write is under way.
    pending: StoredValue<Option<(Drawing, bool)>>,
    writing: StoredValue<bool>,
    /// The last write, as `id:revision`, for tests and curious people.
    pub written: RwSignal<String>,
    /// The painting's thumbnail, taken when a painting of the whole doodle arrives.
    pub thumbnail: RwSignal<Option<String>>,
    pub listing: RwSignal<Option<Listing>>,
    /// Deleted drawings, newest last: Undo brings them back while the page is open.
    pub deleted: RwSignal<Vec<Drawing>>,
}

impl Drawings {
    pub fn new(opened: &Opened) -> Self {
        let revision = opened.drawing.as_ref().map_or(0, |d| d.revision);
        let kept = opened.drawing.as_ref().map(Kept::of);
        let drawings = Self {
            store: StoredValue::new_local(opened.store.clone()),
            id: RwSignal::new(opened.id.clone()),
            hold: StoredValue::new_local(None),
            revisions: StoredValue::new(HashMap::from([(opened.id.clone(), revision)])),
            kept: StoredValue::new(kept),
            pending: StoredValue::new(None),
            writing: StoredValue::new(false),
            written: RwSignal::new(String::new()),
            thumbnail: RwSignal::new(opened.drawing.as_ref().and_then(|d| d.thumbnail.clone())),
            listing: RwSignal::new(None),
            deleted: RwSignal::new(Vec::new()),
        };
        drawings.open_as(&opened.id);
        drawings
    }

    /// Makes `id` this tab's drawing: in the session (for a reload) and its lock.
    fn open_as(self, id: &str) {
        self.id.set(id.to_string());
        browser::set_tab_drawing(id);
        self.hold.set_value(None);
        self.hold.set_value(Some(Hold::new(id)));
    }
}

/// Keeps the open drawing as it is now, unless nothing changed or it is a
/// blank page never drawn on. Writes go one at a time, the latest last.
pub fn keep(page: Page, saved: Saved, thumbnail: Option<String>) {
    let drawings = page.drawings;
    if drawings.store.with_value(Option::is_none) {
        return;
    }
    let id = drawings.id.get_untracked();
    let content = saved.to_json();
    let kept = drawings.kept.get_value();
    let same_content = kept.as_ref().is_some_and(|k| k.id == id && k.content == content);
    if same_content && kept.as_ref().is_some_and(|k| k.thumbnail == thumbnail) {
        return;
    }
    let known = drawings.revisions.with_value(|r| r.get(&id).copied().unwrap_or(0));
    if saved.doodle.is_untouched() && known == 0 {
        return;
    }
    let updated = kept.filter(|_| same_content).map_or_else(now, |k| k.updated);
    drawings.kept.set_value(Some(Kept { id: id.clone(), content, thumbnail: thumbnail.clone(), updated }));
    let drawing = Drawing::new(id, 0, updated, saved, thumbnail);
    drawings.pending.update_value(|pending| {
        // A change still waiting is kept in mind when a thumbnail follows it.
        let changed = !same_content || pending.as_ref().is_some_and(|(waiting, changed)| *changed && waiting.id == drawing.id);
        *pending = Some((drawing, changed));
    });
    if !drawings.writing.get_value() {
        drawings.writing.set_value(true);
        leptos::task::spawn_local(write_pending(page));
    }
}

async fn write_pending(page: Page) {
    let drawings = page.drawings;
    while let Some((drawing, changed)) = drawings.pending.try_update_value(Option::take).flatten() {
        let Some(store) = drawings.store.get_value() else { break };
        let id = drawing.id.clone();
        let known = drawings.revisions.with_value(|r| r.get(&id).copied().unwrap_or(0));
        match store.save(drawing, known, changed, new_id()).await {
            Ok(None) => page.save_problem.set(None),
            Ok(Some(written)) => {
                drawings.revisions.update_value(|r| {
                    r.insert(written.id.clone(), written.revision);
                });
                if written.id != id {
                    if drawings.id.get_untracked() == id {
                        drawings.open_as(&written.id);
                        drawings.kept.update_value(|k| {
                            if let Some(kept) = k {
                                kept.id = written.id.clone();
                            }
                        });
                    }
                    page.notice.set(Some(
                        "This drawing was changed in another tab, so this tab's version is kept as a new drawing: both are in Drawings".into(),
                    ));
                }
                drawings.written.set(format!("{}:{}", written.id, written.revision));
                page.save_problem.set(None);
            }
            Err(problem) => page.save_problem.set(Some(problem)),
        }
    }
    drawings.writing.set_value(false);
}

/// Puts a drawing on the page (the current one is already kept).
fn open(page: Page, drawing: Drawing) {
    let drawings = page.drawings;
    drawings.revisions.update_value(|r| {
        r.insert(drawing.id.clone(), drawing.revision);
    });
    drawings.kept.set_value(Some(Kept::of(&drawing)));
    drawings.open_as(&drawing.id);
    let saved = drawing.saved;
    page.doodle.set(saved.doodle);
    page.style.set(Style::from_id(&saved.style).unwrap_or(Style::ALL[0]));
    page.set_blend(saved.blend.as_ref());
    page.seed.set(saved.seed);
    drawings.thumbnail.set(drawing.thumbnail);
    drawings.listing.set(None);
}

/// A blank drawing in the same style; the current one stays in the gallery.
pub fn blank(page: Page) {
    let drawings = page.drawings;
    drawings.kept.set_value(None);
    drawings.open_as(&new_id());
    page.doodle.set(Doodle::default());
    page.seed.set(0);
    drawings.thumbnail.set(None);
    drawings.listing.set(None);
}

/// **New drawing**.
fn new_drawing(page: Page) {
    blank(page);
    page.notice.set(Some("A new drawing: the last one is in Drawings".into()));
}

/// Opens the panel, or reads the drawings again while it is open.
pub fn list(page: Page) {
    let drawings = page.drawings;
    let Some(store) = drawings.store.get_value() else {
        let problem = Some("this browser does not let the page keep drawings".into());
        drawings.listing.set(Some(Listing { drawings: Vec::new(), unreadable: 0, problem }));
        return;
    };
    leptos::task::spawn_local(async move {
        let listing = match store.all().await {
            Ok((drawings, unreadable)) => Listing { drawings, unreadable, problem: None },
            Err(problem) => Listing { drawings: Vec::new(), unreadable: 0, problem: Some(problem) },
        };
        drawings.listing.set(Some(listing));
    });
}

/// Runs a change to the gallery, then lists it again; a failure is said in the panel.
fn change(page: Page, work: impl std::future::Future<Output = Result<(), String>> + 'static) {
    leptos::task::spawn_local(async move {
        if let Err(problem) = work.await {
            page.notice.set(Some(problem));
        }
        list(page);
    });
}

fn duplicate(page: Page, drawing: Drawing) {
    let Some(store) = page.drawings.store.get_value() else { return };
    let copy = Drawing::new(new_id(), 1, now(), drawing.saved, drawing.thumbnail);
    change(page, async move { store.put(&copy).await });
}

fn delete(page: Page, drawing: Drawing) {
    let Some(store) = page.drawings.store.get_value() else { return };
    if drawing.id == page.drawings.id.get_untracked() {
        blank(page);
    }
    change(page, async move {
        store.delete(&drawing.id).await?;
        page.drawings.deleted.update(|deleted| deleted.push(drawing));
        Ok(())
    });
}

fn undo_delete(page: Page) {
    let Some(store) = page.drawings.store.get_value() else { return };
    let Some(drawing) = page.drawings.deleted.try_update(Vec::pop).flatten() else { return };
    change(page, async move {
        let result = store.put(&drawing).await;
        if result.is_err() {
            page.drawings.deleted.update(|deleted| deleted.push(drawing));
        }
        result
    });
}

/// When a drawing was last changed, in the person's own words and time zone.
fn when(updated: f64) -> String {
    let date = js_sys::Date::new(&updated.into());
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    date.to_locale_string("default", &options).into()
}

#[component]
fn Card(drawing: Drawing) -> impl IntoView {
    let page = page();
    let here = drawing.id == page.drawings.id.get_untracked();
    let strokes = drawing.saved.doodle.strokes().len();
    let style = Style::from_id(&drawing.saved.style).map_or_else(|| drawing.saved.style.clone(), |s| s.label().to_string());
    let label = format!("{style}, {strokes} stroke{}, {}", if strokes == 1 { "" } else { "s" }, when(drawing.updated));
    let (to_open, to_copy, to_delete) = (drawing.clone(), drawing.clone(), drawing.clone());
    view! {
        <li class="drawing" class:here=here data-id=drawing.id.clone()>
            {match drawing.thumbnail.clone() {
                Some(src) => view! { <img src=src alt=format!("Painting: {label}") width="160" height="160" /> }.into_any(),
                None => view! { <div class="no-thumbnail">"Not painted yet"</div> }.into_any(),
            }}
            <p>{label}</p>
            <p class="drawing-actions">
                {if here {
                    view! { <span class="open-here">"Open here"</span> }.into_any()
                } else {
                    view! { <button class="open" on:click=move |_| open(page, to_open.clone())>"Open"</button> }.into_any()
                }}
                <button class="duplicate" on:click=move |_| duplicate(page, to_copy.clone())>"Duplicate"</button>
                <button class="delete" on:click=move |_| delete(page, to_delete.clone())>"Delete"</button>
            </p>
        </li>
    }
}

/// **New drawing** and **Drawings**, in the header.
#[component]
pub fn DrawingsButtons() -> impl IntoView {
    let page = page();
    view! {
        <nav class="drawings-buttons" data-drawing=move || page.drawings.id.get() data-written=move || page.drawings.written.get()>
            <button class="new-drawing" title="Start a blank drawing; this one stays in Drawings" on:click=move |_| new_drawing(page)>
                "New drawing"
            </button>
            <button class="show-drawings" title="Every drawing kept in this browser" on:click=move |_| list(page)>
                "Drawings"
            </button>
        </nav>
    }
}

#[component]
pub fn DrawingsPanel() -> impl IntoView {
    let page = page();
    move || {
        page.drawings.listing.get().map(|listing| {
            let count = listing.drawings.len();
            view! {
                <section class="gallery" role="dialog" aria-label="Drawings">
                    <h2>"Drawings"</h2>
                    <p class="gallery-status" role="status">
                        {match count {
                            0 => "No drawings are kept in this browser yet.".to_string(),
                            1 => "1 drawing is kept in this browser.".to_string(),
                            n => format!("{n} drawings are kept in this browser, newest first."),
                        }}
                        {(listing.unreadable > 0).then(|| format!(" {} could not be read (made by another version).", listing.unreadable))}
                        {listing.problem.map(|p| view! { <span class="error" role="alert">" " {p}</span> })}
                    </p>
                    <ul class="drawing-list">
                        {listing.drawings.into_iter().map(|drawing| view! { <Card drawing /> }).collect_view()}
                    </ul>
                    <p class="gallery-actions">
                        <button
                            class="undo-delete"
                            disabled=move || page.drawings.deleted.with(Vec::is_empty)
                            on:click=move |_| undo_delete(page)
                        >"Undo delete"</button>
                        <button class="close" on:click=move |_| page.drawings.listing.set(None)>"Close"</button>
                    </p>
                </section>
            }
        })
    }
}
