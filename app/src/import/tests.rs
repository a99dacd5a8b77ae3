//! The importer on photos made here: a sketch drawn on textured paper, the
//! paper turned a little on a dark table, lit unevenly with a shadow across
//! it, sensor noise, then saved as a JPEG and read back, as a phone would.

use super::*;
use tiny_skia::{Paint, PathBuilder, Pixmap, Stroke as Line, Transform};

const PAPER: (u32, u32) = (600, 450);
const PEN_WIDTH: f32 = 4.0;

/// The sketch, in paper pixels: a horizon, mountains, a sun, a house, a
/// tree and a road, as a person draws them with a pen.
fn sketch() -> Vec<Vec<(f32, f32)>> {
    let circle = |cx: f32, cy: f32, r: f32| (0..=40).map(|i| {
        let a = i as f32 / 40.0 * std::f32::consts::TAU;
        (cx + r * a.cos(), cy + r * a.sin())
    }).collect();
    vec![
        vec![(40.0, 250.0), (560.0, 250.0)],
        vec![(60.0, 250.0), (160.0, 120.0), (230.0, 200.0), (330.0, 90.0), (460.0, 250.0)],
        circle(480.0, 90.0, 35.0),
        vec![(90.0, 400.0), (90.0, 320.0), (190.0, 320.0), (190.0, 400.0), (90.0, 400.0)],
        vec![(80.0, 325.0), (140.0, 270.0), (200.0, 325.0)],
        vec![(420.0, 410.0), (420.0, 330.0)],
        vec![(420.0, 290.0), (385.0, 350.0), (455.0, 350.0), (420.0, 290.0)],
        vec![(270.0, 420.0), (300.0, 260.0)],
        vec![(360.0, 420.0), (320.0, 260.0)],
    ]
}

/// A small deterministic noise source.
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> f32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 40) as f32 / (1u64 << 24) as f32 - 0.5
    }
}

/// The paper with the sketch on it (`lines`) or blank: cream, with grain
/// and fibres, and a pen of `ink` grey.
fn paper(lines: bool, ink: u8) -> Pixmap {
    let mut pixmap = Pixmap::new(PAPER.0, PAPER.1).unwrap();
    let mut noise = Noise(7);
    for pixel in pixmap.pixels_mut() {
        let grain = 14.0 * noise.next();
        let shade = |base: f32| (base + grain).clamp(0.0, 255.0) as u8;
        *pixel = tiny_skia::ColorU8::from_rgba(shade(238.0), shade(233.0), shade(220.0), 255).premultiply();
    }
    // Fibres: short faint strokes all over.
    let mut paint = Paint::default();
    paint.set_color_rgba8(200, 195, 185, 90);
    for _ in 0..300 {
        let (x, y) = ((noise.next() + 0.5) * PAPER.0 as f32, (noise.next() + 0.5) * PAPER.1 as f32);
        let mut path = PathBuilder::new();
        path.move_to(x, y);
        path.line_to(x + 10.0 * noise.next(), y + 10.0 * noise.next());
        if let Some(path) = path.finish() {
            pixmap.stroke_path(&path, &paint, &Line { width: 1.0, ..Line::default() }, Transform::identity(), None);
        }
    }
    if lines {
        paint.set_color_rgba8(ink, ink, ink + 10, 255);
        paint.anti_alias = true;
        for line in sketch() {
            let mut path = PathBuilder::new();
            path.move_to(line[0].0, line[0].1);
            for &(x, y) in &line[1..] {
                path.line_to(x, y);
            }
            let pen = Line { width: PEN_WIDTH, line_cap: tiny_skia::LineCap::Round, line_join: tiny_skia::LineJoin::Round, ..Line::default() };
            pixmap.stroke_path(&path.finish().unwrap(), &paint, &pen, Transform::identity(), None);
        }
    }
    pixmap
}

