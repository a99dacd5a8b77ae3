//! The gallery: every drawing kept in this browser, one record each in
//! IndexedDB (the browser side is `gallery/browser.rs`). A record is versioned
//! JSON holding the autosave's [`Saved`] (itself versioned), a thumbnail of its
//! painting and a revision that tells a tab whether another one wrote the
//! drawing since it last did.

use serde::{Deserialize, Serialize};

use crate::autosave::Saved;

#[cfg(target_arch = "wasm32")]
pub mod browser;

const VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Drawing {
    version: u32,
    pub id: String,
    /// Counts the writes of this drawing: a tab writes only over the
    /// revision it last wrote or read.
    pub revision: u64,
    /// When its content last changed, in milliseconds since 1970.
    pub updated: f64,
    pub saved: Saved,
    /// The painting, small, as a `data:` URL; none until one was painted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub thumbnail: Option<String>,
}

impl Drawing {
    pub fn new(id: String, revision: u64, updated: f64, saved: Saved, thumbnail: Option<String>) -> Self {
        Self { version: VERSION, id, revision, updated, saved, thumbnail }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads what [`Self::to_json`] wrote; anything else is a message.
    pub fn from_json(json: &str) -> Result<Self, String> {
        let version = serde_json::from_str::<serde_json::Value>(json)
            .ok()
            .and_then(|value| value.get("version")?.as_u64())
            .ok_or("a kept drawing could not be read")?;
        if version != u64::from(VERSION) {
            return Err(format!("a kept drawing is from another version of the app ({version})"));
        }
        serde_json::from_str(json).map_err(|e| format!("a kept drawing could not be read ({e})"))
    }
}

/// How a tab writes its drawing, given the revision stored (none: no
/// record), the one it last wrote or read, and whether its content changed
/// (or only its thumbnail).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Plan {
    /// Over its own last write (or as a new record), as this revision.
    Write { revision: u64 },
    /// Another tab wrote the drawing since: this tab's version becomes a new
    /// drawing, so neither overwrites the other.
    Fork,
    /// A thumbnail alone, of a drawing another tab has changed or deleted
    /// since: not worth a write.
    Skip,
}

pub fn plan(stored: Option<u64>, known: u64, content_changed: bool) -> Plan {
    match (stored, content_changed) {
        (Some(revision), true) if revision != known => Plan::Fork,
        // Deleted in another tab while open here: written again, as this tab
        // still shows it and a person may be drawing on it.
        (_, true) => Plan::Write { revision: known + 1 },
        // A new thumbnail is no change another tab need hear of.
        (Some(revision), false) if revision == known => Plan::Write { revision },
        (_, false) => Plan::Skip,
    }
}

/// Newest first.
pub fn sort(drawings: &mut [Drawing]) {
    drawings.sort_by(|a, b| b.updated.total_cmp(&a.updated).then_with(|| a.id.cmp(&b.id)));
}

/// A new drawing's id: the time and a random number, in hex.
pub fn new_id(now: f64, random: f64) -> String {
    format!("{:x}-{:08x}", now.max(0.0) as u64, (random.clamp(0.0, 1.0) * f64::from(u32::MAX)) as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doodle::Doodle;
    use ink::{Point, Stroke, Tool};

    fn drawing(id: &str, updated: f64) -> Drawing {
        let mut doodle = Doodle::default();
        let mut stroke = Stroke::new(4.0, Tool::Brush);
        stroke.push(Point { x: 1.0, y: 2.0, pressure: 0.5 });
        doodle.add(stroke);
        Drawing::new(id.into(), 3, updated, Saved::new("night", None, doodle, 5), Some("data:image/jpeg;base64,AA".into()))
    }

    #[test]
    fn a_drawing_reads_back_as_written() {
        let kept = drawing("a", 1.5e12);
        assert_eq!(Drawing::from_json(&kept.to_json()).unwrap(), kept);
        let bare = Drawing { thumbnail: None, ..kept };
        assert!(!bare.to_json().contains("thumbnail"));
        assert_eq!(Drawing::from_json(&bare.to_json()).unwrap(), bare);
    }

    /// The first version's records, as written, open in this one.
    #[test]
    fn records_keep_their_format() {
        let json = r#"{"version":1,"id":"19a2-0000002a","revision":2,"updated":1763800000000.0,"saved":{"version":1,"style":"night","doodle":{"strokes":[{"points":[{"x":1.0,"y":2.0,"pressure":0.5}],"width":4.0,"colour":[0,0,0]}],"undo":[],"redo":[]}}}"#;
        let kept = Drawing::from_json(json).unwrap();
        assert_eq!((kept.id.as_str(), kept.revision, kept.thumbnail.as_deref()), ("19a2-0000002a", 2, None));
        assert_eq!(kept.saved.doodle.strokes().len(), 1);
        assert_eq!(kept.to_json(), json);
    }

    #[test]
    fn damaged_or_foreign_records_are_refused_with_a_message() {
        assert!(Drawing::from_json("").unwrap_err().contains("could not be read"));
        assert!(Drawing::from_json("{\"version\":1}").unwrap_err().contains("could not be read"));
        let future = drawing("a", 0.0).to_json().replacen("\"version\":1", "\"version\":2", 1);
        assert!(Drawing::from_json(&future).unwrap_err().contains("another version"));
    }

    #[test]
    fn a_tab_never_writes_over_another_tabs_write() {
        assert_eq!(plan(None, 0, true), Plan::Write { revision: 1 }, "a new drawing");
        assert_eq!(plan(Some(4), 4, true), Plan::Write { revision: 5 }, "over its own write");
        assert_eq!(plan(Some(5), 4, true), Plan::Fork, "another tab wrote it");
        assert_eq!(plan(Some(1), 0, true), Plan::Fork, "another tab made it first");
        assert_eq!(plan(None, 4, true), Plan::Write { revision: 5 }, "deleted elsewhere while open here");
    }

    /// Two tabs showing one drawing each paint their own thumbnail of it:
    /// that must not make the next stroke in either a new drawing.
    #[test]
    fn a_thumbnail_alone_is_no_change() {
        assert_eq!(plan(Some(4), 4, false), Plan::Write { revision: 4 });
        assert_eq!(plan(Some(5), 4, false), Plan::Skip, "the other tab's content is newer");
        assert_eq!(plan(None, 4, false), Plan::Skip, "deleted elsewhere");
    }

    #[test]
    fn newest_first_and_ids_differ() {
        let mut drawings = vec![drawing("a", 1.0), drawing("b", 3.0), drawing("c", 2.0)];
        sort(&mut drawings);
        assert_eq!(drawings.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(), ["b", "c", "a"]);
        assert_ne!(new_id(1.7e12, 0.25), new_id(1.7e12, 0.5));
        assert_eq!(new_id(255.0, 1.0), "ff-ffffffff");
    }
}
