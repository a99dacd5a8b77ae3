//! Writes a contact sheet of the procedural painter's pairs: one row per seed,
//! the doodle then the painting in every style; or, with `--doodlers`, the
//! painter's doodle then the same scene as six sampled doodlers draw it (the
//! trainer's augmentation).
//!
//! `cargo run -p model --release --features painter --bin contact-sheet -- OUT.png [--seeds N] [--first SEED] [--size PX] [--doodlers]`

use model::STYLES;
use model::png::to_pixmap;
use model::scene::{Doodler, Scene, render_doodle, render_doodle_by, render_painting};
use tiny_skia::{Pixmap, PixmapPaint, Transform};

fn main() {
    if let Err(message) = run() {
        eprintln!("contact-sheet: {message}");
        std::process::exit(1);
    }
}

fn run() -> Result<(), String> {
    let mut out = None;
    let (mut seeds, mut first, mut size, mut doodlers) = (6u64, 0u64, 256u32, false);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = |name: &str| -> Result<u64, String> {
            args.next().and_then(|v| v.parse().ok()).ok_or(format!("{name} needs a whole number"))
        };
        match arg.as_str() {
            "--seeds" => seeds = number("--seeds")?,
            "--first" => first = number("--first")?,
            "--size" => size = number("--size")? as u32,
            "--doodlers" => doodlers = true,
            _ => out = Some(arg),
        }
    }
    let out = out.ok_or("usage: contact-sheet OUT.png [--seeds N] [--first SEED] [--size PX] [--doodlers]")?;
    let gap = 4;
    let columns = 1 + STYLES.len() as u32;
    let mut sheet = Pixmap::new(columns * (size + gap) + gap, seeds as u32 * (size + gap) + gap)
        .ok_or("sheet too large")?;
    sheet.fill(tiny_skia::Color::from_rgba8(60, 60, 60, 255));
    for row in 0..seeds {
        let seed = first + row;
        let scene = Scene::sample(seed);
        let y = (gap + row as u32 * (size + gap)) as i32;
        let doodle = render_doodle(&scene, seed, size);
        sheet.draw_pixmap(gap as i32, y, to_pixmap(&doodle).as_ref(), &PixmapPaint::default(), Transform::identity(), None);
        for (column, style) in (0..STYLES.len()).enumerate() {
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
        if doodlers { "six sampled doodlers".into() } else { STYLES.iter().map(|s| s.id).collect::<Vec<_>>().join(", ") }
    );
    Ok(())
}
