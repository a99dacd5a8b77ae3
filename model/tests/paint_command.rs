//! The `paint` command: any PNG doodle in, a painting out; clear errors.

use std::process::Command;

use model::png::fit_doodle;
use tiny_skia::{Color, Paint, PathBuilder, Pixmap, Stroke, Transform};

/// A wide, transparent PNG with one red line across it, as drawing apps export.
fn wide_transparent_doodle() -> Pixmap {
    let mut pixmap = Pixmap::new(400, 200).unwrap();
    let mut path = PathBuilder::new();
    path.move_to(20.0, 100.0);
    path.line_to(380.0, 100.0);
    let mut paint = Paint::default();
    paint.set_color(Color::from_rgba8(200, 30, 30, 255));
    let stroke = Stroke { width: 8.0, ..Stroke::default() };
    pixmap.stroke_path(&path.finish().unwrap(), &paint, &stroke, Transform::identity(), None);
    pixmap
}

#[test]
fn any_image_becomes_a_square_grey_doodle_on_white() {
    let doodle = fit_doodle(&wide_transparent_doodle(), 256);
    assert_eq!((doodle.width, doodle.height), (256, 256));
    let at = |x: usize, y: usize| &doodle.pixels[(y * 256 + x) * 3..(y * 256 + x) * 3 + 3];
    assert!(doodle.pixels.chunks_exact(3).all(|p| p[0] == p[1] && p[1] == p[2]), "grey");
    assert_eq!(at(128, 10), [255; 3], "transparent and letterboxed parts are white paper");
    assert!(at(128, 128)[0] < 120, "the red line is dark ink, centred and not stretched");
    assert_eq!(at(128, 100), [255; 3]);
}

#[test]
fn the_command_paints_a_png_and_refuses_unknown_styles() {
    let dir = std::env::temp_dir().join(format!("paint-command-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (input, output) = (dir.join("doodle.png"), dir.join("painting.png"));
    wide_transparent_doodle().save_png(&input).unwrap();

    let run = |style: &str| Command::new(env!("CARGO_BIN_EXE_paint")).args(["--style", style]).arg(&input).arg(&output).output().unwrap();
    let ok = run("watercolour");
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    let painting = Pixmap::load_png(&output).unwrap();
    assert_eq!((painting.width(), painting.height()), (256, 256));

    let refused = run("cubism");
    assert!(!refused.status.success());
    let message = String::from_utf8_lossy(&refused.stderr);
    assert!(message.contains("no style \"cubism\"") && message.contains("watercolour"), "{message}");
    std::fs::remove_dir_all(&dir).unwrap();
}
