//! Paints the hand-drawn evaluation set with a model's weights in every style,
//! prints each doodle's checks per style, and writes the sheet: each doodle
//! beside its paintings in two styles.
//!
//! `cargo run -p trainer --release --bin hand-drawn -- [--weights DIR] [--sheet PNG]`

use std::path::PathBuf;

use clap::Parser;
use model::png::to_pixmap;
use model::{Device, Inference, RgbImage, Style, weights};
use tiny_skia::{Color, Pixmap, PixmapPaint, Transform};
use trainer::hand_drawn::{self, HandDoodle};

#[derive(Parser)]
struct Args {
    /// Folder with manifest.json and the weights it lists.
    #[arg(long = "weights", default_value = "public/models")]
    weights_dir: PathBuf,
    /// Where the sheet goes.
    #[arg(long, default_value = "docs/hand-drawn-sheet.png")]
    sheet: PathBuf,
}

/// The sheet's two styles.
const SHEET_STYLES: [Style; 2] = [Style::OilDay, Style::Watercolour];
const _: () = assert!(matches!(SHEET_STYLES[0], Style::OilDay), "failures are printed for the sheet's first style, oil by day");

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
    let inference = Inference::new(generator, device);
    let set = hand_drawn::parse(hand_drawn::SET)?;
    let mut rows = Vec::new();
    let (mut passed, mut total) = (vec![0; Style::ALL.len()], 0);
    println!("{:28} {}", "doodle", Style::ALL.map(|s| format!("{:>11}", s.id())).join(""));
    for doodle in &set {
        let image = doodle.render();
        let mut line = format!("{:28}", doodle.name);
        let mut paintings = Vec::new();
        for (i, style) in Style::ALL.into_iter().enumerate() {
            let painting = inference.paint(&image, style)?;
            let ok = doodle.checks.iter().filter(|c| c.passes(&painting, style)).count();
            passed[i] += ok;
            line += &format!("{:>11}", format!("{ok}/{}", doodle.checks.len()));
            if SHEET_STYLES.contains(&style) {
                paintings.push(painting);
            }
        }
        total += doodle.checks.len();
        println!("{line}");
        // The sheet's first style is oil by day: say which of its checks fail.
        print_failures(doodle, &paintings[0]);
        rows.push((image, paintings));
    }
    let summary: Vec<String> = Style::ALL.iter().zip(&passed).map(|(s, p)| format!("{} {p}/{total}", s.id())).collect();
    println!("checks passed: {}", summary.join(", "));
    let all: usize = passed.iter().sum();
    println!("in all: {all} of {} ({:.0} %)", total * Style::ALL.len(), 100.0 * all as f64 / (total * Style::ALL.len()) as f64);
    write_sheet(&rows, &args.sheet)?;
    println!("wrote {}", args.sheet.display());
    Ok(())
}

/// Which checks of oil by day fail, and by how much.
fn print_failures(doodle: &HandDoodle, oil_day: &RgbImage) {
    for check in &doodle.checks {
        let margin = check.measure(oil_day, Style::OilDay);
        if margin <= 0.0 {
            println!("    oil-day fails by {:.1}: {}", -margin, check.note);
        }
    }
}

/// Three doodles a row, each as doodle, then its paintings in the sheet's styles; 128 px each.
fn write_sheet(rows: &[(RgbImage, Vec<RgbImage>)], path: &PathBuf) -> Result<(), String> {
    let (size, gap, per_row) = (128u32, 4u32, 3usize);
    let cell = size + gap;
    let columns = per_row as u32 * (1 + SHEET_STYLES.len() as u32);
    let lines = rows.len().div_ceil(per_row) as u32;
    let mut sheet = Pixmap::new(columns * cell + gap * per_row as u32, lines * cell + gap).ok_or("sheet too large")?;
    sheet.fill(Color::from_rgba8(50, 50, 50, 255));
    let scale = size as f32 / model::IMAGE_SIZE as f32;
    let paint = PixmapPaint { quality: tiny_skia::FilterQuality::Bicubic, ..PixmapPaint::default() };
    for (n, (doodle, paintings)) in rows.iter().enumerate() {
        let (row, slot) = ((n / per_row) as u32, (n % per_row) as u32);
        for (j, image) in std::iter::once(doodle).chain(paintings).enumerate() {
            let x = gap + (slot * (1 + SHEET_STYLES.len() as u32) + j as u32) * cell + slot * gap;
            let y = gap + row * cell;
            let at = Transform::from_row(scale, 0.0, 0.0, scale, x as f32, y as f32);
            sheet.draw_pixmap(0, 0, to_pixmap(image).as_ref(), &paint, at, None);
        }
    }
    sheet.save_png(path).map_err(|e| format!("{}: {e}", path.display()))
}
