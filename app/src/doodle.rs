//! The doodle as data: its strokes and the undo/redo history of edits.

use serde::{Deserialize, Serialize};

use ink::Stroke;

/// One undoable change to the doodle.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
enum Edit {
    Draw(Stroke),
    /// Holds the strokes that were cleared away.
    Clear(Vec<Stroke>),
    /// A whole doodle put in place of the page (opening a share link).
    Replace { before: Vec<Stroke>, after: Vec<Stroke> },
}

/// The strokes on the page and the history to undo and redo them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Doodle {
    strokes: Vec<Stroke>,
    undo: Vec<Edit>,
    redo: Vec<Edit>,
}

impl Doodle {
    pub fn strokes(&self) -> &[Stroke] {
        &self.strokes
    }

    pub fn is_empty(&self) -> bool {
        self.strokes.is_empty()
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Never drawn on: no strokes and no history either way.
    pub fn is_untouched(&self) -> bool {
        self.is_empty() && !self.can_undo() && !self.can_redo()
    }

    /// Adds a finished stroke. A new edit ends the redo history.
    pub fn add(&mut self, stroke: Stroke) {
        if stroke.points.is_empty() {
            return;
        }
        self.commit(Edit::Draw(stroke));
    }

    /// Clears the page, undoably. Clearing a blank page does nothing.
    pub fn clear(&mut self) {
        if !self.strokes.is_empty() {
            self.commit(Edit::Clear(self.strokes.clone()));
        }
    }

    /// Puts `strokes` in place of the page, undoably, so opening a shared
    /// doodle never loses the one that was there.
    pub fn replace(&mut self, strokes: Vec<Stroke>) {
        if strokes != self.strokes {
            self.commit(Edit::Replace { before: self.strokes.clone(), after: strokes });
        }
    }

    /// Returns whether anything was undone.
    pub fn undo(&mut self) -> bool {
        let Some(edit) = self.undo.pop() else {
            return false;
        };
        match &edit {
            Edit::Draw(_) => {
                self.strokes.pop();
            }
            Edit::Clear(before) | Edit::Replace { before, .. } => self.strokes = before.clone(),
        }
        self.redo.push(edit);
        true
    }

    /// Returns whether anything was redone.
    pub fn redo(&mut self) -> bool {
        let Some(edit) = self.redo.pop() else {
            return false;
        };
        self.apply(&edit);
        self.undo.push(edit);
        true
    }

    fn commit(&mut self, edit: Edit) {
        self.apply(&edit);
        self.undo.push(edit);
        self.redo.clear();
    }

    fn apply(&mut self, edit: &Edit) {
        match edit {
            Edit::Draw(stroke) => self.strokes.push(stroke.clone()),
            Edit::Clear(_) => self.strokes.clear(),
            Edit::Replace { after, .. } => self.strokes = after.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ink::Tool;

    /// A straight drag of 21 points at mouse pressure.
    fn line(from: (f32, f32), to: (f32, f32), width: f32, tool: Tool) -> Stroke {
        let along = |t: f32| (from.0 + (to.0 - from.0) * t, from.1 + (to.1 - from.1) * t);
        Stroke::through(width, tool, 0.5, (0..=20).map(|i| along(i as f32 / 20.0)))
    }

    #[test]
    fn replacing_the_page_is_undoable() {
        let mut doodle = Doodle::default();
        let mine = line((10.0, 10.0), (100.0, 10.0), 4.0, Tool::Brush);
        let shared = line((10.0, 90.0), (200.0, 90.0), 6.0, Tool::Brush);
        doodle.add(mine.clone());
        doodle.replace(vec![shared.clone()]);
        assert_eq!(doodle.strokes(), [shared.clone()]);
        assert!(doodle.undo());
        assert_eq!(doodle.strokes(), [mine.clone()], "undo brings my doodle back");
        assert!(doodle.redo());
        assert_eq!(doodle.strokes(), [shared.clone()]);
        // The same doodle again is no new edit.
        doodle.replace(vec![shared]);
        assert!(doodle.undo() && doodle.strokes() == [mine]);
    }

    #[test]
    fn undo_and_redo_walk_the_history() {
        let mut doodle = Doodle::default();
        let a = line((10.0, 10.0), (100.0, 10.0), 4.0, Tool::Brush);
        let b = line((10.0, 50.0), (100.0, 50.0), 4.0, Tool::Brush);
        doodle.add(a.clone());
        doodle.add(b.clone());
        assert_eq!(doodle.strokes(), [a.clone(), b.clone()]);

        assert!(doodle.undo());
        assert_eq!(doodle.strokes(), [a.clone()]);
        assert!(doodle.redo());
        assert_eq!(doodle.strokes(), [a.clone(), b.clone()]);
        assert!(!doodle.redo(), "nothing left to redo");

        assert!(doodle.undo());
        assert!(doodle.undo());
        assert!(doodle.is_empty());
        assert!(!doodle.undo(), "nothing left to undo");
        assert!(doodle.can_redo());
        assert!(!doodle.is_untouched(), "empty, but drawn on: redo brings it back");
        assert!(Doodle::default().is_untouched());
    }

    #[test]
    fn a_new_stroke_ends_the_redo_history() {
        let mut doodle = Doodle::default();
        doodle.add(line((0.0, 0.0), (9.0, 9.0), 3.0, Tool::Brush));
        doodle.undo();
        doodle.add(line((5.0, 0.0), (9.0, 9.0), 3.0, Tool::Brush));
        assert!(!doodle.can_redo());
        assert_eq!(doodle.strokes().len(), 1);
    }

    #[test]
    fn clear_is_undoable() {
        let mut doodle = Doodle::default();
        let a = line((10.0, 10.0), (100.0, 10.0), 4.0, Tool::Brush);
        doodle.add(a.clone());
        doodle.clear();
        assert!(doodle.is_empty());
        doodle.undo();
        assert_eq!(doodle.strokes(), [a.clone()]);
        doodle.redo();
        assert!(doodle.is_empty());
        // Clearing a blank page adds nothing to undo.
        doodle.clear();
        doodle.undo();
        assert_eq!(doodle.strokes(), [a]);
    }

    #[test]
    fn empty_strokes_are_dropped() {
        let mut doodle = Doodle::default();
        doodle.add(ink::Stroke::new(4.0, Tool::Brush));
        assert!(!doodle.can_undo());
    }
}
