//! The generator: a pix2pix-style U-Net conditioned on a painting style.
//!
//! Input: the doodle, and for a network that reads it (`GeneratorConfig::
//! enclosure`), what its lines enclose ([`crate::enclosure`]) as a fourth
//! channel.
//! Encoder: strided 4x4 convolutions halve the image six times (256 -> 4).
//! Decoder: each level doubles it back, concatenating the encoder's feature map
//! of the same size (the skip connections).
//! Every normalised layer is a [`StyleNorm`]: instance norm whose scale and shift
//! are looked up per style, so one network paints every style.
//!
//! Two versions of the layers ([`GeneratorConfig::version`]):
//! - 2: resize-convolutions: a 1x1 convolution mixes the channels, nearest
//!   upsampling doubles the size, a 3x3 convolution paints the detail (a 1x1
//!   convolution commutes with nearest upsampling, so this is "upsample, then
//!   convolve" at a quarter of the cost; a painting computes the two as one
//!   transposed convolution where that is faster, see `upsampled_conv`).
//!   Every convolution pads by reflecting
//!   its input's edge (the first pads the doodle with blank paper), and the
//!   last one also sees the doodle at full size.
//! - 1: transposed 4x4 convolutions and zero padding, which leave a checkerboard
//!   in flat sky and a dark frame along the borders. Kept only to read the
//!   weights shipped before version 2.

use burn::module::Param;
use burn::nn::conv::{Conv2d, Conv2dConfig, ConvTranspose2d, ConvTranspose2dConfig};
use burn::nn::{Initializer, PaddingConfig2d};
use burn::prelude::*;
use burn::tensor::activation::{leaky_relu, relu};
use burn::tensor::module::{conv2d, conv_transpose2d, interpolate};
use burn::tensor::ops::{ConvOptions, ConvTransposeOptions, InterpolateMode, InterpolateOptions, PadMode};

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
    /// The layers' version (see the module's documentation).
    #[config(default = 2)]
    pub version: u32,
    /// Residual blocks after one of the decoder's levels: capacity for what
    /// a doodle's lines enclose (a crown, a lake, a house) to be filled.
    #[config(default = 0)]
    pub blocks: usize,
    /// The decoder level the blocks follow: 0 is the first level up (8 x 8
    /// at 256 px, where a convolution is cheap), each next one twice the
    /// size (2: 32 x 32, the scale of trees and houses).
    #[config(default = 0)]
    pub blocks_level: usize,
    /// Training only: a 1x1 convolution that tells, from the decoder's
    /// features at a quarter size, which of the painter's elements each
    /// pixel shows (`element_head` classes; 0: none). It teaches the network
    /// what a doodle's lines enclose; shipped networks leave it out.
    #[config(default = 0)]
    pub element_head: usize,
    /// The first convolution also reads what the doodle's lines enclose
    /// (the input's fourth channel, [`crate::enclosure`]).
    #[config(default = false)]
    pub enclosure: bool,
}

impl GeneratorConfig {
    /// A network's shape as a training run saved it (its `config.json`):
    /// runs from before residual blocks and the element head have neither.
    pub fn from_run_json(json: &str) -> Result<Self, String> {
        let mut fields: serde_json::Map<String, serde_json::Value> = serde_json::from_str(json).map_err(|e| e.to_string())?;
        fields.entry("blocks").or_insert(0.into());
        fields.entry("blocks_level").or_insert(0.into());
        fields.entry("element_head").or_insert(0.into());
        fields.entry("enclosure").or_insert(false.into());
        serde_json::from_value(fields.into()).map_err(|e| e.to_string())
    }

    /// Whether the network has the decoder level its blocks follow: a shape
    /// from outside (a manifest, a command line) is checked before a network
    /// is built from it.
    pub fn check(&self) -> Result<(), String> {
        let levels_up = self.widths.len().saturating_sub(1);
        if self.blocks > 0 && self.blocks_level >= levels_up {
            return Err(format!("residual blocks after decoder level {} of a network with {levels_up}", self.blocks_level));
        }
        Ok(())
    }

