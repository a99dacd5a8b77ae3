//! The brushwork sheet: hand-drawn doodles painted by the shipped model in
//! every style, each painting upscaled as the page would show it without
//! brushwork beside its brushwork at 512 px, then both cropped at 100 %.
//!
//! `cargo run -p trainer --release --bin brush-sheet -- [--weights DIR] [--sheet PNG] [--doodles N]`

use std::path::PathBuf;

use clap::Parser;
use model::{Device, Inference, RgbImage, Style, weights};
use trainer::hand_drawn;

#[derive(Parser)]
struct Args {
    /// Folder with manifest.json and the weights it lists.
    #[arg(long = "weights", default_value = "public/models")]
    weights_dir: PathBuf,
    /// Where the sheet goes.
    #[arg(long, default_value = "docs/brushwork-sheet.png")]
    sheet: PathBuf,
    /// How many of the hand-drawn doodles, from the first.
    #[arg(long, default_value_t = 2)]
    doodles: usize,
}

/// The brushwork's size, as the page shows it on a 512 px canvas.
const SHOWN: u32 = 512;
/// Side of a cell of the sheet, and of the 100 % crops.
const CELL: usize = 192;

fn main() {
    if let Err(message) = run() {
        eprintln!("brush-sheet: {message}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let args = Args::parse();
    let device = Device::flex();
    let (_, generator) = weights::load_dir(&args.weights_dir, &device)?;
    let inference = Inference::new(generator, device);
    let set = hand_drawn::parse(hand_drawn::SET)?;
    let mut rows: Vec<Vec<RgbImage>> = Vec::new();
    for doodle in set.iter().take(args.doodles) {
        let image = doodle.render();
        for style in Style::ALL {
            let painting = inference.paint(&image, style)?;
            let upscaled = upscaled(&painting, SHOWN as usize);
            let brushwork = brush::paint(&painting, style, 0, SHOWN);
            // The crops: the middle of the picture, where most is drawn.
            let at = (SHOWN as usize - CELL) / 2;
            rows.push(vec![image.clone(), upscaled.clone(), brushwork.clone(), crop(&upscaled, at, CELL), crop(&brushwork, at, CELL)]);
        }
        println!("{}: painted in {} styles", doodle.name, Style::ALL.len());
    }
    let layout: Vec<Vec<Vec<&RgbImage>>> = rows.iter().map(|row| vec![vec![&row[0]], row[1..3].iter().collect(), row[3..].iter().collect()]).collect();
    let sheet = trainer::sheet::sheet(&layout, CELL as u32, 4)?;
    sheet.save_png(&args.sheet).map_err(|e| format!("{}: {e}", args.sheet.display()))?;
    println!("wrote {}: per row a doodle; its painting upscaled and its brushwork at {SHOWN} px; both cropped at 100 %", args.sheet.display());
    Ok(())
}

/// `image` resized to `size` square by bilinear interpolation, as a browser
/// stretches the page's 256 px painting without brushwork.
fn upscaled(image: &RgbImage, size: usize) -> RgbImage {
    let (w, h) = (image.width, image.height);
    let mut pixels = Vec::with_capacity(size * size * 3);
    for y in 0..size {
        let fy = ((y as f32 + 0.5) * h as f32 / size as f32 - 0.5).clamp(0.0, (h - 1) as f32);
        let (y0, ty) = (fy as usize, fy.fract());
        let y1 = (y0 + 1).min(h - 1);
        for x in 0..size {
            let fx = ((x as f32 + 0.5) * w as f32 / size as f32 - 0.5).clamp(0.0, (w - 1) as f32);
            let (x0, tx) = (fx as usize, fx.fract());
            let x1 = (x0 + 1).min(w - 1);
            for c in 0..3 {
                let p = |x: usize, y: usize| f32::from(image.pixels[(y * w + x) * 3 + c]);
                let top = p(x0, y0) * (1.0 - tx) + p(x1, y0) * tx;
                let bottom = p(x0, y1) * (1.0 - tx) + p(x1, y1) * tx;
                pixels.push((top * (1.0 - ty) + bottom * ty).round() as u8);
            }
        }
    }
    RgbImage { width: size, height: size, pixels }
}

/// The `side` square of `image` from (`at`, `at`).
fn crop(image: &RgbImage, at: usize, side: usize) -> RgbImage {
    let pixels = (at..at + side).flat_map(|y| image.pixels[(y * image.width + at) * 3..(y * image.width + at + side) * 3].iter().copied()).collect();
    RgbImage { width: side, height: side, pixels }
}
