//! Paints the hand-drawn evaluation set with a model's weights in every style,
//! prints each doodle's checks per style, and writes the sheet: each doodle
//! beside its paintings in two styles.
//!
//! `cargo run -p trainer --release --bin hand-drawn -- [--weights DIR] [--sheet PNG]`

use std::path::PathBuf;

use clap::Parser;
use model::{Device, Inference, weights};
use trainer::hand_drawn::{Evaluation, SHEET_STYLES};

#[derive(Parser)]
struct Args {
    /// Folder with manifest.json and the weights it lists.
    #[arg(long = "weights", default_value = "public/models")]
    weights_dir: PathBuf,
    /// Where the sheet goes.
    #[arg(long, default_value = "docs/hand-drawn-sheet.png")]
    sheet: PathBuf,
}

fn main() {
    if let Err(message) = run() {
        eprintln!("hand-drawn: {message}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let args = Args::parse();
    let device = Device::flex();
    let (_, generator) = weights::load_dir(&args.weights_dir, &device)?;
    let evaluation = Evaluation::run(&Inference::new(generator, device), &SHEET_STYLES)?;
    print!("{}", evaluation.report());
    evaluation.sheet()?.save_png(&args.sheet).map_err(|e| format!("{}: {e}", args.sheet.display()))?;
    println!("wrote {}", args.sheet.display());
    Ok(())
}