    /// The side of the feature maps the blocks work on, for `size` px images.
    pub fn blocks_size(&self, size: usize) -> usize {
        size >> (self.widths.len() - 1 - self.blocks_level)
    }
}

/// The style a painting is made in: one of the network's styles, or a blend
/// of two whose per-style scales and shifts are mixed, `amount` of the way
/// from `from` to `to` (0 paints `from` alone, 1 paints `to`). A plain style
/// index converts to its unblended mix.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StyleMix {
    pub from: usize,
    pub to: usize,
    pub amount: f32,
}

impl From<usize> for StyleMix {
    fn from(style: usize) -> Self {
        Self { from: style, to: style, amount: 0.0 }
    }
}

impl From<art::Style> for StyleMix {
    fn from(style: art::Style) -> Self {
        style.index().into()
    }
}

impl StyleMix {
    /// Whether this is one style alone (no mixing, so no arithmetic on its
    /// scales: the same bytes as before blends existed).
    fn single(&self) -> Option<usize> {
        match (self.amount, self.from == self.to) {
            (_, true) | (0.0, _) => Some(self.from),
            (1.0, _) => Some(self.to),
            _ => None,
        }
    }
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

    /// A norm that outputs zeros in every style until trained (its scale's
    /// offset from 1 is -1): the end of a residual block that starts as the
    /// identity, so blocks can be added to a trained network.
    fn silent(styles: usize, channels: usize, device: &Device) -> Self {
        Self {
            scale: Initializer::Constant { value: -1.0 }.init([styles, channels], device),
            shift: Initializer::Zeros.init([styles, channels], device),
            channels,
        }
    }

    fn forward(&self, x: Tensor<4>, style: StyleMix) -> Tensor<4> {
        let [batch, channels, height, width] = x.dims();
        // Instance norm: each image and channel normalised over its own pixels.
        let flat = x.reshape([batch, channels, height * width]);
        let mean = flat.clone().mean_dim(2);
        let centred = flat - mean;
        let var = centred.clone().square().mean_dim(2);
        let normed = centred / (var.clone() + 1e-5).sqrt();
        let normed = normed.reshape([batch, channels, height, width]);
        // A flat map (a blank page's, or any channel that sees no lines)
        // normalises to 0, so the layer paints its shift alone. Computed
        // otherwise, its variance is not 0 but rounding (1e-14 where the
        // pixels' sums run in different orders), which the division
        // magnifies into a pattern. Real features vary far more than this.
        let kept = var.greater_equal_elem(FLAT_VARIANCE).float().reshape([batch, channels, 1, 1]);

        let pick = |p: &Param<Tensor<2>>| {
            let row = |style: usize| p.val().slice([style..style + 1, 0..self.channels]);
            let row = match style.single() {
                Some(style) => row(style),
                None => row(style.from) * (1.0 - style.amount) + row(style.to) * style.amount,
            };
            row.reshape([1, channels, 1, 1])
        };
        // Multiplying the scale by 1 leaves it exactly as it was.
        normed * ((pick(&self.scale) + 1.0) * kept) + pick(&self.shift)
    }
}

/// Below this variance a feature map is flat (see [`StyleNorm::forward`]).
const FLAT_VARIANCE: f32 = 1e-9;

/// One encoder level: conv (stride 2), optional style norm, leaky ReLU.
#[derive(Module, Debug)]
struct Down {
    conv: Conv2d,
    norm: Option<StyleNorm>,
}

/// One decoder level that doubles the size: version 1's transposed conv, or
/// version 2's resize-convolution (`mix`, upsample, `conv`). The ones that are
/// not this version's are `None`.
#[derive(Module, Debug)]
struct Up {
    transposed: Option<ConvTranspose2d>,
    mix: Option<Conv2d>,
    conv: Option<Conv2d>,
}