/// A phone photo of `paper`, 800 x 700: turned by `degrees` on a dark
/// table, light falling off to one side, a soft shadow, noise, JPEG at
/// quality 75. Returns RGBA.
fn photo(paper: &Pixmap, degrees: f32, on_table: bool) -> (Vec<u8>, usize, usize) {
    let (width, height) = if on_table { (800, 700) } else { (PAPER.0 as usize, PAPER.1 as usize) };
    let (sin, cos) = degrees.to_radians().sin_cos();
    let (cx, cy) = (width as f32 / 2.0 + if on_table { 20.0 } else { 0.0 }, height as f32 / 2.0);
    let mut noise = Noise(99);
    let mut rgb = Vec::with_capacity(width * height * 3);
    for y in 0..height {
        for x in 0..width {
            let (dx, dy) = (x as f32 - cx, y as f32 - cy);
            let (u, v) = (dx * cos + dy * sin + PAPER.0 as f32 / 2.0, -dx * sin + dy * cos + PAPER.1 as f32 / 2.0);
            let colour = if u >= 0.0 && v >= 0.0 && u < PAPER.0 as f32 && v < PAPER.1 as f32 {
                let p = paper.pixel(u as u32, v as u32).unwrap();
                [p.red(), p.green(), p.blue()].map(f32::from)
            } else {
                [70.0, 56.0, 45.0]
            };
            let light = 0.5 + 0.5 * x as f32 / width as f32;
            let shadow = 1.0 - 0.35 * (-((x as f32 - 0.3 * width as f32).powi(2) + (y as f32 - 0.7 * height as f32).powi(2)) / (2.0 * 90.0f32.powi(2))).exp();
            let grain = 10.0 * noise.next();
            rgb.extend(colour.map(|c| (c * light * shadow + grain).clamp(0.0, 255.0) as u8));
        }
    }
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 75)
        .encode(&rgb, width as u32, height as u32, image::ExtendedColorType::Rgb8)
        .unwrap();
    let decoded = image::load_from_memory_with_format(&jpeg, image::ImageFormat::Jpeg).unwrap().to_rgba8();
    (decoded.into_raw(), width, height)
}

/// The sketch's lines in doodle units, fitted to the square as the importer
/// fits what it finds: the pen's outline's bounds, with the margin.
fn expected_lines() -> Vec<Vec<(f32, f32)>> {
    let lines = sketch();
    let points = lines.iter().flatten();
    let half = PEN_WIDTH / 2.0;
    let x0 = points.clone().map(|p| p.0).fold(f32::MAX, f32::min) - half;
    let x1 = points.clone().map(|p| p.0).fold(f32::MIN, f32::max) + half;
    let y0 = points.clone().map(|p| p.1).fold(f32::MAX, f32::min) - half;
    let y1 = points.map(|p| p.1).fold(f32::MIN, f32::max) + half;
    let scale = DOODLE_SIZE * (1.0 - 2.0 * MARGIN) / (x1 - x0).max(y1 - y0);
    let offset = ((DOODLE_SIZE - (x1 - x0) * scale) / 2.0 - x0 * scale, (DOODLE_SIZE - (y1 - y0) * scale) / 2.0 - y0 * scale);
    lines.into_iter().map(|line| line.into_iter().map(|(x, y)| (x * scale + offset.0, y * scale + offset.1)).collect()).collect()
}

/// Points every unit along polylines.
fn along(lines: &[Vec<(f32, f32)>]) -> Vec<(f32, f32)> {
    let mut out = Vec::new();
    for line in lines {
        for pair in line.windows(2) {
            let ((ax, ay), (bx, by)) = (pair[0], pair[1]);
            let steps = ((bx - ax).hypot(by - ay).ceil() as usize).max(1);
            out.extend((0..=steps).map(|i| {
                let t = i as f32 / steps as f32;
                (ax + (bx - ax) * t, ay + (by - ay) * t)
            }));
        }
        if line.len() == 1 {
            out.push(line[0]);
        }
    }
    out
}

/// Distance from `p` to the nearest of `lines`' segments.
fn distance(p: (f32, f32), lines: &[Vec<(f32, f32)>]) -> f32 {
    let segment = |(ax, ay): (f32, f32), (bx, by): (f32, f32)| {
        let (dx, dy) = (bx - ax, by - ay);
        let t = (((p.0 - ax) * dx + (p.1 - ay) * dy) / (dx * dx + dy * dy).max(1e-6)).clamp(0.0, 1.0);
        (p.0 - ax - t * dx).hypot(p.1 - ay - t * dy)
    };
    lines
        .iter()
        .flat_map(|line| if line.len() == 1 { vec![segment(line[0], line[0])] } else { line.windows(2).map(|w| segment(w[0], w[1])).collect() })
        .fold(f32::MAX, f32::min)
}

