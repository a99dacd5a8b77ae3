//! Paints a doodle from a PNG file with the shipped weights.
//!
//! `cargo run -p model --release --bin paint -- --style STYLE IN.png OUT.png [--weights DIR]`
//!
//! The doodle may be any size or shape (fitted into a white square and resized
//! to 256 x 256), colour or transparency (dark lines on light paper are what
//! the model knows). STYLE is any style id in the model's manifest.

use std::path::PathBuf;

use model::{Device, Painter, png, weights};

const USAGE: &str = "usage: paint --style STYLE IN.png OUT.png [--weights DIR]";

fn main() {
    if let Err(message) = run() {
        eprintln!("paint: {message}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let mut style = None;
    let mut weights_dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../public/models"));
    let mut files = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--style" => style = Some(args.next().ok_or("--style needs a style id")?),
            "--weights" => weights_dir = PathBuf::from(args.next().ok_or("--weights needs a folder")?),
            "-h" | "--help" => return Err(USAGE.into()),
            _ => files.push(PathBuf::from(arg)),
        }
    }
    let [input, output] = <[PathBuf; 2]>::try_from(files).map_err(|_| USAGE)?;
    let device = Device::flex();
    let (manifest, generator) = weights::load_dir(&weights_dir, &device)?;
    let style = style.ok_or(USAGE)?;
    let index = manifest.styles.iter().position(|s| *s == style).ok_or_else(|| {
        format!("no style {style:?}; this model paints: {}", manifest.styles.join(", "))
    })?;
    let doodle = png::read_doodle(&input)?;
    let painting = Painter::new(generator, device).paint(&doodle, index)?;
    png::write(&painting, &output)?;
    println!("painted {} in {style} -> {} ({}x{})", input.display(), output.display(), painting.width, painting.height);
    Ok(())
}
