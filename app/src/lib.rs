//! The doodle playground. `autosave`, `doodle`, `protocol`, `schedule` and
//! `share` are plain Rust, tested natively (autosave's storage calls aside);
//! the page (`ui`, `canvas`, `bridge`, `export`, `offline`), the painting worker
//! (`worker`) and `js` exist only in the browser build.

pub mod autosave;
pub mod doodle;
pub mod protocol;
pub mod schedule;
pub mod share;

#[cfg(target_arch = "wasm32")]
pub mod bridge;
#[cfg(target_arch = "wasm32")]
pub mod canvas;
#[cfg(target_arch = "wasm32")]
pub mod export;
#[cfg(target_arch = "wasm32")]
pub mod js;
#[cfg(target_arch = "wasm32")]
pub mod offline;
#[cfg(target_arch = "wasm32")]
pub mod ui;
#[cfg(target_arch = "wasm32")]
pub mod worker;
