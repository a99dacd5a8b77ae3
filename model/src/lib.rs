//! The doodle-to-painting generator, backend-generic: the same code runs on
//! burn's flex CPU backend and on wgpu (WebGPU in the browser).

pub mod card;
pub mod enclosure;
pub mod generator;
pub mod inference;
#[cfg(feature = "png")]
pub mod png;
pub mod weights;

pub use art::{RgbImage, Style};
/// Re-exported so callers pick a device without depending on burn themselves.
pub use burn::prelude::{Device, Module};
pub use generator::{Generator, GeneratorConfig, IMAGE_SIZE, StyleMix};
pub use inference::Inference;
pub use weights::{Manifest, WeightsError};
