//! Paints a doodle from a PNG file with the shipped weights.
//!
//! `cargo run -p model --release --bin paint -- --style STYLE IN.png OUT.png [--weights DIR]`
//!
//! The doodle may be any size or shape (fitted into a white square and resized
//! to 256 x 256), colour or transparency (dark lines on light paper are what
//! the model knows). STYLE is any style id in the model's manifest.

use std::path::PathBuf;

use clap::Parser;
use model::{Device, Inference, Style, png, weights};

/// Paints a doodle (any PNG) with the shipped weights.
#[derive(Parser)]
struct Args {
    /// Style id (oil-day, oil-sunset, watercolour, night, autumn, winter).
    #[arg(long)]
    style: String,
    /// The doodle: dark lines on light paper, any size.
    input: PathBuf,
    /// Where the 256 x 256 painting goes.
    output: PathBuf,
    /// Folder with manifest.json and the weights it lists.
    #[arg(long = "weights", default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../public/models"))]
    weights_dir: PathBuf,
}

fn main() {
    if let Err(message) = run() {
        eprintln!("paint: {message}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let Args { style, input, output, weights_dir } = Args::parse();
    let device = Device::flex();
    let (manifest, generator) = weights::load_dir(&weights_dir, &device)?;
    let style = Style::from_id(&style).ok_or_else(|| {
        format!("no style {style:?}; this model paints: {}", manifest.styles.join(", "))
    })?;
    let doodle = png::read_doodle(&input)?;
    let painting = Inference::new(generator, device).paint(&doodle, style)?;
    png::write(&painting, &output)?;
    println!(
        "painted {} in {} -> {} ({}x{})",
        input.display(),
        style.id(),
        output.display(),
        painting.width,
        painting.height
    );
    Ok(())
}
