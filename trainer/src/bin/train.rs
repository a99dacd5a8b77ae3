//! Trains the generator on the scene painter's augmented pairs (see
//! `Pairs::render_augmented`), on the CPU (burn's flex backend) or on every
//! GPU of the machine. Resumes from the run folder if it holds a checkpoint,
//! whatever backend made it.
//!
//! `cargo run -p trainer --release --bin train -- RUN_DIR [--device flex|wgpu|cuda] [--devices N] [--painters N] [--minutes M] [--until-step S] [--batch N] [--size PX] [--learning-rate R] [--adversarial-weight W] [--l1-weight W] [--l2-weight W] [--element-balance B] [--blocks N] [--blocks-level L] [--element-head W] [--element-head-balance B] [--feature-matching W] [--ssim-weight W] [--enclosure] [--decay-from STEP --decay-to STEP] [--every STEPS]`
//! (`cuda` needs `--features cuda` after `--release`).
//!
//! Stops after M minutes or at step S, whichever comes first (neither: runs on). Writes
//! `RUN_DIR/log.jsonl` (losses as it goes; validation L1, PSNR and SSIM per
//! style on held-out seeds at each checkpoint, of the last step's weights and
//! of their moving average) and the checkpoint files.
//! `progress.json` records each stage (image and batch size, last step), so
//! `export` can write the commands that reproduce the run.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use clap::Parser;
use model::card::{Decay, Stage};
use model::{GeneratorConfig, Style};
use scene::{Element, VALIDATION_SEEDS};
use trainer::devices::{Backend, training_devices};
use trainer::feed::Feed;
use trainer::train::{Growth, Trainer, validate, validate_sparse};

/// Trains the generator; resumes from RUN_DIR if it holds a checkpoint.
#[derive(Parser)]
struct Args {
    /// The run's folder: checkpoints, progress.json and log.jsonl.
    run: PathBuf,
    /// Where to train: burn's CPU backend, or GPUs through wgpu or CUDA.
    #[arg(long, value_enum, default_value_t = Backend::Flex)]
    device: Backend,
    /// How many of the backend's devices share each batch (data parallel):
    /// all of them unless given.
    #[arg(long)]
    devices: Option<usize>,
    /// CPU threads painting pairs ahead of training: one on the CPU backend
    /// (the rest of the cores train), all cores but one on GPUs.
    #[arg(long)]
    painters: Option<usize>,
    /// Stop after this many minutes (at the next step).
    #[arg(long, default_value_t = f64::INFINITY)]
    minutes: f64,
    /// Stop at this step.
    #[arg(long, default_value_t = u64::MAX)]
    until_step: u64,
    /// Pairs a step.
    #[arg(long, default_value_t = 8)]
    batch: u64,
    /// Image size of this stage, in pixels.
    #[arg(long, default_value_t = 256)]
    size: u32,
    /// Adam's learning rate for this stage.
    #[arg(long, default_value_t = model::card::default_learning_rate())]
    learning_rate: f64,
    /// Weight of the adversarial loss for this stage: pix2pix's 1, or 0 to
    /// leave the discriminator out (neither run nor trained: faster steps).
    #[arg(long, default_value_t = model::card::default_adversarial_weight())]
    adversarial_weight: f32,
    /// Weight of the L1 loss against the adversarial loss's 1 for this stage.
    #[arg(long, default_value_t = model::card::default_l1_weight())]
    l1_weight: f32,
    /// Weight of the mean squared error against the target (every pixel
    /// alike, what PSNR measures; 0: none) for this stage.
    #[arg(long, default_value_t = 0.0)]
    l2_weight: f32,
    /// How much more small things (trees, houses, lakes) count in the L1
    /// loss: each pixel weighs its element's share of the image to the
    /// power of minus this (0: every pixel alike).
    #[arg(long, default_value_t = 0.0)]
    element_balance: f32,
    /// Residual blocks in the generator: a new run's, or for a resumed run
    /// more (they start as the identity, so it paints as it did) or fewer.
    #[arg(long)]
    blocks: Option<usize>,
    /// The decoder level the residual blocks follow: 0 is the first level
    /// up (8 x 8 at 256 px), each next one twice the size.
    #[arg(long)]
    blocks_level: Option<usize>,
    /// Weight of the element head's cross-entropy: above 0, the generator
    /// also learns to tell which of the painter's elements each pixel shows
    /// (a training-only head; added to a resumed run that has none).
    #[arg(long, default_value_t = 0.0)]
    element_head: f32,
    /// How much more small things count in the element head's
    /// cross-entropy, as `--element-balance` does in the L1 loss (0: every
    /// cell of its grid alike).
    #[arg(long, default_value_t = 0.0)]
    element_head_balance: f32,
    /// The weight of pix2pixHD's feature-matching loss: how far the
    /// discriminator's activations on the painted pair lie from those on
    /// the real one (0: none; pix2pixHD uses 10).
    #[arg(long, default_value_t = 0.0)]
    feature_matching: f32,
    /// The weight of 1 - SSIM of the painting against its target (SSIM as
    /// validation measures it; 0: none).
    #[arg(long, default_value_t = 0.0)]
    ssim_weight: f32,
    /// The generator also reads what the doodle's lines enclose: a new
    /// run's, or added to a resumed run (at zero, so it paints as it did).
    #[arg(long)]
    enclosure: bool,
    /// From this step the learning rate falls linearly to zero at
    /// `--decay-to` (by absolute steps: a stopped run resumes on the way).
    #[arg(long, requires = "decay_to")]
    decay_from: Option<u64>,
    /// Where the decay reaches zero; training stops there, or at
    /// `--until-step` if that comes first.
    #[arg(long, requires = "decay_from")]
    decay_to: Option<u64>,
    /// Checkpoint and validate every this many steps.
    #[arg(long, default_value_t = 200)]
    every: u64,
}