impl Up {
    fn new(version: u32, channels_in: usize, channels_out: usize, device: &Device) -> Self {
        if version == 1 {
            return Self { transposed: Some(up_conv(channels_in, channels_out, device)), mix: None, conv: None };
        }
        Self {
            transposed: None,
            mix: Some(Conv2dConfig::new([channels_in, channels_out], [1, 1]).init(device)),
            conv: Some(Conv2dConfig::new([channels_out, channels_out], [3, 3]).init(device)),
        }
    }

    /// `x` at twice its size.
    fn forward(&self, x: Tensor<4>) -> Tensor<4> {
        if let Some(transposed) = &self.transposed {
            return transposed.forward(x);
        }
        let (mix, conv) = (self.mix.as_ref().expect("version 2"), self.conv.as_ref().expect("version 2"));
        upsampled_conv(conv, mix.forward(x))
    }
}

/// `conv` over `x` upsampled to twice its size (nearest) and padded by
/// reflection. Where burn's CPU backend is faster that way, it is computed
/// as the transposed convolution (stride 2, 4x4) that does the same sums on
/// `x` itself: an output pixel's 3x3 window spans only 2x2 of `x`'s pixels,
/// so it takes 16 multiplies per pixel of `x` instead of 36, and no
/// upsampled copy is padded and unfolded. The upsampled picture mirrored at
/// its edge is `x` with its edge repeated.
///
/// Measured on one core (ms, plain against transposed): 16 channels from
/// 64 px 9.9 / 2.4, 32 from 32 px 4.1 / 1.7, 64 from 16 px 2.5 / 2.1; the
/// 128 channels at 8 px lose (1.8 / 2.8: the kernel's rearranging costs more
/// than the convolution saves), as does the painting's 3 channels (1.0 / 1.7).
/// Training keeps the plain form: the transposed convolution's gradients
/// are slower on that backend, and a trainer's step lost 5-15 %.
fn upsampled_conv(conv: &Conv2d, x: Tensor<4>) -> Tensor<4> {
    let [_, channels, height, _] = x.dims();
    if height < 16 || channels <= 3 || conv.weight.val().is_require_grad() {
        let doubled = InterpolateOptions::new(InterpolateMode::Nearest).with_scale_factor([2.0, 2.0]);
        return conv.forward(reflect(interpolate(x, doubled)));
    }
    // Along one axis, output pixel 2i + a gets tap k of the transposed
    // kernel from x's pixel i + (a + 1 - k) / 2: the even pixel reads x's
    // pixel i - 1 through the 3x3 kernel's tap 0 (k = 3) and pixel i
    // through taps 1 and 2 (k = 1); the odd pixel reads pixel i through
    // taps 0 and 1 (k = 2) and pixel i + 1 through tap 2 (k = 0).
    let taps = |w: Tensor<4>, axis: usize| {
        let tap = |k: usize| w.clone().narrow(axis, k, 1);
        Tensor::cat(vec![tap(2), tap(1) + tap(2), tap(0) + tap(1), tap(0)], axis)
    };
    // [out, in, 3, 3] -> [3, 3, out, in], whose taps are contiguous blocks,
    // -> [in, out, 4, 4] as a transposed convolution takes it.
    let kernel = taps(taps(conv.weight.val().permute([2, 3, 0, 1]), 0), 1).permute([3, 2, 0, 1]);
    let bias = conv.bias.as_ref().map(|bias| bias.val());
    // Padding x by one pixel and cropping 3 from the 2h + 6 outputs leaves
    // the 2h that line up with the upsampled picture.
    conv_transpose2d(repeat_edges(x), kernel, bias, ConvTransposeOptions::new([2, 2], [3, 3], [0, 0], [1, 1], 1))
}

/// Pads by one pixel, repeating the edge rows and columns.
fn repeat_edges(x: Tensor<4>) -> Tensor<4> {
    let [_, _, height, width] = x.dims();
    let x = Tensor::cat(vec![x.clone().narrow(2, 0, 1), x.clone(), x.narrow(2, height - 1, 1)], 2);
    Tensor::cat(vec![x.clone().narrow(3, 0, 1), x.clone(), x.narrow(3, width - 1, 1)], 3)
}

