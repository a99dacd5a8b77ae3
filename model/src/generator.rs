//! The generator: a pix2pix-style U-Net conditioned on a painting style.
//!
//! Encoder: strided 4x4 convolutions halve the image six times (256 -> 4).
//! Decoder: transposed 4x4 convolutions double it back, each level concatenating
//! the encoder's feature map of the same size (the skip connections).
//! Every normalised layer is a [`StyleNorm`]: instance norm whose scale and shift
//! are looked up per style, so one network paints every style.

use burn::module::Param;
use burn::nn::conv::{Conv2d, Conv2dConfig, ConvTranspose2d, ConvTranspose2dConfig};
use burn::nn::{Initializer, PaddingConfig2d};
use burn::prelude::*;
use burn::tensor::activation::{leaky_relu, relu};

pub use art::IMAGE_SIZE;

/// The shape of the network. Stored in the weight manifest so that weights are
/// never loaded into a network of another shape.
#[derive(Config, Debug, PartialEq)]
pub struct GeneratorConfig {
    /// Number of painting styles the network is conditioned on.
    pub styles: usize,
    /// Channels of each encoder level, from the full-size image down.
    #[config(default = "vec![16, 32, 64, 128, 128, 128]")]
    pub widths: Vec<usize>,
}

/// Instance norm with a per-style affine transform (conditional instance norm).
#[derive(Module, Debug)]
pub struct StyleNorm {
    /// `[styles, channels]`: multiplicative offset from 1.
    scale: Param<Tensor<2>>,
    /// `[styles, channels]`: additive shift.
    shift: Param<Tensor<2>>,
    channels: usize,
}

impl StyleNorm {
    fn new(styles: usize, channels: usize, device: &Device) -> Self {
        // Small random per-style offsets so that styles differ from the start.
        let init = Initializer::Normal {
            mean: 0.0,
            std: 0.1,
        };
        Self {
            scale: init.init([styles, channels], device),
            shift: init.init([styles, channels], device),
            channels,
        }
    }

    fn forward(&self, x: Tensor<4>, style: usize) -> Tensor<4> {
        let [batch, channels, height, width] = x.dims();
        // Instance norm: each image and channel normalised over its own pixels.
        let flat = x.reshape([batch, channels, height * width]);
        let mean = flat.clone().mean_dim(2);
        let centred = flat - mean;
        let var = centred.clone().square().mean_dim(2);
        let normed = centred / (var + 1e-5).sqrt();
        let normed = normed.reshape([batch, channels, height, width]);

        let pick = |p: &Param<Tensor<2>>| {
            p.val()
                .slice([style..style + 1, 0..self.channels])
                .reshape([1, channels, 1, 1])
        };
        normed * (pick(&self.scale) + 1.0) + pick(&self.shift)
    }
}

/// One encoder level: conv (stride 2), optional style norm, leaky ReLU.
#[derive(Module, Debug)]
struct Down {
    conv: Conv2d,
    norm: Option<StyleNorm>,
}

/// One decoder level: transposed conv (stride 2), style norm, ReLU.
#[derive(Module, Debug)]
struct Up {
    conv: ConvTranspose2d,
    norm: StyleNorm,
}

/// The U-Net generator.
#[derive(Module, Debug)]
pub struct Generator {
    downs: Vec<Down>,
    ups: Vec<Up>,
    out: ConvTranspose2d,
    styles: usize,
}

fn down_conv(channels_in: usize, channels_out: usize, device: &Device) -> Conv2d {
    Conv2dConfig::new([channels_in, channels_out], [4, 4])
        .with_stride([2, 2])
        .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
        .init(device)
}

fn up_conv(channels_in: usize, channels_out: usize, device: &Device) -> ConvTranspose2d {
    ConvTranspose2dConfig::new([channels_in, channels_out], [4, 4])
        .with_stride([2, 2])
        .with_padding([1, 1])
        .init(device)
}

impl GeneratorConfig {
    /// A network with freshly initialised (untrained) weights.
    pub fn init(&self, device: &Device) -> Generator {
        let widths = &self.widths;
        let mut downs = Vec::with_capacity(widths.len());
        let mut channels_in = 3;
        for (level, &width) in widths.iter().enumerate() {
            downs.push(Down {
                conv: down_conv(channels_in, width, device),
                // pix2pix leaves the first level unnormalised.
                norm: (level > 0).then(|| StyleNorm::new(self.styles, width, device)),
            });
            channels_in = width;
        }

        // Decoder levels, from the bottleneck up to half size. The first takes the
        // bottleneck alone; the others also take the matching encoder output.
        let mut ups = Vec::with_capacity(widths.len() - 1);
        for level in (0..widths.len() - 1).rev() {
            let from_below = if level == widths.len() - 2 {
                widths[level + 1]
            } else {
                2 * widths[level + 1]
            };
            ups.push(Up {
                conv: up_conv(from_below, widths[level], device),
                norm: StyleNorm::new(self.styles, widths[level], device),
            });
        }
        Generator {
            downs,
            ups,
            out: up_conv(2 * widths[0], 3, device),
            styles: self.styles,
        }
    }
}

impl Generator {
    /// Number of styles this network was built for.
    pub fn styles(&self) -> usize {
        self.styles
    }

    /// `doodle`: `[batch, 3, 256, 256]` in `[-1, 1]`. Returns the painting, same
    /// shape and range. `style` must be below [`Self::styles`].
    pub fn forward(&self, doodle: Tensor<4>, style: usize) -> Tensor<4> {
        assert!(style < self.styles, "style {style} of {}", self.styles);
        let mut skips = Vec::with_capacity(self.downs.len());
        let mut x = doodle;
        for down in &self.downs {
            x = down.conv.forward(x);
            if let Some(norm) = &down.norm {
                x = norm.forward(x, style);
            }
            x = leaky_relu(x, 0.2);
            skips.push(x.clone());
        }
        // The bottleneck is `x` itself, not a skip to concatenate.
        skips.pop();
        for (i, up) in self.ups.iter().enumerate() {
            if i > 0 {
                let skip = skips.pop().expect("one skip per decoder level");
                x = Tensor::cat(vec![x, skip], 1);
            }
            x = relu(up.norm.forward(up.conv.forward(x), style));
        }
        let skip = skips.pop().expect("first encoder level");
        self.out.forward(Tensor::cat(vec![x, skip], 1)).tanh()
    }
}
