//! Writes a contact sheet of the scene painter's pairs: one row per seed,
//! the doodle then the painting in every style; or, with `--doodlers`, the
//! painter's doodle then the same scene as six sampled doodlers draw it (the
//! trainer's augmentation). With `--sparse`, the sparse scenes of the same
//! seeds (`Scene::sample_sparse`).
//!
//! `cargo run -p trainer --release --bin contact-sheet -- OUT.png [--seeds N] [--first SEED] [--size PX] [--doodlers] [--sparse]`

use clap::Parser;
use model::png::to_pixmap;
use scene::{Doodler, Scene, Style, render_doodle, render_doodle_by, render_painting};
use tiny_skia::{Pixmap, PixmapPaint, Transform};

/// A contact sheet of the scene painter's pairs (or, with --doodlers, of the trainer's doodlers).
#[derive(Parser)]
struct Args {
    /// The PNG to write.
    out: String,
    /// Rows: one seed each.
    #[arg(long, default_value_t = 6)]
    seeds: u64,
    /// The first row's seed.
    #[arg(long, default_value_t = 0)]
    first: u64,
    /// Each image's size in pixels.
    #[arg(long, default_value_t = 256)]
    size: u32,
    /// Each row: the scene as six sampled doodlers draw it, not its paintings.
    #[arg(long)]
    doodlers: bool,
    /// Sparse scenes, as one training pair in four is.
    #[arg(long)]
    sparse: bool,
}

fn main() {
    if let Err(message) = run() {
        eprintln!("contact-sheet: {message}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let Args { out, seeds, first, size, doodlers, sparse } = Args::parse();
    let gap = 4;
    let columns = 1 + Style::ALL.len() as u32;
    let mut sheet = Pixmap::new(columns * (size + gap) + gap, seeds as u32 * (size + gap) + gap)
        .ok_or("sheet too large")?;
    sheet.fill(tiny_skia::Color::from_rgba8(60, 60, 60, 255));
    for row in 0..seeds {
        let seed = first + row;
        let scene = if sparse { Scene::sample_sparse(seed) } else { Scene::sample(seed) };
        let y = (gap + row as u32 * (size + gap)) as i32;
        let doodle = render_doodle(&scene, seed, size);
        sheet.draw_pixmap(gap as i32, y, to_pixmap(&doodle).as_ref(), &PixmapPaint::default(), Transform::identity(), None);
        for (column, &style) in Style::ALL.iter().enumerate() {
            let image = if doodlers {
                render_doodle_by(&Doodler::sample(seed * 100 + column as u64), &scene, seed, size)
            } else {
                render_painting(&scene, style, seed, size)
            };
            let x = (gap + (column as u32 + 1) * (size + gap)) as i32;
            sheet.draw_pixmap(x, y, to_pixmap(&image).as_ref(), &PixmapPaint::default(), Transform::identity(), None);
        }
    }
    sheet.save_png(&out).map_err(|e| format!("{out}: {e}"))?;
    println!(
        "wrote {out}: seeds {first}..{}, columns: doodle, {}",
        first + seeds,
        if doodlers { "six sampled doodlers".into() } else { Style::ALL.iter().map(|s| s.id()).collect::<Vec<_>>().join(", ") }
    );
    Ok(())
}
