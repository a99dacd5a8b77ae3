//! Training the generator on the scene painter's pairs:
//! pix2pix with a 70x70 PatchGAN discriminator, LSGAN plus 100 x L1, Adam 2e-4
//! with betas (0.5, 0.999). A run checkpoints to a folder and resumes from it.

use std::path::Path;

use burn::module::{Module, ModuleMapper, ModuleVisitor, Param};
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::{InstanceNorm, InstanceNormConfig, PaddingConfig2d};
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer, MultiGradientsParams};
use burn::prelude::*;
use burn::store::{BurnpackStore, ModuleSnapshot};
use burn::tensor::TensorData;
use burn::tensor::activation::{leaky_relu, log_softmax};
use serde::{Deserialize, Serialize};

use model::card::Stage;
use model::generator::{Generator, GeneratorConfig};
use model::inference::{doodles_to_tensor, images_to_tensor, scalar};
use model::{RgbImage, Style};
use scene::{Doodler, Element, Scene, render_doodle_by, render_painting_and_elements};

use crate::metrics::{Quality, quality, ssim};

/// Channels of the discriminator's first level. pix2pix uses 64; 16 costs a
/// sixteenth of the compute of 64 (a quarter of 32, the first run's), so more
/// pairs fit into the same hours, where the discriminator took two thirds of
/// each step.
pub const DISCRIMINATOR_WIDTH: usize = 16;

/// One level of the discriminator: 4x4 conv, optional instance norm, leaky ReLU.
#[derive(Module, Debug)]
struct Level {
    conv: Conv2d,
    norm: Option<InstanceNorm>,
}

/// The 70x70 PatchGAN: judges overlapping 70x70 patches of (doodle, painting)
/// as real or painted by the generator.
#[derive(Module, Debug)]
pub struct Discriminator {
    levels: Vec<Level>,
    out: Conv2d,
}

impl Discriminator {
    /// `width` channels in the first level (pix2pix uses 64).
    pub fn new(width: usize, device: &Device) -> Self {
        let conv = |i, o, stride| {
            Conv2dConfig::new([i, o], [4, 4])
                .with_stride([stride, stride])
                .with_padding(PaddingConfig2d::Explicit(1, 1, 1, 1))
                .init(device)
        };
        let widths = [width, width * 2, width * 4, width * 8];
        let mut levels = Vec::new();
        let mut channels_in = 6;
        for (i, &w) in widths.iter().enumerate() {
            levels.push(Level {
                conv: conv(channels_in, w, if i < 3 { 2 } else { 1 }),
                norm: (i > 0).then(|| InstanceNormConfig::new(w).init(device)),
            });
            channels_in = w;
        }
        Self { levels, out: conv(channels_in, 1, 1) }
    }

    /// Patch scores for `[batch, 6, h, w]` (doodle and painting side by side in channels).
    pub fn forward(&self, pair: Tensor<4>) -> Tensor<4> {
        self.forward_with_features(pair, false).0
    }

    /// The patch scores, and with `features` each level's activations: what
    /// feature matching compares.
    pub fn forward_with_features(&self, pair: Tensor<4>, features: bool) -> (Tensor<4>, Vec<Tensor<4>>) {
        let mut x = pair;
        let mut levels = Vec::new();
        for level in &self.levels {
            x = level.conv.forward(x);
            if let Some(norm) = &level.norm {
                x = norm.forward(x);
            }
            x = leaky_relu(x, 0.2);
            if features {
                levels.push(x.clone());
            }
        }
        (self.out.forward(x), levels)
    }
}

/// pix2pixHD's feature-matching loss: how far the discriminator's
/// activations on a painted pair lie from those on the real pair, the mean
/// absolute difference of each level, averaged over the levels. Unlike the
/// adversarial loss it does not fade once the discriminator tells every
/// painting from the real ones: it says where they differ, level by level.
pub fn feature_matching(real: &[Tensor<4>], painted: &[Tensor<4>]) -> Tensor<1> {
    assert!(!real.is_empty() && real.len() == painted.len(), "one painted level per real one");
    let levels = real.len() as f32;
    let sum = real.iter().zip(painted).map(|(real, painted)| (painted.clone() - real.clone().detach()).abs().mean()).reduce(|a, b| a + b);
    sum.expect("a level") / levels
}

/// Training pairs as the scene painter renders them, on the CPU, all in one
/// style: what the painter threads make ahead of the step that needs them.
pub struct Pairs {
    pub doodles: Vec<RgbImage>,
    pub paintings: Vec<RgbImage>,
    /// What each painting's pixels show, row by row.
    pub elements: Vec<Vec<Element>>,
    pub style: Style,
}

