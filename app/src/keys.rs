//! Keyboard shortcuts: a key press to the action it asks for. Plain Rust, so
//! the whole table is tested natively; the page only reads the event.

/// What a shortcut does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Undo,
    Redo,
    Brush,
    Eraser,
    SmallerBrush,
    LargerBrush,
    /// Escape: closes what floats over the page (the time-lapse).
    Close,
}

/// The parts of a key event that shortcuts look at.
#[derive(Clone, Copy, Debug, Default)]
pub struct KeyPress<'a> {
    /// `KeyboardEvent.key`, any case.
    pub key: &'a str,
    pub ctrl: bool,
    /// The Command key on a Mac.
    pub meta: bool,
    pub shift: bool,
    pub alt: bool,
    /// Typing into a text field, slider or picker: single letters are theirs.
    pub in_control: bool,
}

/// The action a key press asks for, if any. Ctrl and Cmd work alike.
pub fn action(press: KeyPress) -> Option<Action> {
    let command = press.ctrl || press.meta;
    let key = press.key.to_lowercase();
    match key.as_str() {
        "z" if command && press.shift => Some(Action::Redo),
        "z" if command => Some(Action::Undo),
        "y" if command => Some(Action::Redo),
        "escape" if !command && !press.alt => Some(Action::Close),
        _ if command || press.alt || press.in_control => None,
        "b" => Some(Action::Brush),
        "e" => Some(Action::Eraser),
        "[" => Some(Action::SmallerBrush),
        "]" => Some(Action::LargerBrush),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(key: &str) -> KeyPress<'_> {
        KeyPress { key, ..KeyPress::default() }
    }

    #[test]
    fn escape_closes_even_from_a_control() {
        assert_eq!(action(key("Escape")), Some(Action::Close));
        assert_eq!(action(KeyPress { in_control: true, ..key("Escape") }), Some(Action::Close));
        assert_eq!(action(KeyPress { ctrl: true, ..key("Escape") }), None);
    }

    #[test]
    fn undo_and_redo_with_ctrl_or_cmd() {
        for (ctrl, meta) in [(true, false), (false, true)] {
            let press = KeyPress { ctrl, meta, ..key("z") };
            assert_eq!(action(press), Some(Action::Undo));
            assert_eq!(action(KeyPress { shift: true, ..press }), Some(Action::Redo));
            // Shift makes the key upper case in the event.
            assert_eq!(action(KeyPress { key: "Z", shift: true, ..press }), Some(Action::Redo));
            assert_eq!(action(KeyPress { key: "y", ..press }), Some(Action::Redo));
        }
        assert_eq!(action(key("z")), None, "a plain z is no undo");
    }

    #[test]
    fn single_keys_pick_tools_and_sizes() {
        assert_eq!(action(key("b")), Some(Action::Brush));
        assert_eq!(action(key("E")), Some(Action::Eraser));
        assert_eq!(action(key("[")), Some(Action::SmallerBrush));
        assert_eq!(action(key("]")), Some(Action::LargerBrush));
        assert_eq!(action(key("x")), None);
    }

    #[test]
    fn single_keys_leave_controls_and_other_shortcuts_alone() {
        assert_eq!(action(KeyPress { in_control: true, ..key("b") }), None);
        assert_eq!(action(KeyPress { ctrl: true, ..key("b") }), None, "Ctrl+B is the browser's");
        assert_eq!(action(KeyPress { alt: true, ..key("e") }), None);
        // Undo still works from a control: it is the doodle's, not the field's.
        assert_eq!(action(KeyPress { in_control: true, ctrl: true, ..key("z") }), Some(Action::Undo));
    }
}
