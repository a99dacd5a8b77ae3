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
    input_planes(images, 3, device)
}

/// One image's colours, plane by plane, in `[-1, 1]`, onto `out`.
fn push_colour_planes(image: &RgbImage, out: &mut Vec<f32>) {
    for channel in 0..3 {
        out.extend(image.pixels.iter().skip(channel).step_by(3).map(|&v| v as f32 / 127.5 - 1.0));
    }
}

/// The network's input: square RGB doodles of one size -> `[n, 4, h, w]`,
/// each doodle in `[-1, 1]` and, as a fourth channel, what its lines enclose
/// ([`crate::enclosure::enclosed`]: 1 inside, 0 elsewhere).
pub fn doodles_to_tensor(doodles: &[RgbImage], device: &Device) -> Tensor<4> {
    input_planes(doodles, 4, device)
}

/// The input's channels a network can read: the doodle's 3, the enclosure
/// and the region shapes' 2.
pub const INPUT_CHANNELS: usize = 6;

/// The first `channels` (3, 4 or [`INPUT_CHANNELS`]) of the network's input
/// for square RGB doodles of one size, `[n, channels, h, w]`: each doodle in
/// `[-1, 1]`, what its lines enclose ([`crate::enclosure::enclosed`]: 1
/// inside, 0 elsewhere) and the shape of the region each pixel lies in
/// ([`crate::enclosure::region_shapes`]: fill, then size). Written plane by
/// plane into one buffer: permuting and concatenating tensors took longer
/// than finding the planes.
pub fn input_planes(doodles: &[RgbImage], channels: usize, device: &Device) -> Tensor<4> {
    assert!(matches!(channels, 3 | 4 | INPUT_CHANNELS), "{channels} input channels");
    let size = doodles[0].width;
    let mut planes = Vec::with_capacity(doodles.len() * channels * size * size);
    for doodle in doodles {
        push_colour_planes(doodle, &mut planes);
        if channels > 3 {
            planes.extend(crate::enclosure::enclosed(doodle));
        }
        if channels > 4 {
            for plane in crate::enclosure::region_shapes(doodle) {
                planes.extend(plane);
            }
        }
    }
    Tensor::<4>::from_data(TensorData::new(planes, [doodles.len(), channels, size, size]), device)
}

/// What `generator` takes: [`input_planes`] with the channels it reads (no
/// flood fill for nothing).
pub fn input_for(generator: &Generator, doodles: &[RgbImage], device: &Device) -> Tensor<4> {
    input_planes(doodles, generator.input_channels(), device)
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