impl Pairs {
    /// The pairs of `seeds` in `style` at `size`, the doodles in the
    /// painter's own hand.
    pub fn render(seeds: &[u64], style: Style, size: u32) -> Self {
        Self::render_by(seeds, style, size, |_| Augmentation::default())
    }

    /// Training pairs (see [`Augmentation::of_seed`]).
    pub fn render_augmented(seeds: &[u64], style: Style, size: u32) -> Self {
        Self::render_by(seeds, style, size, |seed| Augmentation::of_seed(seed, size))
    }

    /// The training pairs of step `step`: its seeds follow the step, so a
    /// resumed run sees new pairs, and the styles take turns.
    pub fn of_step(step: u64, batch: u64, size: u32) -> Self {
        let seeds: Vec<u64> = (0..batch).map(|i| step * batch + i).collect();
        Self::render_augmented(&seeds, Style::ALL[(step % Style::ALL.len() as u64) as usize], size)
    }

    /// The pairs of `seeds` in `style` at `size`, each made as `how` says.
    pub fn render_by(seeds: &[u64], style: Style, size: u32, how: impl Fn(u64) -> Augmentation) -> Self {
        let (mut doodles, mut paintings, mut elements) = (Vec::new(), Vec::new(), Vec::new());
        for &seed in seeds {
            let Augmentation { doodler, mirror, close_up, sparse } = how(seed);
            let scene = if sparse { Scene::sample_sparse(seed) } else { Scene::sample(seed) };
            let (doodle, (painting, shows)) = match close_up {
                None => (render_doodle_by(&doodler, &scene, seed, size), render_painting_and_elements(&scene, style, seed, size)),
                Some(CloseUp { zoom, x, y }) => {
                    let large = size * zoom;
                    let doodle = render_doodle_by(&doodler.zoomed(zoom as f32), &scene, seed, large);
                    let (painting, shows) = render_painting_and_elements(&scene, style, seed, large);
                    let image = |pixels: &[u8]| RgbImage { width: size as usize, height: size as usize, pixels: cropped(pixels, large as usize, 3, x, y, size) };
                    (image(&doodle.pixels), (image(&painting.pixels), cropped(&shows, large as usize, 1, x, y, size)))
                }
            };
            let width = size as usize;
            let image = |image: RgbImage| if mirror { RgbImage { pixels: mirrored(&image.pixels, width, 3), ..image } } else { image };
            doodles.push(image(doodle));
            paintings.push(image(painting));
            elements.push(if mirror { mirrored(&shows, width, 1) } else { shows });
        }
        Self { doodles, paintings, elements, style }
    }

    /// The pairs as tensors on `device`.
    pub fn to_batch(&self, device: &Device) -> Batch {
        Batch {
            doodles: doodles_to_tensor(&self.doodles, device),
            paintings: images_to_tensor(&self.paintings, device),
            elements: self.elements.clone(),
            style: self.style,
        }
    }
}

/// A batch of training pairs in `[-1, 1]`, all in one style.
pub struct Batch {
    /// The network's input: the doodles and what their lines enclose
    /// ([`doodles_to_tensor`]).
    pub doodles: Tensor<4>,
    pub paintings: Tensor<4>,
    /// What each painting's pixels show, row by row.
    pub elements: Vec<Vec<Element>>,
    pub style: Style,
}

impl Batch {
    /// [`Pairs::render`] on `device`.
    pub fn render(seeds: &[u64], style: Style, size: u32, device: &Device) -> Self {
        Pairs::render(seeds, style, size).to_batch(device)
    }

    /// [`Pairs::render_augmented`] on `device`.
    pub fn render_augmented(seeds: &[u64], style: Style, size: u32, device: &Device) -> Self {
        Pairs::render_augmented(seeds, style, size).to_batch(device)
    }
}

/// How one training pair is made from its seed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Augmentation {
    pub doodler: Doodler,
    /// Both images flipped left to right (so they still agree).
    pub mirror: bool,
    pub close_up: Option<CloseUp>,
    /// A sparse scene ([`Scene::sample_sparse`]) rather than a whole one.
    pub sparse: bool,
}