fn main() {
    if let Err(message) = run() {
        eprintln!("train: {message}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let args = Args::parse();
    let decay = match (args.decay_from, args.decay_to) {
        (Some(from), Some(to)) if from >= to => return Err(format!("--decay-from {from} must come before --decay-to {to}")),
        (Some(from), Some(to)) => Some(Decay { from, to }),
        _ => None,
    };
    let until_step = decay.map_or(args.until_step, |decay| args.until_step.min(decay.to));
    trainer::devices::load_states_on_the_cpu();
    let devices = training_devices(args.device, args.devices)?;
    if args.batch < devices.len() as u64 {
        return Err(format!("a batch of {} cannot be shared by {} devices", args.batch, devices.len()));
    }
    let painters = args.painters.unwrap_or(match args.device {
        Backend::Flex => 1,
        _ => std::thread::available_parallelism().map_or(1, |cores| cores.get().saturating_sub(1).max(1)),
    });
    let hardware = trainer::devices::describe(args.device, &devices);
    eprintln!("training on {hardware}, {painters} painter thread(s): {devices:?}");
    let device = devices[0].clone();
    let element_head = args.element_head > 0.0;
    let config = GeneratorConfig::new(Style::ALL.len())
        .with_blocks(args.blocks.unwrap_or(0))
        .with_blocks_level(args.blocks_level.unwrap_or(0))
        .with_element_head(if element_head { Element::ALL.len() } else { 0 })
        .with_enclosure(args.enclosure);
    config.check()?;
    let discriminator_width = trainer::train::DISCRIMINATOR_WIDTH;
    let mut trainer = if args.run.join("progress.json").exists() {
        let trainer = Trainer::resume(discriminator_width, &args.run, &devices, Growth { blocks: args.blocks, blocks_level: args.blocks_level, element_head, enclosure: args.enclosure })?;
        eprintln!("resumed {} at step {}", args.run.display(), trainer.progress.step);
        trainer
    } else {
        Trainer::new(&config, discriminator_width, &devices)
    };
    trainer.learning_rate = args.learning_rate;
    trainer.adversarial_weight = args.adversarial_weight;
    trainer.l1_weight = args.l1_weight;
    trainer.l2_weight = args.l2_weight;
    trainer.element_balance = args.element_balance;
    trainer.element_head = args.element_head;
    trainer.element_head_balance = args.element_head_balance;
    trainer.feature_matching = args.feature_matching;
    trainer.ssim_weight = args.ssim_weight;
    std::fs::create_dir_all(&args.run).map_err(|e| e.to_string())?;
    let mut log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(args.run.join("log.jsonl"))
        .map_err(|e| e.to_string())?;

    let validation_seeds: Vec<u64> = (0..8).map(|i| VALIDATION_SEEDS.start + i).collect();
    let started = Instant::now();
    // Training time since the last checkpoint, for the stage record.
    let mut training = (Instant::now(), 0.0f64);
    let mut window = (Instant::now(), 0u64);
    let mut feed = Feed::start(trainer.progress.step, painters, args.batch, args.size);
    while trainer.progress.step < until_step {
        if let Some(decay) = decay {
            trainer.learning_rate = decay.rate(args.learning_rate, trainer.progress.step);
        }
        let losses = trainer.step(&feed.next().to_batch(&device));
        window.1 += args.batch;
        let out_of_time = started.elapsed().as_secs_f64() > args.minutes * 60.0;
        let last = out_of_time || trainer.progress.step >= until_step;
        let checkpoint = trainer.progress.step % args.every == 0 || last;
        if trainer.progress.step % 10 == 0 || checkpoint {
            let seconds = window.0.elapsed().as_secs_f64();
            let rate = window.1 as f64 / seconds;
            window = (Instant::now(), 0);
            // The share of the time training waited for the painters: above
            // zero, more painter threads (or cores) would train faster.
            let waiting = feed.waited().as_secs_f64() / seconds;
            let mut line = serde_json::json!({
                "step": trainer.progress.step, "images_seen": trainer.progress.images_seen,
                "loss_d": losses.discriminator, "loss_adv": losses.adversarial, "l1": losses.l1,
                "images_per_second": (rate * 10.0).round() / 10.0,
                "waiting_for_pairs": (waiting * 100.0).round() / 100.0,
            });
            if element_head {
                line["elements"] = losses.elements.into();
            }
            if args.feature_matching > 0.0 {
                line["feature_matching"] = losses.feature_matching.into();
            }
            if args.l2_weight > 0.0 {
                line["l2"] = losses.l2.into();
            }
            if args.ssim_weight > 0.0 {
                line["ssim_loss"] = losses.ssim.into();
            }
            eprintln!("{line}");
            writeln!(log, "{line}").map_err(|e| e.to_string())?;
        }
        if checkpoint {
            training.1 += training.0.elapsed().as_secs_f64();
            trainer.progress.record(Stage {
                size: args.size,
                batch: args.batch,
                learning_rate: args.learning_rate,
                adversarial_weight: args.adversarial_weight,
                l1_weight: args.l1_weight,
                l2_weight: args.l2_weight,
                element_balance: args.element_balance,
                blocks: trainer.config.blocks,
                blocks_level: trainer.config.blocks_level,
                element_head: args.element_head,
                element_head_balance: args.element_head_balance,
                feature_matching: args.feature_matching,
                ssim_weight: args.ssim_weight,
                enclosure: trainer.config.enclosure,
                decay,
                until_step: trainer.progress.step,
                seconds: training.1,
                hardware: hardware.clone(),
            });
            training.1 = 0.0;
            // The last step's weights, and their average (what export ships).
            let both = [&trainer.generator, &trainer.average];
            let [validation, average]: [Vec<_>; 2] = validate(&both, &validation_seeds, args.size, &device).try_into().expect("two generators, two scores");
            let [sparse, average_sparse]: [Vec<_>; 2] = validate_sparse(&both, &validation_seeds, args.size, &device).try_into().expect("two generators, two scores");
            let line = serde_json::json!({
                "step": trainer.progress.step,
                "validation_l1": validation.iter().map(|q| q.l1).collect::<Vec<_>>(),
                "validation_psnr": validation.iter().map(|q| q.psnr).collect::<Vec<_>>(),
                "validation_ssim": validation.iter().map(|q| q.ssim).collect::<Vec<_>>(),
                "sparse_psnr": sparse.iter().map(|q| q.psnr).collect::<Vec<_>>(),
                "sparse_ssim": sparse.iter().map(|q| q.ssim).collect::<Vec<_>>(),
                "average_psnr": average.iter().map(|q| q.psnr).collect::<Vec<_>>(),
                "average_ssim": average.iter().map(|q| q.ssim).collect::<Vec<_>>(),
                "average_sparse_psnr": average_sparse.iter().map(|q| q.psnr).collect::<Vec<_>>(),
            });
            eprintln!("{line}");
            writeln!(log, "{line}").map_err(|e| e.to_string())?;
            trainer.save(&args.run)?;
            training.0 = Instant::now();
        }
        if out_of_time {
            eprintln!("stopped after {:.1} minutes; resume with the same command", args.minutes);
            return Ok(());
        }
    }
    eprintln!("at step {}: done", trainer.progress.step);
    Ok(())
}