fn percentile(mut values: Vec<f32>, p: f32) -> f32 {
    values.sort_by(f32::total_cmp);
    values[((values.len() - 1) as f32 * p) as usize]
}

/// How close the strokes found lie to the drawn lines (95th percentile and
/// largest distance, doodle units) and how much of the drawing they cover
/// (share of the drawn lines within 3 units of a stroke).
fn closeness(strokes: &[Stroke]) -> (f32, f32, f32) {
    let found: Vec<Vec<(f32, f32)>> = strokes.iter().map(|s| s.points.iter().map(|p| (p.x, p.y)).collect()).collect();
    let truth = expected_lines();
    let off: Vec<f32> = along(&found).into_iter().map(|p| distance(p, &truth)).collect();
    let covered = along(&truth).into_iter().map(|p| distance(p, &found)).filter(|&d| d <= 3.0).count() as f32 / along(&truth).len() as f32;
    (percentile(off.clone(), 0.95), off.into_iter().fold(0.0, f32::max), covered)
}

#[test]
fn a_photo_of_a_pen_sketch_becomes_strokes_on_its_lines() {
    for (degrees, on_table, ink) in [(5.0, true, 40), (-8.0, true, 40), (0.0, false, 40), (3.0, true, 110)] {
        let (rgba, width, height) = photo(&paper(true, ink), degrees, on_table);
        let strokes = strokes_from_photo(&rgba, width, height).unwrap();
        let (p95, max, covered) = closeness(&strokes);
        println!(
            "turned {degrees} degrees, {}, ink {ink}: {} strokes; 95% of their length within {p95:.2} units of a drawn line, all within {max:.2}; they cover {:.1}% of the drawing",
            if on_table { "on a table" } else { "a scan" },
            strokes.len(),
            covered * 100.0
        );
        assert!(p95 < 1.5 && max < 3.5, "strokes off the lines: {p95} / {max}");
        assert!(covered > 0.95, "only {covered} of the drawing found");
        assert!(strokes.len() < 40, "the lines came in {} pieces", strokes.len());
        assert!(strokes.iter().all(|s| (MIN_WIDTH..=8.0).contains(&s.width)), "{:?}", strokes.iter().map(|s| s.width).collect::<Vec<_>>());
        // What the page shows (its own smoothing and rasteriser): ink only
        // along the drawn lines.
        let truth = expected_lines();
        let raster = ink::rasterise(&strokes, DOODLE_SIZE as u32);
        let reach = strokes[0].width / 2.0 + 1.5;
        let stray = (0..raster.len() / 4)
            .filter(|i| raster[i * 4] < 128)
            .map(|i| ((i % 256) as f32 + 0.5, (i / 256) as f32 + 0.5))
            .filter(|&p| distance(p, &truth) > reach)
            .count();
        assert!(stray < 20, "{stray} inked pixels off the drawn lines");
    }
}

#[test]
fn blank_paper_makes_no_strokes() {
    // A scan lies straight; a photo is turned a little.
    for (degrees, on_table) in [(4.0, true), (0.0, false)] {
        let (rgba, width, height) = photo(&paper(false, 0), degrees, on_table);
        let found = strokes_from_photo(&rgba, width, height);
        assert!(found.is_err(), "grain and light made strokes: {:?}", found.map(|s| s.iter().map(|s| s.points.clone()).collect::<Vec<_>>()));
    }
}

#[test]
fn what_is_not_a_picture_says_so() {
    assert!(strokes_from_photo(&[0; 16], 2, 2).is_err());
    assert!(strokes_from_photo(&[0; 100], 100, 100).is_err(), "the wrong number of bytes");
}

#[test]
fn thinning_leaves_a_one_pixel_line_along_the_centre() {
    let (w, h) = (40, 12);
    let mut mask: Vec<bool> = (0..w * h).map(|i| (3..38).contains(&(i % w)) && (4..9).contains(&(i / w))).collect();
    thin(&mut mask, w, h);
    let rows: Vec<usize> = (0..w * h).filter(|&i| mask[i]).map(|i| i / w).collect();
    assert!(rows.iter().all(|&y| y == 6), "rows {rows:?}");
    let chains = trace(&mask, w, h);
    assert_eq!(chains.len(), 1);
    assert!(chains[0].len() >= 28, "{}", chains[0].len());
}

