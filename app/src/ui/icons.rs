//! The toolbar's icons: line drawings on a 24 px grid, drawn in the text's
//! colour by `style.css` (`.icon`). They are decoration: each button says
//! what it does in its label, which compact layouts keep for screen readers
//! only.

use leptos::prelude::*;

pub const BRUSH: &str = "M19 3 10.5 11.5M10.5 11.5c-2.6-.6-5 1-5 3.6 0 1.9-1.4 3.4-3 3.4 3 1.8 9.2 1.2 8-7z";
pub const ERASER: &str = "M9 20h11M4.6 15.4l9.2-9.2a2 2 0 0 1 2.8 0l2.2 2.2a2 2 0 0 1 0 2.8L10 20H9.2zM8.5 11.5l5 5";
pub const SIZE: &str = "M12 5a7 7 0 1 0 0 14 7 7 0 1 0 0-14M12 12h.01";
pub const UNDO: &str = "M9 14 4 9l5-5M4 9h10.5a5.5 5.5 0 0 1 0 11H11";
pub const REDO: &str = "M15 14l5-5-5-5M20 9H9.5a5.5 5.5 0 0 0 0 11H13";
pub const CLEAR: &str = "M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13M10 11v5.5M14 11v5.5";
pub const SHARE: &str = "M12 3v12M8 7l4-4 4 4M5 12v8h14v-8";
pub const SAVE: &str = "M12 4v11M8 11l4 4 4-4M5 20h14";
pub const SAVE_BOTH: &str = "M3 4h8v8H3zM13 4h8v8h-8zM12 14v7M9 18l3 3 3-3";
pub const IMPORT: &str = "M3 5h18v14H3zM3 16l5-5 4 4 3-3 6 5M15.5 9h.01";
pub const REPLAY: &str = "M8 5v14l11-7z";
pub const TIME_LAPSE: &str = "M4 4h16v16H4zM8 4v16M16 4v16M4 9h4M4 15h4M16 9h4M16 15h4";

/// An icon drawn from one path.
pub fn icon(path: &'static str) -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
            <path d=path />
        </svg>
    }
}
