//! The doodle-to-painting generator, backend-generic: the same code runs on
//! burn's flex CPU backend and on wgpu (WebGPU in the browser).

pub mod card;
pub mod generator;
#[cfg(feature = "train")]
pub mod metrics;
pub mod painter;
#[cfg(feature = "png")]
pub mod png;
#[cfg(feature = "painter")]
pub mod scene;
#[cfg(feature = "train")]
pub mod train;
pub mod styles;
pub mod weights;

/// Re-exported so callers pick a device without depending on burn themselves.
pub use burn::prelude::{Device, Module};
pub use generator::{Generator, GeneratorConfig, IMAGE_SIZE};
pub use painter::{Painter, RgbImage};
pub use styles::{STYLES, Style, style_index};
pub use weights::{Manifest, WeightsError};
