//! Autosave's content: the doodle (strokes and undo history), the style, its
//! blend and the brushwork's seed, kept on every change in the gallery
//! (`gallery`), so a reload or a crash loses nothing. The format is plain JSON
//! with a version, read back defensively. Versions before the gallery kept it
//! in local storage under [`KEY`]; it moves to the gallery on the next visit.

use serde::{Deserialize, Serialize};

use crate::doodle::Doodle;
use crate::protocol::Blend;

/// The local storage key of versions before the gallery.
pub const KEY: &str = "doodle-paint/autosave";
const VERSION: u32 = 1;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Saved {
    version: u32,
    /// The style's id, stable across releases (its index is not).
    pub style: String,
    pub doodle: Doodle,
    /// The brushwork's seed. Saves from before it have none (0), and a 0 is
    /// not written, so such saves keep their format.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub seed: u64,
    /// A second style mixed in; saves from before blends have none, and none
    /// is not written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blend: Option<Blend>,
}

fn is_zero(seed: &u64) -> bool {
    *seed == 0
}

impl Saved {
    pub fn new(style: &str, blend: Option<Blend>, doodle: Doodle, seed: u64) -> Self {
        Self { version: VERSION, style: style.to_string(), doodle, seed, blend }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads what [`Self::to_json`] wrote; anything else is a message.
    pub fn from_json(json: &str) -> Result<Self, String> {
        let saved: Self = serde_json::from_str(json).map_err(|e| format!("the saved doodle could not be read ({e})"))?;
        if saved.version != VERSION {
            return Err(format!("the saved doodle is from another version of the app ({})", saved.version));
        }
        Ok(saved)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ink::{Point, Stroke, Tool};

    fn doodle_with_history() -> Doodle {
        let mut doodle = Doodle::default();
        for i in 0..3 {
            let mut stroke = Stroke::new(4.0, Tool::Brush);
            stroke.push(Point { x: 10.0 * i as f32, y: 5.0, pressure: 0.5 });
            stroke.push(Point { x: 10.0 * i as f32 + 30.0, y: 40.0, pressure: 0.7 });
            doodle.add(stroke);
        }
        doodle.clear();
        doodle.undo();
        doodle.undo();
        doodle
    }

    #[test]
    fn strokes_style_and_history_survive_a_reload() {
        let blend = Some(Blend { to: "night".into(), percent: 30 });
        let saved = Saved::new("watercolour", blend, doodle_with_history(), 12);
        let mut back = Saved::from_json(&saved.to_json()).unwrap();
        assert_eq!(back, saved);
        // The history came back too: redo still redoes.
        assert!(back.doodle.redo() && back.doodle.redo());
        assert!(back.doodle.is_empty(), "the cleared page is redone");
    }

    #[test]
    fn damaged_or_foreign_saves_are_refused_with_a_message() {
        assert!(Saved::from_json("").is_err());
        assert!(Saved::from_json("{\"version\":1}").is_err());
        let future = Saved::new("night", None, Doodle::default(), 0).to_json().replace("\"version\":1", "\"version\":7");
        assert!(Saved::from_json(&future).unwrap_err().contains("another version"));
    }

    /// Saves name a stroke's tool by the colour it paints, as they always have.
    #[test]
    fn saves_keep_their_format() {
        let json = r#"{"version":1,"style":"night","doodle":{"strokes":[{"points":[{"x":1.25,"y":2.0,"pressure":0.5}],"width":4.0,"colour":[255,255,255]}],"undo":[{"Draw":{"points":[{"x":1.25,"y":2.0,"pressure":0.5}],"width":4.0,"colour":[255,255,255]}}],"redo":[]}}"#;
        let saved = Saved::from_json(json).unwrap();
        assert_eq!(saved.doodle.strokes()[0].tool, Tool::Eraser);
        assert_eq!(saved.seed, 0, "saves from before seeds paint with seed 0");
        assert_eq!(saved.blend, None, "and saves from before blends in one style");
        assert_eq!(saved.to_json(), json);
        let grey = json.replace("[255,255,255]", "[128,128,128]");
        assert!(Saved::from_json(&grey).unwrap_err().contains("neither ink nor paper"));
    }
}
