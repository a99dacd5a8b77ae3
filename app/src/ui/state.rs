//! The page's shared state: one [`Page`] of signals, given to every component
//! through context.

use art::Style;
use leptos::html;
use leptos::prelude::*;

use super::gallery::Drawings;
use crate::doodle::Doodle;
use crate::keys::Action;
use crate::offline::NewVersion;
use crate::protocol::{Blend, StyleOption};
use ink::{MAX_BRUSH, MIN_BRUSH, Stroke, Tool};

/// Where the model is, as the page shows it.
#[derive(Clone, Debug, PartialEq)]
pub enum ModelState {
    Loading { loaded: u64, total: Option<u64> },
    Ready { backend: String, trained: bool, about: Option<String>, styles: Vec<StyleOption> },
    Failed(String),
}

impl ModelState {
    pub fn is_ready(&self) -> bool {
        matches!(self, Self::Ready { .. })
    }
}

#[derive(Clone, Copy)]
pub struct Page {
    /// The finished strokes and their history.
    pub doodle: RwSignal<Doodle>,
    /// The stroke being drawn, if any.
    pub drawing: RwSignal<Option<Stroke>>,
    pub tool: RwSignal<Tool>,
    pub brush: RwSignal<f32>,
    pub style: RwSignal<Style>,
    /// The second style of a blend (none: no blend) and how far towards it,
    /// 0 to 100; kept apart from [`Page::blend`] so the picker remembers it at 0%.
    pub blend_to: RwSignal<Option<Style>>,
    pub blend_percent: RwSignal<u8>,
    pub model: RwSignal<ModelState>,
    /// One line of news for the person: a damaged link, a copied link...
    pub notice: RwSignal<Option<String>>,
    pub save_problem: RwSignal<Option<String>>,
    pub shared_link: RwSignal<Option<String>>,
    pub new_version: RwSignal<Option<NewVersion>, LocalStorage>,
    /// Job numbers, shown as data attributes so tests (and curious people)
    /// can tell when the painting shows the latest doodle.
    pub requested_job: RwSignal<u64>,
    pub painted_job: RwSignal<u64>,
    pub paint_millis: RwSignal<Option<f64>>,
    pub paint_error: RwSignal<Option<String>>,
    /// The painting's canvas.
    pub painting: NodeRef<html::Canvas>,
    /// Whether brushwork covers the generator's painting once drawing pauses.
    pub brushwork: RwSignal<bool>,
    /// The brushwork's seed: **Vary** changes it, links and autosave keep it.
    pub seed: RwSignal<u64>,
    /// The painting job and seed the brushwork canvas shows (job 0: none yet).
    pub brushed_job: RwSignal<u64>,
    pub brushed_seed: RwSignal<u64>,
    pub brushwork_canvas: NodeRef<html::Canvas>,
    /// A save waiting for the brushwork at export size: with the doodle beside it or not.
    pub export: RwSignal<Option<Export>>,
    /// The time-lapse panel, while open.
    pub timelapse: RwSignal<Option<TimeLapse>>,
    /// The last time-lapse job number: they never repeat, so a closed
    /// time-lapse still being painted cannot pass for a new one.
    pub last_timelapse_job: StoredValue<u64, LocalStorage>,
    /// Its frames so far (RGBA, and how long each shows), kept out of the
    /// signal: a frame is half a megabyte.
    pub timelapse_frames: StoredValue<Vec<(Vec<u8>, u16)>, LocalStorage>,
    /// The latest import asked for (0: none), and its picture (RGBA, width,
    /// height) until the worker has it.
    pub import_job: RwSignal<u64>,
    pub import_picture: StoredValue<Option<(Vec<u8>, u32, u32)>, LocalStorage>,
    /// Whether a picture is being read or traced.
    pub importing: RwSignal<bool>,
    /// The drawing this tab has open, and the gallery of the others.
    pub drawings: Drawings,
}

/// A time-lapse being made or played.
#[derive(Clone, Debug, PartialEq)]
pub struct TimeLapse {
    pub job: u64,
    /// Whether a GIF is to be saved.
    pub save: bool,
    /// Frames painted, of how many (0 until the first arrives).
    pub painted: u32,
    pub frames: u32,
    /// The saved GIF's size in bytes, once saved.
    pub saved_bytes: Option<usize>,
    pub error: Option<String>,
}