/// The decoder level and its norm.
#[derive(Module, Debug)]
struct UpLevel {
    up: Up,
    norm: StyleNorm,
}

/// `x` plus a correction: two 3x3 convolutions, each style-normalised.
#[derive(Module, Debug)]
struct Block {
    first: Conv2d,
    first_norm: StyleNorm,
    second: Conv2d,
    second_norm: StyleNorm,
}

impl Block {
    fn new(styles: usize, channels: usize, device: &Device) -> Self {
        let conv = || Conv2dConfig::new([channels, channels], [3, 3]).init(device);
        Self {
            first: conv(),
            first_norm: StyleNorm::new(styles, channels, device),
            second: conv(),
            second_norm: StyleNorm::silent(styles, channels, device),
        }
    }

    fn forward(&self, x: Tensor<4>, style: StyleMix) -> Tensor<4> {
        let y = relu(self.first_norm.forward(self.first.forward(reflect(x.clone())), style));
        x + self.second_norm.forward(self.second.forward(reflect(y)), style) * BLOCK_PACE
    }
}

/// A residual block's correction counts this many times what its silent
/// norm gives: under Adam, a learning rate this many times the network's for
/// that norm's scale and shift, which start at zero. At the network's pace a
/// block added to a trained run stayed near the identity for thousands of
/// steps (its scale moves about 1e-4 a step: 0.02 after 200).
const BLOCK_PACE: f32 = 10.0;

/// The element head's logits are its convolution's output times this, from
/// initial weights this much smaller than usual: under Adam that is a
/// learning rate this many times the network's for the head alone. A head
/// added to a trained network then learns what its features already tell;
/// at the network's pace the features bent to a random head instead, and the
/// held-out PSNR fell by 1 dB (weight 20, from step 16,800).
const HEAD_PACE: f32 = 10.0;

/// The enclosure's weights count this many times what they store: under
/// Adam, a learning rate this many times the network's for them alone, so a
/// trained network that grows them (at zero) learns to read the new channel
/// in hundreds of steps rather than thousands.
const ENCLOSURE_PACE: f32 = 10.0;

/// The U-Net generator.
#[derive(Module, Debug)]
pub struct Generator {
    downs: Vec<Down>,
    ups: Vec<UpLevel>,
    /// Residual blocks after the decoder level `blocks_level`.
    blocks: Vec<Block>,
    blocks_level: usize,
    /// Training only: element logits from the quarter-size decoder level.
    element_head: Option<Conv2d>,
    /// The first convolution's weights for the enclosure channel (its bias
    /// is the doodle's convolution's).
    enclosure: Option<Conv2d>,
    out: Up,
    /// Version 2: the 3x3 convolution of the doodle added to the output.
    out_doodle: Option<Conv2d>,
    styles: usize,
    version: u32,
}

/// Pads by one pixel, mirroring the picture at its edges: zero padding would
/// tell every layer where the border is, and the network paints a frame there.
/// Mirrored by one pixel, an edge gets a copy of the row (column) beside it:
/// two concatenations, where burn's general reflect padding also fills the
/// result with zeros and flips each side (a tenth of a painting on the CPU).
fn reflect(x: Tensor<4>) -> Tensor<4> {
    let [_, _, height, width] = x.dims();
    let x = Tensor::cat(vec![x.clone().narrow(2, 1, 1), x.clone(), x.narrow(2, height - 2, 1)], 2);
    Tensor::cat(vec![x.clone().narrow(3, 1, 1), x.clone(), x.narrow(3, width - 2, 1)], 3)
}

/// tanh(x) = 1 - 2 / (e^2x + 1). burn's CPU backend calls the C library's
/// tanh per pixel, which took a tenth of a painting; its exp is several times
/// cheaper. Large x give e^2x = inf and 1, very negative x 0 and -1.
fn tanh(x: Tensor<4>) -> Tensor<4> {
    ((x * 2.0).exp() + 1.0).recip() * -2.0 + 1.0
}

