//! Writes seeded, untrained generator weights and their manifest: a network
//! shape's starting point, to try a new shape in the app before it is trained.
//! The page says such a model is untrained.
//!
//! `cargo run -p model --release --bin init-weights -- OUT_DIR [--seed N] [--version V]`
//! (seed 42 and this version's layers by default; `--version 1` is the
//! speed budget's reference shape, which `cargo xtask bench` times in the
//! browser). The output is byte-identical for a seed.

use std::path::PathBuf;

use clap::Parser;
use model::weights::{self, FILE_NAME, Manifest};
use model::{Device, GeneratorConfig, Module, Style};

/// Writes seeded, untrained generator weights and their manifest.
#[derive(Parser)]
struct Args {
    /// Folder for the weights and manifest (public/models would replace the trained ones).
    out_dir: PathBuf,
    /// Seed of the initialisation: the same seed always writes the same bytes.
    #[arg(long, default_value_t = 42)]
    seed: u64,
    /// The layers' version (`GeneratorConfig::version`): 1 is the shape
    /// shipped before version 2, the speed budget's reference.
    #[arg(long)]
    version: Option<u32>,
}

fn main() {
    if let Err(message) = run() {
        eprintln!("init-weights: {message}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let Args { out_dir, seed, version } = Args::parse();
    let device = Device::flex();
    device.seed(seed);
    let mut config = GeneratorConfig::new(Style::ALL.len());
    config.version = version.unwrap_or(config.version);
    let generator = config.init(&device);
    let bytes = weights::to_bytes(&generator).map_err(|e| e.to_string())?;

    let manifest = Manifest::new(&config, &bytes, false);
    std::fs::create_dir_all(&out_dir).map_err(|e| format!("{}: {e}", out_dir.display()))?;
    let weights_path = out_dir.join(FILE_NAME);
    std::fs::write(&weights_path, &bytes).map_err(|e| format!("{}: {e}", weights_path.display()))?;
    let manifest_path = out_dir.join("manifest.json");
    let json = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())?;
    std::fs::write(&manifest_path, json + "\n")
        .map_err(|e| format!("{}: {e}", manifest_path.display()))?;
    println!(
        "wrote {} ({} parameters, {} bytes, sha256 {}) and {}",
        weights_path.display(),
        generator.num_params(),
        bytes.len(),
        manifest.sha256,
        manifest_path.display()
    );
    Ok(())
}
