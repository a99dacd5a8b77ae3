//! The doodle playground (strokes and their rasteriser are the `ink` crate).
//! `autosave`, `doodle`, `export`, `gallery`, `import`, `keys`, `protocol`, `schedule`, `share` and `timelapse` are plain
//! Rust, tested natively (the browser calls of export, gallery and share aside); the page (`ui`, `canvas`,
//! `bridge`, `offline`), the painting worker (`worker`, with the `worker` feature: the page is built
//! without it) and `js` exist only in the browser build.

pub mod autosave;
pub mod doodle;
pub mod export;
pub mod gallery;
pub mod import;
pub mod keys;
pub mod protocol;
pub mod schedule;
pub mod share;
pub mod timelapse;

#[cfg(target_arch = "wasm32")]
pub mod bridge;
#[cfg(target_arch = "wasm32")]
pub mod canvas;
#[cfg(target_arch = "wasm32")]
pub mod js;
#[cfg(target_arch = "wasm32")]
pub mod offline;
#[cfg(target_arch = "wasm32")]
pub mod ui;
#[cfg(all(target_arch = "wasm32", feature = "worker"))]
pub mod worker;