/// The first convolution (4x4, stride 2, over the padded doodle's 3
/// channels) as the same sums over the doodle cut into 2x2 blocks (12
/// channels) with a 2x2 kernel at stride 1. burn's CPU backend takes a
/// per-channel path for 3 input channels that does not vectorise at stride 2:
/// that one convolution took a fifth of a painting.
fn first_conv(conv: &Conv2d, x: Tensor<4>) -> Tensor<4> {
    first_conv_of(conv.weight.val(), conv.bias.as_ref().map(|bias| bias.val()), x)
}

fn first_conv_of(weight: Tensor<4>, bias: Option<Tensor<1>>, x: Tensor<4>) -> Tensor<4> {
    let [batch, channels, height, width] = x.dims();
    // [b, c, y, dy, x, dx] -> [b, c, dy, dx, y, x]: channel c*4 + dy*2 + dx.
    let blocks = x
        .reshape([batch, channels, height / 2, 2, width / 2, 2])
        .permute([0, 1, 3, 5, 2, 4])
        .reshape([batch, channels * 4, height / 2, width / 2]);
    let [out, _, kernel, _] = weight.dims();
    // Kernel row 2*ky + dy, column 2*kx + dx, in the same channel order.
    let weight = weight
        .reshape([out, channels, kernel / 2, 2, kernel / 2, 2])
        .permute([0, 1, 3, 5, 2, 4])
        .reshape([out, channels * 4, kernel / 2, kernel / 2]);
    conv2d(blocks, weight, bias, ConvOptions::new([1, 1], [0, 0], [1, 1], 1))
}

fn down_conv(version: u32, channels_in: usize, channels_out: usize, device: &Device) -> Conv2d {
    let padding = if version == 1 { PaddingConfig2d::Explicit(1, 1, 1, 1) } else { PaddingConfig2d::Valid };
    Conv2dConfig::new([channels_in, channels_out], [4, 4]).with_stride([2, 2]).with_padding(padding).init(device)
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
                conv: down_conv(self.version, channels_in, width, device),
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
            ups.push(UpLevel {
                up: Up::new(self.version, from_below, widths[level], device),
                norm: StyleNorm::new(self.styles, widths[level], device),
            });
        }
        let out = if self.version == 1 {
            Up::new(1, 2 * widths[0], 3, device)
        } else {
            // A coarse painting at half size, upsampled and sharpened.
            Up::new(2, 2 * widths[0], 3, device)
        };
        // The doodle's share of the last 3x3 convolution (see `Generator::forward`).
        let out_doodle = (self.version > 1).then(|| Conv2dConfig::new([3, 3], [3, 3]).with_bias(false).init(device));
        if let Err(message) = self.check() {
            panic!("{message}");
        }
        let blocks = (0..self.blocks).map(|_| Block::new(self.styles, widths[widths.len() - 2 - self.blocks_level], device)).collect();
        // The decoder level at a quarter of the image's size.
        let quarter = widths[1];
        let small = Initializer::KaimingUniform { gain: 1.0 / (3.0f64.sqrt() * f64::from(HEAD_PACE)), fan_out_only: false };
        let element_head = (self.element_head > 0).then(|| Conv2dConfig::new([quarter, self.element_head], [1, 1]).with_initializer(small).init(device));
        // Zero: a trained network that grows it paints as it did.
        let enclosure = self.enclosure.then(|| Conv2dConfig::new([1, widths[0]], [4, 4]).with_bias(false).with_initializer(Initializer::Zeros).init(device));
        Generator { downs, ups, blocks, blocks_level: self.blocks_level, element_head, enclosure, out, out_doodle, styles: self.styles, version: self.version }
    }
}

impl Generator {
    /// Number of styles this network was built for.
    pub fn styles(&self) -> usize {
        self.styles
    }

    /// `input`: `[batch, 4, 256, 256]`, the doodle in `[-1, 1]` and what
    /// its lines enclose ([`crate::inference::doodles_to_tensor`]); a
    /// network that does not read the enclosure takes the doodle alone too
    /// (`[batch, 3, ..]`). Returns the painting, `[batch, 3, 256, 256]` in
    /// `[-1, 1]`. `style` must be below [`Self::styles`].
    pub fn forward(&self, input: Tensor<4>, style: impl Into<StyleMix>) -> Tensor<4> {
        self.paint(input, style.into(), false).0
    }