impl Augmentation {
    /// Two in three doodles drawn by a random [`Doodler`], the rest in the
    /// painter's own hand, every painted element drawn (a doodle that lacks
    /// one teaches the network to hedge); one pair in four a close-up, a
    /// quarter of the scene at twice the size, and one in four a sparse
    /// scene (houses, crowns and shores as large as people draw them: in
    /// whole scenes they are small, and the model left large outlines
    /// unfilled); half of the pairs mirrored. All deterministic for the seed.
    pub fn of_seed(seed: u64, size: u32) -> Self {
        Self {
            doodler: if seed % 3 == 0 { Doodler::default() } else { Doodler::sample(seed) },
            mirror: seed % 2 == 1,
            close_up: matches!(seed % 8, 2 | 5).then(|| close_up(seed, size)),
            sparse: matches!(seed % 8, 1 | 4),
        }
    }
}

/// A pair drawn `zoom` times larger and cut to its size at `(x, y)`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CloseUp {
    pub zoom: u32,
    pub x: u32,
    pub y: u32,
}

/// The close-up of training seed `seed`: twice the size, anywhere in the
/// scene (deterministic for the seed).
pub fn close_up(seed: u64, size: u32) -> CloseUp {
    let hash = seed.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let span = u64::from(size) + 1;
    CloseUp { zoom: 2, x: ((hash >> 12) % span) as u32, y: ((hash >> 38) % span) as u32 }
}

/// The `size` x `size` square from `(x, y)` of an image `width` pixels wide
/// with `channels` values a pixel.
fn cropped<T: Copy>(pixels: &[T], width: usize, channels: usize, x: u32, y: u32, size: u32) -> Vec<T> {
    let (x, y, size) = (x as usize, y as usize, size as usize);
    (y..y + size).flat_map(|row| pixels[(row * width + x) * channels..(row * width + x + size) * channels].iter().copied()).collect()
}

/// An image `width` pixels wide with `channels` values a pixel, flipped left to right.
fn mirrored<T: Copy>(pixels: &[T], width: usize, channels: usize) -> Vec<T> {
    pixels.chunks_exact(width * channels).flat_map(|row| row.chunks_exact(channels).rev().flatten().copied()).collect()
}

/// Each pixel's weight in the L1 loss: `share ^ -balance` for the share of
/// the image its element covers, scaled to a mean of 1. At 0 every pixel
/// counts the same; above, small things (a tree, a house, a lake: a few
/// percent of the pixels, most of the error) count more than sky and grass.
/// The element head's targets weigh their grid's cells the same way
/// ([`quarter_one_hot`]).
pub fn l1_weights(elements: &[Element], balance: f32) -> Vec<f32> {
    let mut counts = [0usize; Element::ALL.len()];
    for &element in elements {
        counts[element as usize] += 1;
    }
    let weight = |element: Element| (counts[element as usize] as f32 / elements.len() as f32).powf(-balance);
    let mean = elements.iter().map(|&e| weight(e)).sum::<f32>() / elements.len().max(1) as f32;
    elements.iter().map(|&e| weight(e) / mean).collect()
}

/// What each pixel shows on a grid a quarter of the image's `size`, one-hot
/// (`[elements, size / 4, size / 4]`, row by row): the element at the centre
/// of each 4x4 block, the element head's target. Each cell's one is its
/// weight in the cross-entropy, as [`l1_weights`] weighs pixels by `balance`
/// (0: all 1): a house's few cells then count beside the sky's many.
pub fn quarter_one_hot(elements: &[Element], size: usize, balance: f32) -> Vec<f32> {
    let quarter = size / 4;
    let centres = quarter_centres(elements, size);
    let weights = l1_weights(&centres, balance);
    let mut one_hot = vec![0.0; Element::ALL.len() * quarter * quarter];
    for (cell, (&element, weight)) in centres.iter().zip(weights).enumerate() {
        one_hot[element as usize * quarter * quarter + cell] = weight;
    }
    one_hot
}

/// The element at the centre of each 4x4 block of an image `size` pixels
/// wide, row by row: what the element head is taught each cell shows.
pub fn quarter_centres(elements: &[Element], size: usize) -> Vec<Element> {
    let quarter = size / 4;
    (0..quarter * quarter).map(|cell| elements[((cell / quarter) * 4 + 2) * size + (cell % quarter) * 4 + 2]).collect()
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct Losses {
    pub discriminator: f32,
    pub adversarial: f32,
    pub l1: f32,
    /// The element head's cross-entropy (0 without one).
    pub elements: f32,
    /// The feature-matching loss (0 when not trained with it).
    pub feature_matching: f32,
    /// 1 - SSIM of the paintings against their targets (0 when not trained
    /// with it).
    pub ssim: f32,
    /// The mean squared error of the paintings against their targets (0
    /// when not trained with it).
    pub l2: f32,
}

/// Where a run is, saved beside the weights in a checkpoint.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Progress {
    pub step: u64,
    pub images_seen: u64,
    /// The run so far, one entry per image size and batch size, in order:
    /// what the model card reports and how to reproduce it.
    #[serde(default)]
    pub stages: Vec<Stage>,
    /// The step the moving average of the generator's weights
    /// (`generator-average.bpk`) began at: none for runs checkpointed before
    /// runs kept one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub average_from: Option<u64>,
}

