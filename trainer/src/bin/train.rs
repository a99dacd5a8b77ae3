//! Trains the generator on the scene painter's pairs, on the CPU (burn's
//! flex backend), on augmented pairs (see `Batch::render_augmented`). Resumes
//! from the run folder if it holds a checkpoint.
//!
//! `cargo run -p trainer --release --bin train -- RUN_DIR [--minutes M] [--until-step S] [--batch N] [--size PX] [--learning-rate R] [--every STEPS]`
//!
//! Stops after M minutes or at step S, whichever comes first (neither: runs on). Writes
//! `RUN_DIR/log.jsonl` (losses as it goes; validation L1, PSNR and SSIM per
//! style on held-out seeds at each checkpoint) and the checkpoint files.
//! `progress.json` records each stage (image and batch size, last step), so
//! `export` can write the commands that reproduce the run.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use clap::Parser;
use model::{Device, GeneratorConfig, Style};
use scene::VALIDATION_SEEDS;
use trainer::train::{Batch, Trainer, validate};

/// Trains the generator; resumes from RUN_DIR if it holds a checkpoint.
#[derive(Parser)]
struct Args {
    /// The run's folder: checkpoints, progress.json and log.jsonl.
    run: PathBuf,
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
    let device = Device::flex().autodiff();
    let config = GeneratorConfig::new(Style::ALL.len());
    let discriminator_width = trainer::train::DISCRIMINATOR_WIDTH;
    let mut trainer = if args.run.join("progress.json").exists() {
        let trainer = Trainer::resume(discriminator_width, &args.run, &device)?;
        eprintln!("resumed {} at step {}", args.run.display(), trainer.progress.step);
        trainer
    } else {
        Trainer::new(&config, discriminator_width, &device)
    };
    trainer.learning_rate = args.learning_rate;
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
    while trainer.progress.step < args.until_step {
        let step = trainer.progress.step;
        // Training seeds follow the step, so a resumed run sees new pairs.
        let seeds: Vec<u64> = (0..args.batch).map(|i| step * args.batch + i).collect();
        let losses = trainer.step(&Batch::render_augmented(&seeds, Style::ALL[(step % Style::ALL.len() as u64) as usize], args.size, &device));
        window.1 += args.batch;
        let out_of_time = started.elapsed().as_secs_f64() > args.minutes * 60.0;
        let last = out_of_time || trainer.progress.step >= args.until_step;
        let checkpoint = trainer.progress.step % args.every == 0 || last;
        if trainer.progress.step % 10 == 0 || checkpoint {
            let rate = window.1 as f64 / window.0.elapsed().as_secs_f64();
            window = (Instant::now(), 0);
            let line = serde_json::json!({
                "step": trainer.progress.step, "images_seen": trainer.progress.images_seen,
                "loss_d": losses.discriminator, "loss_adv": losses.adversarial, "l1": losses.l1,
                "images_per_second": (rate * 10.0).round() / 10.0,
            });
            eprintln!("{line}");
            writeln!(log, "{line}").map_err(|e| e.to_string())?;
        }
        if checkpoint {
            training.1 += training.0.elapsed().as_secs_f64();
            trainer.progress.record(args.size, args.batch, args.learning_rate, training.1);
            training.1 = 0.0;
            let validation = validate(&trainer.generator, &validation_seeds, args.size, &device);
            let line = serde_json::json!({
                "step": trainer.progress.step,
                "validation_l1": validation.iter().map(|q| q.l1).collect::<Vec<_>>(),
                "validation_psnr": validation.iter().map(|q| q.psnr).collect::<Vec<_>>(),
                "validation_ssim": validation.iter().map(|q| q.ssim).collect::<Vec<_>>(),
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
