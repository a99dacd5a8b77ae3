//! Writes seeded, untrained generator weights and their manifest, so the app
//! has a real model to run before trained weights ship.
//!
//! `cargo run -p model --release --bin init-weights -- [OUT_DIR] [--seed N]`
//! (default `public/models`, seed 42). The output is byte-identical for a seed.

use std::path::PathBuf;

use model::weights::{self, FILE_NAME, Manifest};
use model::{Device, GeneratorConfig, Module, STYLES};

fn main() {
    if let Err(message) = run() {
        eprintln!("init-weights: {message}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let mut out_dir = PathBuf::from("public/models");
    let mut seed = 42u64;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seed" => {
                seed = args
                    .next()
                    .and_then(|s| s.parse().ok())
                    .ok_or("--seed needs a whole number")?;
            }
            _ => out_dir = PathBuf::from(arg),
        }
    }

    let device = Device::flex();
    device.seed(seed);
    let config = GeneratorConfig::new(STYLES.len());
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
