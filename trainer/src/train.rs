//! Training the generator on the scene painter's pairs:
//! pix2pix with a 70x70 PatchGAN discriminator, LSGAN plus 100 x L1, Adam 2e-4
//! with betas (0.5, 0.999). A run checkpoints to a folder and resumes from it.

use std::path::Path;

use burn::module::Module;
use burn::nn::conv::{Conv2d, Conv2dConfig};
use burn::nn::{InstanceNorm, InstanceNormConfig, PaddingConfig2d};
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::prelude::*;
use burn::store::{BurnpackStore, ModuleSnapshot};
use burn::tensor::activation::leaky_relu;
use serde::{Deserialize, Serialize};

use model::card::Stage;
use model::generator::{Generator, GeneratorConfig};
use model::inference::{images_to_tensor, scalar};
use model::{RgbImage, Style};
use scene::{Doodler, Scene, render_doodle_by, render_painting};

use crate::metrics::{Quality, quality};

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
        let mut x = pair;
        for level in &self.levels {
            x = level.conv.forward(x);
            if let Some(norm) = &level.norm {
                x = norm.forward(x);
            }
            x = leaky_relu(x, 0.2);
        }
        self.out.forward(x)
    }
}

/// A batch of training pairs in `[-1, 1]`, all in one style.
pub struct Batch {
    pub doodles: Tensor<4>,
    pub paintings: Tensor<4>,
    pub style: Style,
}

impl Batch {
    /// Renders the pairs of `seeds` in `style` at `size`, the doodles in the
    /// painter's own hand.
    pub fn render(seeds: &[u64], style: Style, size: u32, device: &Device) -> Self {
        Self::render_by(seeds, style, size, device, |_| (Doodler::default(), false))
    }

    /// Training pairs: two in three doodles drawn by a random [`Doodler`], and
    /// half of the pairs mirrored left to right (both images, so they still
    /// agree), all deterministic for the seed.
    pub fn render_augmented(seeds: &[u64], style: Style, size: u32, device: &Device) -> Self {
        Self::render_by(seeds, style, size, device, |seed| {
            let doodler = if seed % 3 == 0 { Doodler::default() } else { Doodler::sample(seed) };
            (doodler, seed % 2 == 1)
        })
    }

    fn render_by(seeds: &[u64], style: Style, size: u32, device: &Device, how: impl Fn(u64) -> (Doodler, bool)) -> Self {
        let (doodles, paintings): (Vec<_>, Vec<_>) = seeds
            .iter()
            .map(|&seed| {
                let (doodler, mirror) = how(seed);
                let scene = Scene::sample(seed);
                let pair = (render_doodle_by(&doodler, &scene, seed, size), render_painting(&scene, style, seed, size));
                if mirror { (mirrored(&pair.0), mirrored(&pair.1)) } else { pair }
            })
            .unzip();
        Self { doodles: images_to_tensor(&doodles, device), paintings: images_to_tensor(&paintings, device), style }
    }
}

