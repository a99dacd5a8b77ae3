//! Inference: an RGB doodle in, an RGB painting out, on whichever device the
//! caller picked. The same code runs natively and in the browser worker.

use burn::prelude::*;
use burn::tensor::TensorData;

use art::RgbImage;

use crate::generator::{Generator, IMAGE_SIZE, StyleMix};

/// Runs a generator on a device: doodles in, paintings out.
pub struct Inference {
    generator: Generator,
    device: Device,
}

impl Inference {
    pub fn new(generator: Generator, device: Device) -> Self {
        Self { generator, device }
    }

    pub fn styles(&self) -> usize {
        self.generator.styles()
    }

    /// Builds the painting on the device without reading it back.
    fn forward(&self, doodle: &RgbImage, style: StyleMix) -> Tensor<3> {
        assert_eq!(
            (doodle.width, doodle.height),
            (IMAGE_SIZE, IMAGE_SIZE),
            "the generator takes {IMAGE_SIZE}x{IMAGE_SIZE} doodles"
        );
        let input = input_for(&self.generator, std::slice::from_ref(doodle), &self.device);
        // Back to HWC so the read-back is already in pixel order.
        self.generator
            .forward(input, style)
            .squeeze::<3>()
            .permute([1, 2, 0])
    }

    /// Paints natively (blocking read-back). Browsers must use [`Self::paint_async`].
    #[cfg(not(target_arch = "wasm32"))]
    pub fn paint(&self, doodle: &RgbImage, style: impl Into<StyleMix>) -> Result<RgbImage, String> {
        to_image(self.forward(doodle, style.into()).into_data())
    }

    /// Paints with an asynchronous read-back, as WebGPU requires.
    pub async fn paint_async(&self, doodle: &RgbImage, style: impl Into<StyleMix>) -> Result<RgbImage, String> {
        let data = self
            .forward(doodle, style.into())
            .into_data_async()
            .await
            .map_err(|e| format!("reading the painting back failed: {e:?}"))?;
        to_image(data)
    }
}

/// Square RGB images of one size -> `[n, 3, h, w]` floats in `[-1, 1]`.
pub fn images_to_tensor(images: &[RgbImage], device: &Device) -> Tensor<4> {
    input_planes(images, false, device)
}

/// The network's input: square RGB doodles of one size -> `[n, 4, h, w]`,
/// each doodle in `[-1, 1]` and, as a fourth channel, what its lines enclose
/// ([`crate::enclosure::enclosed`]: 1 inside, 0 elsewhere).
pub fn doodles_to_tensor(doodles: &[RgbImage], device: &Device) -> Tensor<4> {
    input_planes(doodles, true, device)
}

/// What `generator` takes: [`doodles_to_tensor`] for a network that reads
/// the enclosure, else the doodles alone (no flood fill for nothing).
pub fn input_for(generator: &Generator, doodles: &[RgbImage], device: &Device) -> Tensor<4> {
    input_planes(doodles, generator.reads_enclosure(), device)
}

/// The images' colours plane by plane, each image's enclosure after them
/// if asked for, written into one buffer: permuting and concatenating
/// tensors took three times as long as finding the enclosure.
fn input_planes(images: &[RgbImage], enclosure: bool, device: &Device) -> Tensor<4> {
    let size = images[0].width;
    let channels = if enclosure { 4 } else { 3 };
    let mut planes = Vec::with_capacity(images.len() * channels * size * size);
    for image in images {
        for channel in 0..3 {
            planes.extend(image.pixels.iter().skip(channel).step_by(3).map(|&v| v as f32 / 127.5 - 1.0));
        }
        if enclosure {
            planes.extend(crate::enclosure::enclosed(image));
        }
    }
    Tensor::<4>::from_data(TensorData::new(planes, [images.len(), channels, size, size]), device)
}

/// The value of a one-element tensor (a loss, say), read back natively.
#[cfg(not(target_arch = "wasm32"))]
pub fn scalar(tensor: Tensor<1>) -> f32 {
    tensor
        .into_data()
        .try_to_vec::<f32>()
        .ok()
        .and_then(|values| values.first().copied())
        .unwrap_or(f32::NAN)
}

fn to_image(data: TensorData) -> Result<RgbImage, String> {
    let floats = data
        .try_to_vec::<f32>()
        .map_err(|e| format!("unexpected painting data: {e:?}"))?;
    let pixels = floats
        .iter()
        .map(|&v| ((v + 1.0) * 127.5).round().clamp(0.0, 255.0) as u8)
        .collect();
    Ok(RgbImage {
        width: IMAGE_SIZE,
        height: IMAGE_SIZE,
        pixels,
    })
}