impl Progress {
    /// The progress of the run checkpointed in `dir`.
    pub fn load(dir: &Path) -> Result<Self, String> {
        let path = dir.join("progress.json");
        let json = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        serde_json::from_str(&json).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Counts the training that just ended at `self.step`: `stage`'s
    /// settings and seconds (its `until_step` is this step).
    pub fn record(&mut self, stage: Stage) {
        match self.stages.last_mut() {
            Some(last) if last.same_settings(&stage) => {
                last.until_step = self.step;
                last.seconds += stage.seconds;
            }
            _ => self.stages.push(Stage { until_step: self.step, ..stage }),
        }
    }
}

/// Paints the held-out `seeds` in every style with each of `generators`
/// (of the same styles) and scores the paintings against the painter's: per
/// generator, one [`Quality`] per style. The pairs are rendered once for all.
pub fn validate(generators: &[&Generator], seeds: &[u64], size: u32, device: &Device) -> Vec<Vec<Quality>> {
    validate_by(generators, device, |style| Pairs::render(seeds, style, size))
}

/// [`validate`] on the sparse scenes of the held-out `seeds`
/// ([`Scene::sample_sparse`]): how well large things, drawn the way people
/// sketch them, are painted.
pub fn validate_sparse(generators: &[&Generator], seeds: &[u64], size: u32, device: &Device) -> Vec<Vec<Quality>> {
    let sparse = |_| Augmentation { sparse: true, ..Augmentation::default() };
    validate_by(generators, device, |style| Pairs::render_by(seeds, style, size, sparse))
}

fn validate_by(generators: &[&Generator], device: &Device, pairs: impl Fn(Style) -> Pairs) -> Vec<Vec<Quality>> {
    let mut scores = vec![Vec::new(); generators.len()];
    let styles = generators.first().map_or(0, |generator| generator.styles());
    for &style in &Style::ALL[..styles] {
        let batch = pairs(style).to_batch(device);
        for (generator, scores) in generators.iter().zip(&mut scores) {
            scores.push(quality(generator.forward(batch.doodles.clone(), style.index()).detach(), batch.paintings.clone()));
        }
    }
    scores
}

/// The network's shape of the run in `dir`: its `config.json`, or this
/// version's default shape for a run checkpointed before runs kept one.
pub fn run_config(dir: &Path) -> Result<GeneratorConfig, String> {
    let path = dir.join("config.json");
    match std::fs::read_to_string(&path) {
        Ok(json) => GeneratorConfig::from_run_json(&json).map_err(|e| format!("{}: {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(GeneratorConfig::new(Style::ALL.len())),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// The generator of the checkpoint in `dir`, on `device`. `config` may add
/// residual blocks to the checkpoint's network (they start as the identity,
/// so the network paints as it did), an element head and the enclosure's
/// weights (zero: the same); anything else the file lacks is an error.
pub fn load_generator(config: &GeneratorConfig, dir: &Path, device: &Device) -> Result<Generator, String> {
    load_generator_from(config, dir, GENERATOR_FILE, device)
}

/// The checkpoint's last weights, and their moving average.
pub const GENERATOR_FILE: &str = "generator.bpk";
pub const AVERAGE_FILE: &str = "generator-average.bpk";

/// [`load_generator`] from the weights file `name` of `dir`.
pub fn load_generator_from(config: &GeneratorConfig, dir: &Path, name: &str, device: &Device) -> Result<Generator, String> {
    let path = dir.join(name);
    let saved = run_config(dir)?;
    let mut generator = config.init(device);
    let mut store = BurnpackStore::from_file(&path).allow_partial(true);
    let result = generator.load_from(&mut store).map_err(|e| format!("{}: {e}", path.display()))?;
    let added_block = |name: &str| {
        let index = name.strip_prefix("blocks.").and_then(|rest| rest.split('.').next()).and_then(|i| i.parse::<usize>().ok());
        index.is_some_and(|i| i >= saved.blocks)
    };
    let added = |name: &&str| {
        added_block(name) || (saved.element_head == 0 && name.starts_with("element_head.")) || (!saved.enclosure && name.starts_with("enclosure."))
    };
    let misfits: Vec<&str> = result.missing.iter().map(|(name, _)| name.as_str()).filter(|name| !added(name)).collect();
    if !misfits.is_empty() || !result.errors.is_empty() {
        return Err(format!("{}: does not fit the network (missing {misfits:?}, errors {:?})", path.display(), result.errors));
    }
    Ok(generator)
}

/// How much of the generator's moving average each step keeps; the rest is
/// that step's weights. At a constant learning rate the weights jitter from
/// step to step; their average over about the last 1 / (1 - decay) = 1,000
/// steps paints more steadily while the run goes on learning (GANs have
/// shipped such averages since progressive growing, Karras et al. 2018).
pub const AVERAGE_DECAY: f32 = 0.999;

/// `average` moved `share` of the way towards `generator`'s weights (the two
/// of the same shape).
pub fn moved_towards(average: Generator, generator: &Generator, share: f32) -> Generator {
    struct Flatten(Vec<Tensor<1>>);
    impl ModuleVisitor for Flatten {
        fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
            let value = param.val().detach();
            let len = value.shape().num_elements();
            self.0.push(value.reshape([len]));
        }
    }
    struct Towards(std::vec::IntoIter<Tensor<1>>, f32);
    impl ModuleMapper for Towards {
        fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
            let target = self.0.next().expect("the average has the generator's shape");
            let share = self.1;
            // Detached, so the average never grows an autodiff graph.
            param.map(|value| {
                let value = value.detach();
                value.clone() + (target.reshape(value.dims()) - value) * share
            })
        }
    }
    let mut targets = Flatten(Vec::new());
    generator.visit(&mut targets);
    average.map(&mut Towards(targets.0.into_iter(), share))
}

/// One device's share of a batch in a data-parallel step, and its weight in
/// the batch's mean loss (its share of the pairs).
struct Shard {
    device: Device,
    doodles: Tensor<4>,
    paintings: Tensor<4>,
    /// Each pixel's weight in the L1 loss (`[n, 1, h, w]`), or none for all alike.
    l1_weights: Option<Tensor<4>>,
    /// With an element head: what each pixel of the quarter-size grid shows,
    /// one-hot (`[n, elements, h / 4, w / 4]`).
    elements: Option<Tensor<4>>,
    weight: f32,
}

/// Runs `work` on every shard (with its index) at once, a thread each (a GPU
/// each), or in place for a single shard; results in shard order.
fn on_each<R: Send>(shards: &[Shard], work: impl Fn(usize, &Shard) -> R + Sync) -> Vec<R> {
    if let [shard] = shards {
        return vec![work(0, shard)];
    }
    std::thread::scope(|scope| {
        let work = &work;
        let running: Vec<_> = shards.iter().enumerate().map(|(i, shard)| scope.spawn(move || work(i, shard))).collect();
        running.into_iter().map(|thread| thread.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
    })
}

/// What a resumed run adds to its checkpoint's network (or takes away).
#[derive(Debug, Clone, Copy, Default)]
pub struct Growth {
    /// Residual blocks in all: more than the checkpoint's start as the
    /// identity; fewer drop the last ones (the network then paints otherwise).
    pub blocks: Option<usize>,
    /// The decoder level new blocks follow (a checkpoint's blocks stay where
    /// they are).
    pub blocks_level: Option<usize>,
    /// An element head, if the network has none.
    pub element_head: bool,
    /// The first convolution's weights for what the doodle's lines enclose
    /// (zero at first, so the network paints as it did).
    pub enclosure: bool,
}

pub struct Trainer {
    pub config: GeneratorConfig,
    pub generator: Generator,
    /// The generator's weights averaged over the last steps
    /// ([`AVERAGE_DECAY`]): what a run ships.
    pub average: Generator,
    pub discriminator: Discriminator,
    optim_generator: ModuleOptimizer,
    optim_discriminator: ModuleOptimizer,
    pub progress: Progress,
    pub learning_rate: f64,
    /// The weight of the adversarial loss (pix2pix: 1). At 0 the
    /// discriminator is neither run nor trained: a step costs less, and the
    /// painting answers to its losses against the target alone.
    pub adversarial_weight: f32,
    pub l1_weight: f32,
    /// The weight of the mean squared error against the target, every pixel
    /// alike (0: none): the quantity PSNR measures. L1 pulls a painting
    /// towards the median of what a doodle may show, this towards the mean.
    pub l2_weight: f32,
    /// How much more small things count in the L1 loss ([`l1_weights`]; 0:
    /// every pixel the same).
    pub element_balance: f32,
    /// The weight of the element head's cross-entropy against the
    /// adversarial loss's 1 (0: the head, if any, is not trained).
    pub element_head: f32,
    /// How much more small things count in the element head's
    /// cross-entropy ([`quarter_one_hot`]; 0: every cell the same).
    pub element_head_balance: f32,
    /// The weight of the feature-matching loss ([`feature_matching`])
    /// against the adversarial loss's 1 (0: none).
    pub feature_matching: f32,
    /// The weight of 1 - SSIM of the painting against its target (the
    /// validation's SSIM, [`ssim`]) against the adversarial
    /// loss's 1 (0: none). L1 weighs each pixel's error alone; SSIM asks
    /// for the target's local contrast and structure, which an L1-trained
    /// painting smooths away where it is unsure.
    pub ssim_weight: f32,
    /// The autodiff devices a step's batch is split across (data parallel).
    /// Between steps the weights live on the first.
    devices: Vec<Device>,
}

fn adam() -> ModuleOptimizer {
    AdamConfig::new().with_beta_1(0.5).with_beta_2(0.999).init()
}

impl Trainer {
    /// A fresh run on autodiff `devices` (at least one): each step splits
    /// its batch across them.
    pub fn new(config: &GeneratorConfig, discriminator_width: usize, devices: &[Device]) -> Self {
        assert!(!devices.is_empty(), "a trainer needs a device");
        let device = &devices[0];
        let generator = config.init(device);
        Self {
            config: config.clone(),
            average: generator.clone(),
            generator,
            discriminator: Discriminator::new(discriminator_width, device),
            optim_generator: adam(),
            optim_discriminator: adam(),
            progress: Progress { step: 0, images_seen: 0, stages: Vec::new(), average_from: Some(0) },
            learning_rate: model::card::default_learning_rate(),
            adversarial_weight: model::card::default_adversarial_weight(),
            l1_weight: model::card::default_l1_weight(),
            l2_weight: 0.0,
            element_balance: 0.0,
            element_head: 0.0,
            element_head_balance: 0.0,
            feature_matching: 0.0,
            ssim_weight: 0.0,
            devices: devices.to_vec(),
        }
    }

    /// The device the weights live on between steps.
    pub fn device(&self) -> &Device {
        &self.devices[0]
    }

    /// `batch` split across the devices as evenly as it goes (no device gets
    /// an empty share).
    fn shards(&self, batch: &Batch) -> Vec<Shard> {
        let [pairs, _, height, width] = batch.paintings.dims();
        let parts = self.devices.len().min(pairs);
        let mut start = 0;
        (0..parts)
            .map(|part| {
                let len = pairs / parts + usize::from(part < pairs % parts);
                let range = start..start + len;
                start += len;
                let device = self.devices[part].clone();
                let l1_weights = (self.element_balance > 0.0).then(|| {
                    let values: Vec<f32> = batch.elements[range.clone()].iter().flat_map(|shows| l1_weights(shows, self.element_balance)).collect();
                    Tensor::from_data(TensorData::new(values, [len, 1, height, width]), &device)
                });
                let elements = (self.element_head > 0.0).then(|| {
                    let values: Vec<f32> = batch.elements[range.clone()].iter().flat_map(|shows| quarter_one_hot(shows, width, self.element_head_balance)).collect();
                    Tensor::from_data(TensorData::new(values, [len, Element::ALL.len(), height / 4, width / 4]), &device)
                });
                Shard {
                    doodles: batch.doodles.clone().slice([range.clone()]).to_device(&device),
                    paintings: batch.paintings.clone().slice([range]).to_device(&device),
                    l1_weights,
                    elements,
                    weight: len as f32 / pairs as f32,
                    device,
                }
            })
            .collect()
    }

    /// One discriminator step, then one generator step, on the whole batch.
    ///
    /// With several devices each runs forward and backward on its share of
    /// the batch with its own copy of the weights, its loss weighted by its
    /// share; burn's optimiser sums the gradients across the devices
    /// (`step_multi`), which makes them the full batch's, so a step means the
    /// same on any number of devices.
    pub fn step(&mut self, batch: &Batch) -> Losses {
        let shards = self.shards(batch);
        let style = batch.style.index();
        // The discriminator judges a painting beside its doodle's lines.
        let pair = |doodles: &Tensor<4>, painting: Tensor<4>| Tensor::cat(vec![doodles.clone().narrow(1, 0, 3), painting], 1);

        // The generator paints each shard once: the discriminator's step
        // sees its paintings detached, the generator's step differentiates
        // them (the weights do not change in between).
        let generator = &self.generator;
        let fakes = on_each(&shards, |_, shard| {
            let generator = generator.clone().fork(&shard.device);
            // The head's logits only when this stage trains it.
            let (fake, elements) = match shard.elements {
                Some(_) => generator.forward_with_elements(shard.doodles.clone(), style),
                None => (generator.forward(shard.doodles.clone(), style), None),
            };
            (generator, fake, elements)
        });

        // Discriminator: real pairs towards 1, generated ones towards 0 (LSGAN).
        // It is needed only for the adversarial and feature-matching losses.
        let judged = self.adversarial_weight > 0.0 || self.feature_matching > 0.0;
        let mut loss_d = 0.0;
        if judged {
            let discriminator = &self.discriminator;
            let results = on_each(&shards, |i, shard| {
                let discriminator = discriminator.clone().fork(&shard.device);
                let fake = fakes[i].1.clone().detach();
                let real_scores = discriminator.forward(pair(&shard.doodles, shard.paintings.clone()));
                let fake_scores = discriminator.forward(pair(&shard.doodles, fake));
                let loss = ((real_scores - 1.0).square().mean() + fake_scores.square().mean()) * 0.5;
                let grads = GradientsParams::from_grads((loss.clone() * shard.weight).backward(), &discriminator);
                ((grads, shard.device.clone()), scalar(loss) * shard.weight)
            });
            let (grads, losses): (Vec<_>, Vec<_>) = results.into_iter().unzip();
            loss_d = losses.iter().sum();
            let discriminator = self.optim_discriminator.step_multi(self.learning_rate, self.discriminator.clone(), MultiGradientsParams { grads });
            self.discriminator = self.gathered(discriminator);
        }

        // Generator: fool the discriminator and stay close to the painting.
        let (discriminator, adversarial_weight, l1_weight, l2_weight, element_head, matching, ssim_weight) =
            (&self.discriminator, self.adversarial_weight, self.l1_weight, self.l2_weight, self.element_head, self.feature_matching, self.ssim_weight);
        let results = on_each(&shards, |i, shard| {
            let (generator, fake, logits) = &fakes[i];
            let error = fake.clone() - shard.paintings.clone();
            let difference = error.clone().abs();
            let l1 = match &shard.l1_weights {
                Some(weights) => (difference * weights.clone()).mean(),
                None => difference.mean(),
            };
            let mut loss = l1.clone() * l1_weight;
            let mut squared = 0.0;
            if l2_weight > 0.0 {
                let mse = error.square().mean();
                squared = scalar(mse.clone());
                loss = loss + mse * l2_weight;
            }
            let (mut adversarial, mut matched) = (0.0, 0.0);
            if judged {
                let discriminator = discriminator.clone().fork(&shard.device);
                let (scores, painted_features) = discriminator.forward_with_features(pair(&shard.doodles, fake.clone()), matching > 0.0);
                let fooled = (scores - 1.0).square().mean();
                adversarial = scalar(fooled.clone());
                loss = loss + fooled * adversarial_weight;
                if matching > 0.0 {
                    let (_, real_features) = discriminator.forward_with_features(pair(&shard.doodles, shard.paintings.clone()), true);
                    let distance = feature_matching(&real_features, &painted_features);
                    matched = scalar(distance.clone());
                    loss = loss + distance * matching;
                }
            }
            let mut cross_entropy = 0.0;
            if let (Some(logits), Some(elements)) = (logits, &shard.elements) {
                // Mean over the grid of minus the log-probability of what is there.
                let entropy = -(log_softmax(logits.clone(), 1) * elements.clone()).sum_dim(1).mean();
                cross_entropy = scalar(entropy.clone());
                loss = loss + entropy * element_head;
            }
            let mut dissimilarity = 0.0;
            if ssim_weight > 0.0 {
                let unit = |image: Tensor<4>| (image + 1.0) * 0.5;
                let loss_ssim = -ssim(unit(fake.clone()), unit(shard.paintings.clone())) + 1.0;
                dissimilarity = scalar(loss_ssim.clone());
                loss = loss + loss_ssim * ssim_weight;
            }
            let grads = GradientsParams::from_grads((loss * shard.weight).backward(), generator);
            let weighted = |loss: f32| loss * shard.weight;
            ((grads, shard.device.clone()), [weighted(adversarial), weighted(scalar(l1)), weighted(cross_entropy), weighted(matched), weighted(dissimilarity), weighted(squared)])
        });
        let (grads, losses): (Vec<_>, Vec<[f32; 6]>) = results.into_iter().unzip();
        drop(fakes);
        let generator = self.optim_generator.step_multi(self.learning_rate, self.generator.clone(), MultiGradientsParams { grads });
        self.generator = self.gathered(generator);
        self.average = moved_towards(self.average.clone(), &self.generator, 1.0 - AVERAGE_DECAY);

        self.progress.step += 1;
        self.progress.images_seen += batch.doodles.dims()[0] as u64;
        Losses {
            discriminator: loss_d,
            adversarial: losses.iter().map(|loss| loss[0]).sum(),
            l1: losses.iter().map(|loss| loss[1]).sum(),
            elements: losses.iter().map(|loss| loss[2]).sum(),
            feature_matching: losses.iter().map(|loss| loss[3]).sum(),
            ssim: losses.iter().map(|loss| loss[4]).sum(),
            l2: losses.iter().map(|loss| loss[5]).sum(),
        }
    }

    /// `module` with all its weights on the first device again: the optimiser
    /// updates each weight on one of the devices.
    fn gathered<M: Module>(&self, module: M) -> M {
        if self.devices.len() == 1 { module } else { module.fork(self.device()) }
    }

    /// Writes weights (full precision, with parameter ids), optimiser states and
    /// progress into `dir`, replacing the last checkpoint there.
    pub fn save(&self, dir: &Path) -> Result<(), String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let write = |name: &str, module: &dyn Fn(&mut BurnpackStore) -> Result<(), String>| {
            let mut store = BurnpackStore::from_file(dir.join(name)).overwrite(true);
            module(&mut store)
        };
        let config = serde_json::to_string_pretty(&self.config).map_err(|e| e.to_string())?;
        std::fs::write(dir.join("config.json"), config).map_err(|e| e.to_string())?;
        write(GENERATOR_FILE, &|s| self.generator.save_into(s).map_err(|e| e.to_string()))?;
        write(AVERAGE_FILE, &|s| self.average.save_into(s).map_err(|e| e.to_string()))?;
        write("discriminator.bpk", &|s| self.discriminator.save_into(s).map_err(|e| e.to_string()))?;
        self.optim_generator.save(dir.join("optim-generator")).map_err(|e| format!("{e:?}"))?;
        self.optim_discriminator.save(dir.join("optim-discriminator")).map_err(|e| format!("{e:?}"))?;
        let progress = serde_json::to_string_pretty(&self.progress).map_err(|e| e.to_string())?;
        std::fs::write(dir.join("progress.json"), progress).map_err(|e| e.to_string())
    }

    /// Resumes the run checkpointed in `dir`, with the network's shape it was
    /// saved with, on `devices` (any backend and number: a checkpoint does not
    /// say where it was made).
    /// `grow` may add residual blocks (they start as the identity) or take
    /// them away, and add an element head and the enclosure's weights.
    pub fn resume(discriminator_width: usize, dir: &Path, devices: &[Device], grow: Growth) -> Result<Self, String> {
        let mut config = run_config(dir)?;
        let saved_blocks = config.blocks;
        // Blocks taken away leave their weights unread in the file.
        if let Some(blocks) = grow.blocks {
            config.blocks = blocks;
        }
        if let Some(level) = grow.blocks_level.filter(|&level| level != config.blocks_level) {
            if saved_blocks > 0 {
                return Err(format!("{}: its residual blocks follow decoder level {}; they cannot move to {level}", dir.display(), config.blocks_level));
            }
            config.blocks_level = level;
        }
        if grow.element_head {
            config.element_head = Element::ALL.len();
        }
        config.enclosure |= grow.enclosure;
        config.check()?;
        let mut trainer = Self::new(&config, discriminator_width, devices);
        trainer.generator = load_generator(&config, dir, trainer.device())?;
        let mut store = BurnpackStore::from_file(dir.join("discriminator.bpk"));
        trainer.discriminator.load_from(&mut store).map_err(|e| format!("discriminator: {e}"))?;
        trainer.optim_generator = adam().load(dir.join("optim-generator")).map_err(|e| format!("{e:?}"))?;
        trainer.optim_discriminator = adam().load(dir.join("optim-discriminator")).map_err(|e| format!("{e:?}"))?;
        trainer.progress = Progress::load(dir)?;
        // A run checkpointed before runs kept an average starts one here.
        if dir.join(AVERAGE_FILE).exists() {
            trainer.average = load_generator_from(&config, dir, AVERAGE_FILE, trainer.device())?;
        } else {
            trainer.average = trainer.generator.clone();
            trainer.progress.average_from = Some(trainer.progress.step);
        }
        Ok(trainer)
    }
}