/// `image` flipped left to right.
fn mirrored(image: &RgbImage) -> RgbImage {
    let pixels = image.pixels.chunks_exact(image.width * 3).flat_map(|row| row.chunks_exact(3).rev().flatten().copied()).collect();
    RgbImage { pixels, ..*image }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct Losses {
    pub discriminator: f32,
    pub adversarial: f32,
    pub l1: f32,
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
}

impl Progress {
    /// The progress of the run checkpointed in `dir`.
    pub fn load(dir: &Path) -> Result<Self, String> {
        let path = dir.join("progress.json");
        let json = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        serde_json::from_str(&json).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Counts `seconds` of training that just ended at `self.step`, at
    /// `size`, `batch` and `learning_rate`.
    pub fn record(&mut self, size: u32, batch: u64, learning_rate: f64, seconds: f64) {
        match self.stages.last_mut() {
            Some(stage) if (stage.size, stage.batch, stage.learning_rate) == (size, batch, learning_rate) => {
                stage.until_step = self.step;
                stage.seconds += seconds;
            }
            _ => self.stages.push(Stage { size, batch, learning_rate, until_step: self.step, seconds }),
        }
    }
}

/// Paints the held-out `seeds` in every style and scores the paintings against
/// the painter's: one [`Quality`] per style.
pub fn validate(generator: &Generator, seeds: &[u64], size: u32, device: &Device) -> Vec<Quality> {
    Style::ALL[..generator.styles()]
        .iter()
        .map(|&style| {
            let batch = Batch::render(seeds, style, size, device);
            quality(generator.forward(batch.doodles, style.index()).detach(), batch.paintings)
        })
        .collect()
}

/// The network's shape of the run in `dir`: its `config.json`, or this
/// version's default shape for a run checkpointed before runs kept one.
pub fn run_config(dir: &Path) -> Result<GeneratorConfig, String> {
    let path = dir.join("config.json");
    match std::fs::read_to_string(&path) {
        Ok(json) => serde_json::from_str(&json).map_err(|e| format!("{}: {e}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(GeneratorConfig::new(Style::ALL.len())),
        Err(e) => Err(format!("{}: {e}", path.display())),
    }
}

/// The generator of the checkpoint in `dir`, on `device`.
pub fn load_generator(config: &GeneratorConfig, dir: &Path, device: &Device) -> Result<Generator, String> {
    let mut generator = config.init(device);
    let mut store = BurnpackStore::from_file(dir.join("generator.bpk"));
    generator.load_from(&mut store).map_err(|e| format!("{}: {e}", dir.join("generator.bpk").display()))?;
    Ok(generator)
}

pub struct Trainer {
    pub config: GeneratorConfig,
    pub generator: Generator,
    pub discriminator: Discriminator,
    optim_generator: ModuleOptimizer,
    optim_discriminator: ModuleOptimizer,
    pub progress: Progress,
    pub learning_rate: f64,
    pub l1_weight: f32,
}

fn adam() -> ModuleOptimizer {
    AdamConfig::new().with_beta_1(0.5).with_beta_2(0.999).init()
}

impl Trainer {
    /// A fresh run on an autodiff `device`.
    pub fn new(config: &GeneratorConfig, discriminator_width: usize, device: &Device) -> Self {
        Self {
            config: config.clone(),
            generator: config.init(device),
            discriminator: Discriminator::new(discriminator_width, device),
            optim_generator: adam(),
            optim_discriminator: adam(),
            progress: Progress { step: 0, images_seen: 0, stages: Vec::new() },
            learning_rate: model::card::default_learning_rate(),
            l1_weight: 100.0,
        }
    }

    /// One discriminator step, then one generator step.
    pub fn step(&mut self, batch: &Batch) -> Losses {
        let Batch { doodles, paintings, style } = batch;
        let pair = |painting: Tensor<4>| Tensor::cat(vec![doodles.clone(), painting], 1);

        // Discriminator: real pairs towards 1, generated ones towards 0 (LSGAN).
        let fake = self.generator.forward(doodles.clone(), style.index()).detach();
        let real_scores = self.discriminator.forward(pair(paintings.clone()));
        let fake_scores = self.discriminator.forward(pair(fake));
        let loss_d = ((real_scores - 1.0).square().mean() + fake_scores.square().mean()) * 0.5;
        let grads = GradientsParams::from_grads(loss_d.backward(), &self.discriminator);
        self.discriminator = self.optim_discriminator.step(self.learning_rate, self.discriminator.clone(), grads);

        // Generator: fool the discriminator and stay close to the painting.
        let fake = self.generator.forward(doodles.clone(), style.index());
        let adversarial = (self.discriminator.forward(pair(fake.clone())) - 1.0).square().mean();
        let l1 = (fake - paintings.clone()).abs().mean();
        let loss_g = adversarial.clone() + l1.clone() * self.l1_weight;
        let grads = GradientsParams::from_grads(loss_g.backward(), &self.generator);
        self.generator = self.optim_generator.step(self.learning_rate, self.generator.clone(), grads);

        self.progress.step += 1;
        self.progress.images_seen += doodles.dims()[0] as u64;
        Losses { discriminator: scalar(loss_d), adversarial: scalar(adversarial), l1: scalar(l1) }
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
        write("generator.bpk", &|s| self.generator.save_into(s).map_err(|e| e.to_string()))?;
        write("discriminator.bpk", &|s| self.discriminator.save_into(s).map_err(|e| e.to_string()))?;
        self.optim_generator.save(dir.join("optim-generator")).map_err(|e| format!("{e:?}"))?;
        self.optim_discriminator.save(dir.join("optim-discriminator")).map_err(|e| format!("{e:?}"))?;
        let progress = serde_json::to_string_pretty(&self.progress).map_err(|e| e.to_string())?;
        std::fs::write(dir.join("progress.json"), progress).map_err(|e| e.to_string())
    }

    /// Resumes the run checkpointed in `dir`, with the network's shape it was saved with.
    pub fn resume(discriminator_width: usize, dir: &Path, device: &Device) -> Result<Self, String> {
        let config = run_config(dir)?;
        let mut trainer = Self::new(&config, discriminator_width, device);
        trainer.generator = load_generator(&config, dir, device)?;
        let mut store = BurnpackStore::from_file(dir.join("discriminator.bpk"));
        trainer.discriminator.load_from(&mut store).map_err(|e| format!("discriminator: {e}"))?;
        trainer.optim_generator = adam().load(dir.join("optim-generator")).map_err(|e| format!("{e:?}"))?;
        trainer.optim_discriminator = adam().load(dir.join("optim-discriminator")).map_err(|e| format!("{e:?}"))?;
        trainer.progress = Progress::load(dir)?;
        Ok(trainer)
    }
}