/// What a save asked for.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Export {
    pub job: u64,
    pub seed: u64,
    pub with_doodle: bool,
}

impl Page {
    pub fn new(doodle: Doodle, style: Style, blend: Option<Blend>, seed: u64, notice: Option<String>, drawings: Drawings) -> Self {
        let (blend_to, blend_percent) = known_blend(blend.as_ref()).map_or((None, 50), |(to, p)| (Some(to), p));
        Self {
            doodle: RwSignal::new(doodle),
            drawing: RwSignal::new(None),
            tool: RwSignal::new(Tool::Brush),
            brush: RwSignal::new(4.0),
            style: RwSignal::new(style),
            blend_to: RwSignal::new(blend_to),
            blend_percent: RwSignal::new(blend_percent),
            model: RwSignal::new(ModelState::Loading { loaded: 0, total: None }),
            notice: RwSignal::new(notice),
            save_problem: RwSignal::new(None),
            shared_link: RwSignal::new(None),
            new_version: RwSignal::new_local(None),
            requested_job: RwSignal::new(0),
            painted_job: RwSignal::new(0),
            paint_millis: RwSignal::new(None),
            paint_error: RwSignal::new(None),
            painting: NodeRef::new(),
            brushwork: RwSignal::new(true),
            seed: RwSignal::new(seed),
            brushed_job: RwSignal::new(0),
            brushed_seed: RwSignal::new(seed),
            brushwork_canvas: NodeRef::new(),
            export: RwSignal::new(None),
            timelapse: RwSignal::new(None),
            last_timelapse_job: StoredValue::new_local(0),
            timelapse_frames: StoredValue::new_local(Vec::new()),
            import_job: RwSignal::new(0),
            import_picture: StoredValue::new_local(None),
            importing: RwSignal::new(false),
            drawings,
        }
    }

    /// The blend the painting is in (tracked): none unless a second style,
    /// other than the first, is mixed in by more than 0%.
    pub fn blend(self) -> Option<Blend> {
        let (style, to, percent) = (self.style.get(), self.blend_to.get()?, self.blend_percent.get());
        (to != style && percent > 0).then(|| Blend { to: to.id().into(), percent: percent.min(100) })
    }

    /// Sets the blend to one from a link or a save (an unknown style: none).
    pub fn set_blend(self, blend: Option<&Blend>) {
        let (to, percent) = known_blend(blend).map_or((None, self.blend_percent.get_untracked()), |(to, p)| (Some(to), p));
        self.blend_to.set(to);
        self.blend_percent.set(percent);
    }

    /// Opens the time-lapse panel on a new time-lapse (saved as a GIF or
    /// only played), replacing any other.
    pub fn start_time_lapse(self, save: bool) {
        self.last_timelapse_job.update_value(|job| *job += 1);
        let job = self.last_timelapse_job.get_value();
        self.timelapse_frames.set_value(Vec::new());
        self.timelapse.set(Some(TimeLapse { job, save, painted: 0, frames: 0, saved_bytes: None, error: None }));
    }

    /// Sets the brush size, kept to whole units the toolbar allows.
    pub fn set_brush(self, size: f32) {
        self.brush.set(size.clamp(MIN_BRUSH, MAX_BRUSH).round());
    }

    /// Carries out a keyboard shortcut's action.
    pub fn perform(self, action: Action) {
        match action {
            Action::Undo => self.doodle.update(|d| {
                d.undo();
            }),
            Action::Redo => self.doodle.update(|d| {
                d.redo();
            }),
            Action::Brush => self.tool.set(Tool::Brush),
            Action::Eraser => self.tool.set(Tool::Eraser),
            Action::SmallerBrush => self.set_brush(self.brush.get_untracked() - 1.0),
            Action::LargerBrush => self.set_brush(self.brush.get_untracked() + 1.0),
            Action::Close => {
                self.timelapse.set(None);
                self.drawings.listing.set(None);
            }
        }
    }
}

/// A blend's style, if this version has it, and its amount.
fn known_blend(blend: Option<&Blend>) -> Option<(Style, u8)> {
    blend.and_then(|blend| Some((Style::from_id(&blend.to)?, blend.percent.min(100))))
}

/// The page's state, from any component under [`super::App`].
pub fn page() -> Page {
    expect_context::<Page>()
}