    /// Whether the network reads what the doodle's lines enclose.
    pub fn reads_enclosure(&self) -> bool {
        self.enclosure.is_some()
    }

    /// [`Self::forward`], and the element head's logits (`[batch, classes,
    /// size / 4, size / 4]`) if the network has one.
    pub fn forward_with_elements(&self, input: Tensor<4>, style: impl Into<StyleMix>) -> (Tensor<4>, Option<Tensor<4>>) {
        self.paint(input, style.into(), true)
    }

    /// This network without its element head: what is shipped.
    pub fn without_element_head(self) -> Self {
        Self { element_head: None, ..self }
    }

    fn paint(&self, input: Tensor<4>, style: StyleMix, with_elements: bool) -> (Tensor<4>, Option<Tensor<4>>) {
        assert!(style.from < self.styles && style.to < self.styles, "styles {style:?} of {}", self.styles);
        assert!((0.0..=1.0).contains(&style.amount), "blend amount {} outside 0..=1", style.amount);
        let channels = input.dims()[1];
        assert!(channels == 4 || (channels == 3 && self.enclosure.is_none()), "{channels} input channels: the doodle and its enclosure are 4");
        let doodle = input.clone().narrow(1, 0, 3);
        let mut skips = Vec::with_capacity(self.downs.len());
        let mut elements = None;
        let mut x = doodle.clone();
        for (level, down) in self.downs.iter().enumerate() {
            x = match (self.version, level) {
                // Version 1's convolutions pad with zeros themselves, but the
                // first one is cut into blocks, which needs its padding done.
                (1, 0) => first_conv(&down.conv, x.pad((1, 1, 1, 1), PadMode::Constant(0.0))),
                (1, _) => down.conv.forward(x),
                // Beyond the doodle's edge lies more blank paper (white is 1),
                // which encloses nothing (0).
                (_, 0) => {
                    let paper = x.pad((1, 1, 1, 1), PadMode::Constant(1.0));
                    match &self.enclosure {
                        None => first_conv(&down.conv, paper),
                        Some(enclosure) => {
                            let inside = input.clone().narrow(1, 3, 1).pad((1, 1, 1, 1), PadMode::Constant(0.0));
                            let x = Tensor::cat(vec![paper, inside], 1);
                            let weight = Tensor::cat(vec![down.conv.weight.val(), enclosure.weight.val() * ENCLOSURE_PACE], 1);
                            first_conv_of(weight, down.conv.bias.as_ref().map(|bias| bias.val()), x)
                        }
                    }
                }
                _ => down.conv.forward(reflect(x)),
            };
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
            x = relu(up.norm.forward(up.up.forward(x), style));
            if i == self.blocks_level {
                x = self.blocks.iter().fold(x, |x, block| block.forward(x, style));
            }
            if with_elements && x.dims()[2] * 4 == doodle.dims()[2] {
                elements = self.element_head.as_ref().map(|head| head.forward(x.clone()) * HEAD_PACE);
            }
        }
        let skip = skips.pop().expect("first encoder level");
        let mut painting = self.out.forward(Tensor::cat(vec![x, skip], 1));
        if let Some(out_doodle) = &self.out_doodle {
            // The last 3x3 convolution sees the upsampled painting and the
            // doodle at full size, so edges can follow the lines. Two 3-channel
            // convolutions summed are one over the 6 channels side by side,
            // and 10 times faster on the CPU backend, whose convolutions slow
            // sharply from 5 input channels at this size.
            painting = painting + out_doodle.forward(reflect(doodle));
        }
        (tanh(painting), elements)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::tensor::Distribution;

    fn largest_difference(a: Tensor<4>, b: Tensor<4>) -> f32 {
        assert_eq!(a.dims(), b.dims());
        (a - b).abs().max().into_scalar()
    }

    fn random(dims: [usize; 4], device: &Device) -> Tensor<4> {
        Tensor::random(dims, Distribution::Uniform(-1.0, 1.0), device)
    }

    #[test]
    fn reflect_is_burns_reflect_padding() {
        let device = Device::flex();
        let x = random([2, 3, 7, 9], &device);
        assert_eq!(largest_difference(reflect(x.clone()), x.pad((1, 1, 1, 1), PadMode::Reflect)), 0.0);
    }

    #[test]
    fn tanh_is_burns_tanh() {
        let device = Device::flex();
        let x = random([1, 3, 16, 16], &device) * 12.0;
        assert!(largest_difference(tanh(x.clone()), x.tanh()) < 1e-6);
    }

    #[test]
    fn a_blend_mixes_two_styles_scales_and_shifts() {
        let device = Device::flex();
        let norm = StyleNorm::new(6, 8, &device);
        let x = random([1, 8, 5, 5], &device);
        let mix = |amount| norm.forward(x.clone(), StyleMix { from: 1, to: 4, amount });
        // The ends are the styles themselves, exactly.
        assert_eq!(largest_difference(mix(0.0), norm.forward(x.clone(), 1.into())), 0.0);
        assert_eq!(largest_difference(mix(1.0), norm.forward(x.clone(), 4.into())), 0.0);
        // The norm is linear in scale and shift: halfway is the mean of the ends.
        let halfway = (mix(0.0) + mix(1.0)) / 2.0;
        assert!(largest_difference(mix(0.5), halfway) < 1e-5);
        assert!(largest_difference(mix(0.5), mix(0.0)) > 1e-3, "halfway differs from the ends");
    }

    #[test]
    fn a_flat_map_normalises_to_the_shift_alone() {
        let device = Device::flex();
        let norm = StyleNorm::new(6, 2, &device);
        // Channel 0 is flat but for rounding-sized noise, channel 1 a real feature.
        let noise = random([1, 1, 8, 8], &device) * 1e-7;
        let x = Tensor::cat(vec![noise + 0.3, random([1, 1, 8, 8], &device)], 1);
        let y = norm.forward(x, 2.into());
        let flat = y.clone().narrow(1, 0, 1);
        let shift = norm.shift.val().slice([2..3, 0..1]).reshape([1, 1, 1, 1]).expand([1, 1, 8, 8]);
        assert_eq!(largest_difference(flat, shift), 0.0, "a flat map paints its shift, exactly");
        let feature = y.narrow(1, 1, 1);
        assert!(feature.clone().max().into_scalar::<f32>() - feature.min().into_scalar::<f32>() > 1.0, "a real feature is still normalised");
    }

    #[test]
    fn upsampled_conv_is_upsampling_then_convolving() {
        let device = Device::flex();
        // Both ways of computing it (the transposed form from 16 px and 4
        // channels): sizes that differ, so that rows and columns are not
        // mixed up.
        for (channels, height, width) in [(5, 18, 21), (16, 17, 16), (3, 6, 9), (16, 7, 5)] {
            let conv = Conv2dConfig::new([channels, 7], [3, 3]).init(&device);
            let x = random([2, channels, height, width], &device);
            let doubled = InterpolateOptions::new(InterpolateMode::Nearest).with_scale_factor([2.0, 2.0]);
            let plain = conv.forward(interpolate(x.clone(), doubled).pad((1, 1, 1, 1), PadMode::Reflect));
            let difference = largest_difference(upsampled_conv(&conv, x), plain);
            assert!(difference < 1e-5, "{channels} channels, {height} x {width}: {difference}");
        }
    }

    #[test]
    fn first_conv_is_the_strided_convolution() {
        let device = Device::flex();
        let conv = Conv2dConfig::new([3, 16], [4, 4]).with_stride([2, 2]).init(&device);
        let x = random([2, 3, 34, 34], &device);
        let difference = largest_difference(first_conv(&conv, x.clone()), conv.forward(x));
        assert!(difference < 1e-5, "{difference}");
    }
}
