//! Brushwork: the generator's 256 px painting re-painted with brush strokes on
//! a canvas of any size (the size the page shows, or 1024 px for export).
//!
//! The method is Hertzmann's ("Painterly Rendering with Curved Brush Strokes of
//! Multiple Sizes", 1998): layers of strokes from a large brush to a small one;
//! each layer paints only where the canvas still differs from the painting
//! blurred to that brush's scale, and each stroke starts where the canvas is
//! most wrong and curves along the painting's colour edges (across the
//! luminance gradient), so a flank is painted along its slope and a sky that
//! fades from top to bottom in long horizontal strokes. Each style has a
//! medium: opaque oil with bristle streaks, a toned ground, canvas weave and
//! the raking light of impasto, or translucent watercolour washes with darker
//! wet edges on grained paper.
//!
//! Deterministic for (painting, style, seed, size): the seed moves the strokes
//! (their order, jitter and colour wobble), not the picture's colours.

use art::{RgbImage, Style};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

/// How a style's paint goes on.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Medium {
    Oil,
    Watercolour,
}

fn medium(style: Style) -> Medium {
    match style {
        Style::Watercolour => Medium::Watercolour,
        _ => Medium::Oil,
    }
}

/// One layer of strokes.
struct Layer {
    /// Brush radius as a fraction of the canvas side.
    radius: f32,
    /// Grid spacing of the strokes' starting cells, in radii.
    grid: f32,
    /// Control points of a stroke after its first, at most.
    length: usize,
    /// A cell is painted where the canvas differs from the blurred painting
    /// by more than this mean colour distance (RGB in 0..1); 0 paints every cell.
    threshold: f32,
}

/// Layers from a large brush to a small one. The first covers the canvas:
/// strokes ten radii long on a grid of two radii already overlap.
fn layers(medium: Medium) -> &'static [Layer] {
    match medium {
        Medium::Oil => &[
            Layer { radius: 1.0 / 22.0, grid: 2.0, length: 8, threshold: 0.0 },
            Layer { radius: 1.0 / 44.0, grid: 2.0, length: 8, threshold: 0.05 },
            Layer { radius: 1.0 / 88.0, grid: 1.5, length: 6, threshold: 0.06 },
        ],
        // Broad washes, then a smaller brush only where the picture needs it.
        Medium::Watercolour => &[
            Layer { radius: 1.0 / 14.0, grid: 1.4, length: 8, threshold: 0.0 },
            Layer { radius: 1.0 / 40.0, grid: 2.0, length: 6, threshold: 0.06 },
            Layer { radius: 1.0 / 90.0, grid: 2.0, length: 5, threshold: 0.09 },
        ],
    }
}

const MIN_STROKE: usize = 2;
/// How much a stroke keeps its last direction (Hertzmann's curvature filter).
const KEEP_DIRECTION: f32 = 0.35;

/// The brushwork of `painting` in `style` on a `size` x `size` canvas.
pub fn paint(painting: &RgbImage, style: Style, seed: u64, size: u32) -> RgbImage {
    let n = size.max(8) as usize;
    let medium = medium(style);
    let reference = Field::of(painting, n);
    let mut rng = Pcg64Mcg::seed_from_u64(seed ^ 0xB1C5_0000_0000_0000);
    let ground = match medium {
        // A toned ground, as a painter would lay first: the painting's mean, darker.
        Medium::Oil => reference.mean().map(|c| c * 0.7),
        Medium::Watercolour => PAPER,
    };
    let mut canvas = Canvas { n, cells: vec![Cell { rgb: ground, paint: 0.0, last_stroke: u32::MAX }; n * n], strokes: 0 };
    for layer in layers(medium) {
        let radius = (layer.radius * n as f32).max(1.0);
        let blurred = reference.blurred((radius * 0.5 * reference.scale).round() as usize);
        let mut strokes = plan_layer(&blurred, &canvas, radius, layer, &mut rng);
        strokes.shuffle(&mut rng);
        for stroke in &strokes {
            canvas.draw(stroke, radius, medium, &mut rng);
        }
    }
    canvas.finish(medium)
}

/// Watercolour paper.
const PAPER: [f32; 3] = [0.96, 0.945, 0.91];

/// The painting as RGB in 0..1 at its own resolution, read in canvas
/// coordinates (`scale` source pixels a canvas pixel) by bilinear interpolation.
struct Field {
    width: usize,
    height: usize,
    rgb: Vec<[f32; 3]>,
    scale: f32,
}

impl Field {
    /// `image`, read on a canvas `size` pixels wide.
    fn of(image: &RgbImage, size: usize) -> Self {
        let rgb = image.pixels.chunks_exact(3).map(|p| [0, 1, 2].map(|c| f32::from(p[c]) / 255.0)).collect();
        Self { width: image.width, height: image.height, rgb, scale: image.width as f32 / size as f32 }
    }

    fn mean(&self) -> [f32; 3] {
        let sum = self.rgb.iter().fold([0.0f32; 3], |s, p| [s[0] + p[0], s[1] + p[1], s[2] + p[2]]);
        sum.map(|s| s / self.rgb.len() as f32)
    }

    /// Blurred by three passes of a box `radius` source pixels wide each way
    /// (close to a Gaussian). Blurring at the painting's own resolution costs
    /// the same whatever the canvas size.
    fn blurred(&self, radius: usize) -> Self {
        let mut rgb = self.rgb.clone();
        let (w, h) = (self.width, self.height);
        if radius > 0 {
            let mut line = Vec::new();
            let mut sums = Vec::new();
            for _ in 0..3 {
                // Across: a running sum along each row.
                for row in rgb.chunks_exact_mut(w) {
                    line.clear();
                    line.extend_from_slice(row);
                    box_blur(&line, radius, row);
                }
                // Down: the same running sums, for every column at once, row by row.
                line.clear();
                line.extend_from_slice(&rgb);
                let row = |y: isize| &line[y.clamp(0, h as isize - 1) as usize * w..][..w];
                let r = radius as isize;
                sums.clear();
                sums.resize(w, [0.0f32; 3]);
                for y in -r..=r {
                    add_row(&mut sums, row(y), None);
                }
                let width = (2 * radius + 1) as f32;
                for (y, out) in rgb.chunks_exact_mut(w).enumerate() {
                    for (o, s) in out.iter_mut().zip(&sums) {
                        *o = s.map(|s| s / width);
                    }
                    add_row(&mut sums, row(y as isize + r + 1), Some(row(y as isize - r)));
                }
            }
        }
        Self { rgb, ..*self }
    }

    /// The colour at canvas point (x, y).
    fn at(&self, x: f32, y: f32) -> [f32; 3] {
        let fx = (x * self.scale - 0.5).clamp(0.0, (self.width - 1) as f32);
        let fy = (y * self.scale - 0.5).clamp(0.0, (self.height - 1) as f32);
        let (x0, y0) = (fx as usize, fy as usize);
        let (x1, y1) = ((x0 + 1).min(self.width - 1), (y0 + 1).min(self.height - 1));
        let (tx, ty) = (fx - x0 as f32, fy - y0 as f32);
        let p = |x: usize, y: usize| self.rgb[y * self.width + x];
        let (a, b, c, d) = (p(x0, y0), p(x1, y0), p(x0, y1), p(x1, y1));
        [0, 1, 2].map(|k| (a[k] * (1.0 - tx) + b[k] * tx) * (1.0 - ty) + (c[k] * (1.0 - tx) + d[k] * tx) * ty)
    }

    /// The luminance gradient at canvas point (x, y), a change per source pixel.
    fn gradient(&self, x: f32, y: f32) -> (f32, f32) {
        let lum = |p: [f32; 3]| 0.3 * p[0] + 0.59 * p[1] + 0.11 * p[2];
        let step = 1.0 / self.scale;
        let gx = lum(self.at(x + step, y)) - lum(self.at(x - step, y));
        let gy = lum(self.at(x, y + step)) - lum(self.at(x, y - step));
        (gx * 0.5, gy * 0.5)
    }
}

/// `line` box-blurred `radius` wide each way (edges held) into `out`, by a
/// running sum.
fn box_blur(line: &[[f32; 3]], radius: usize, out: &mut [[f32; 3]]) {
    let length = line.len() as isize;
    let get = |j: isize| line[j.clamp(0, length - 1) as usize];
    let r = radius as isize;
    let mut sum = [0.0f32; 3];
    for j in -r..=r {
        let p = get(j);
        (0..3).for_each(|c| sum[c] += p[c]);
    }
    let width = (2 * radius + 1) as f32;
    for (j, o) in (0..length).zip(out) {
        *o = sum.map(|s| s / width);
        let (add, remove) = (get(j + r + 1), get(j - r));
        (0..3).for_each(|c| sum[c] += add[c] - remove[c]);
    }
}

/// `sums += add - remove`, column by column (in that order, as `box_blur` does).
fn add_row(sums: &mut [[f32; 3]], add: &[[f32; 3]], remove: Option<&[[f32; 3]]>) {
    match remove {
        None => sums.iter_mut().zip(add).for_each(|(s, a)| (0..3).for_each(|c| s[c] += a[c])),
        Some(remove) => {
            for ((s, a), r) in sums.iter_mut().zip(add).zip(remove) {
                (0..3).for_each(|c| s[c] += a[c] - r[c]);
            }
        }
    }
}

fn distance(a: [f32; 3], b: [f32; 3]) -> f32 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
}

struct BrushStroke {
    points: Vec<(f32, f32)>,
    colour: [f32; 3],
}

/// One layer's strokes: one per grid cell whose canvas is wrong by more than
/// the layer's threshold, from the cell's worst pixel.
fn plan_layer(blurred: &Field, canvas: &Canvas, radius: f32, layer: &Layer, rng: &mut Pcg64Mcg) -> Vec<BrushStroke> {
    let n = canvas.n;
    let step = ((layer.grid * radius).round() as usize).max(1);
    // Big cells are judged on a sparser grid of pixels: the same verdict, cheaper.
    let sample = (step / 4).max(1);
    let mut strokes = Vec::new();
    for cy in (0..n).step_by(step) {
        for cx in (0..n).step_by(step) {
            let (mut sum, mut count, mut worst) = (0.0, 0, (f32::MIN, cx, cy));
            for y in (cy..(cy + step).min(n)).step_by(sample.max(2)) {
                for x in (cx..(cx + step).min(n)).step_by(sample.max(2)) {
                    let d = distance(blurred.at(x as f32 + 0.5, y as f32 + 0.5), canvas.cells[y * n + x].rgb);
                    sum += d;
                    count += 1;
                    if d > worst.0 {
                        worst = (d, x, y);
                    }
                }
            }
            if sum / count as f32 >= layer.threshold {
                strokes.push(curved_stroke(blurred, canvas, (worst.1 as f32 + 0.5, worst.2 as f32 + 0.5), radius, layer.length, rng));
            }
        }
    }
    strokes
}

/// A stroke from (x0, y0) in the blurred painting's colour there, walking
/// across the luminance gradient (along the edges) a radius at a time, while
/// its colour suits the painting better than the canvas does.
fn curved_stroke(blurred: &Field, canvas: &Canvas, (x0, y0): (f32, f32), radius: f32, length: usize, rng: &mut Pcg64Mcg) -> BrushStroke {
    let colour = blurred.at(x0, y0);
    let mut points = vec![(x0, y0)];
    let (mut x, mut y) = (x0, y0);
    let mut last: Option<(f32, f32)> = None;
    let limit = canvas.n as f32;
    for i in 1..=length {
        if i > MIN_STROKE {
            let here = blurred.at(x, y);
            if distance(here, colour) > distance(here, canvas.at(x, y)) {
                break;
            }
        }
        let (gx, gy) = blurred.gradient(x, y);
        let g = gx.hypot(gy);
        // Where the painting is flat, keep going the way the stroke went, or
        // across the canvas like a wash: no edge to follow.
        let mut d = if g > 0.002 { (-gy / g, gx / g) } else { last.unwrap_or((1.0, rng.random_range(-0.15..0.15))) };
        if let Some((lx, ly)) = last {
            if d.0 * lx + d.1 * ly < 0.0 {
                d = (-d.0, -d.1);
            }
            d = (KEEP_DIRECTION * lx + (1.0 - KEEP_DIRECTION) * d.0, KEEP_DIRECTION * ly + (1.0 - KEEP_DIRECTION) * d.1);
        }
        let length = d.0.hypot(d.1).max(1e-6);
        d = (d.0 / length, d.1 / length);
        (x, y) = (x + radius * d.0, y + radius * d.1);
        if !(0.0..limit).contains(&x) || !(0.0..limit).contains(&y) {
            break;
        }
        points.push((x, y));
        last = Some(d);
    }
    BrushStroke { points, colour }
}

/// The rows (or columns) of an `n` px canvas whose pixel centres lie between
/// `from` and `to`, clamped to the canvas: empty where none do.
fn centres_between(from: f32, to: f32, n: usize) -> std::ops::Range<usize> {
    let first = ((from - 0.5).ceil().max(0.0) as usize).min(n);
    let last = ((to - 0.5).floor() + 1.0).max(0.0) as usize;
    first..last.clamp(first, n)
}

/// Paper grain in 0..1 on an `n` px canvas, row by row: value noise at two
/// scales, in pixels of a 512 px canvas, fixed (the same paper whatever the
/// seed). The noise's lattice is hashed once, not four times a pixel.
fn paper_grain(n: usize) -> Vec<f32> {
    let scale = 512.0 / n as f32;
    let mut grain = vec![0.0f32; n * n];
    for (period, weight) in [(3.0f32, 0.6f32), (11.0, 0.4)] {
        // Where a column or row falls between lattice points, and how far (smoothed).
        let place = |i: usize| {
            let v = i as f32 * scale / period;
            (v.floor() as usize, smoothstep(0.0, 1.0, v - v.floor()))
        };
        let columns: Vec<(usize, f32)> = (0..n).map(place).collect();
        let side = place(n - 1).0 + 2;
        let lattice: Vec<f32> = (0..side * side).map(|k| lattice_value((k % side) as i32, (k / side) as i32)).collect();
        for (y, row) in grain.chunks_exact_mut(n).enumerate() {
            let (j, sy) = place(y);
            let (upper, lower) = (&lattice[j * side..], &lattice[(j + 1) * side..]);
            for (g, &(i, sx)) in row.iter_mut().zip(&columns) {
                let top = upper[i] * (1.0 - sx) + upper[i + 1] * sx;
                let bottom = lower[i] * (1.0 - sx) + lower[i + 1] * sx;
                *g += weight * (top * (1.0 - sy) + bottom * sy);
            }
        }
    }
    grain
}

/// The value noise's random value at lattice point (i, j), in 0..1.
fn lattice_value(i: i32, j: i32) -> f32 {
    let mut h = (i as u32).wrapping_mul(0x8DA6_B343) ^ (j as u32).wrapping_mul(0xD816_3841);
    h = (h ^ (h >> 13)).wrapping_mul(0x5bd1_e995);
    ((h ^ (h >> 15)) & 0xFFFF) as f32 / 65535.0
}

fn value_noise(x: f32, y: f32) -> f32 {
    let (i, j) = (x.floor() as i32, y.floor() as i32);
    let (sx, sy) = (smoothstep(0.0, 1.0, x - x.floor()), smoothstep(0.0, 1.0, y - y.floor()));
    let top = lattice_value(i, j) * (1.0 - sx) + lattice_value(i + 1, j) * sx;
    let bottom = lattice_value(i, j + 1) * (1.0 - sx) + lattice_value(i + 1, j + 1) * sx;
    top * (1.0 - sy) + bottom * sy
}

/// The painting in progress, `n` pixels square.
struct Canvas {
    n: usize,
    cells: Vec<Cell>,
    strokes: u32,
}

/// One pixel of the canvas. Kept together, so laying paint on a pixel reads
/// one cache line: painting is bound by memory, not arithmetic.
#[derive(Clone, Copy)]
struct Cell {
    rgb: [f32; 3],
    /// The paint's thickness, for the light on its relief.
    paint: f32,
    /// Which stroke last touched the pixel: a stroke paints a pixel once,
    /// however its pieces overlap.
    last_stroke: u32,
}

/// Where a pixel lies on a piece of a stroke, as linear functions of the
/// pixel's (x, y): `[per x, per y, constant]`. `across` runs from -1 to 1
/// edge to edge, `along` from 0 to 1 from the stroke's start to its end.
struct Place {
    across: [f32; 3],
    along: [f32; 3],
}

/// A point of a stroke's centre line, with the unit normal there and how far
/// along the stroke it lies (0 to 1).
#[derive(Clone, Copy)]
struct Rib {
    x: f32,
    y: f32,
    nx: f32,
    ny: f32,
    along: f32,
}

impl Canvas {
    fn at(&self, x: f32, y: f32) -> [f32; 3] {
        let clamp = |v: f32| (v.max(0.0) as usize).min(self.n - 1);
        self.cells[clamp(y) * self.n + clamp(x)].rgb
    }

    /// Lays `stroke` as a band `radius` wide each side of its smoothed centre
    /// line, quad by quad between ribs, with a round end at each side.
    fn draw(&mut self, stroke: &BrushStroke, radius: f32, medium: Medium, rng: &mut Pcg64Mcg) {
        let id = self.strokes;
        self.strokes += 1;
        // A brush's width and load vary a little from stroke to stroke.
        let radius = radius * rng.random_range(0.8..1.1);
        let shade = rng.random_range(-0.025f32..0.025);
        let bristles = rng.random_range(0.0..100.0);
        // Streaks of more and less paint, lengthwise, as bristles leave them:
        // a pattern across the stroke.
        let streaks: [f32; STREAK_SAMPLES] = std::array::from_fn(|k| value_noise(bristles + k as f32 * 9.0 / STREAK_SAMPLES as f32, 0.5));
        let brush = Brush::new(stroke.colour.map(|c| c + shade), medium, &streaks);
        let ribs = ribs(&stroke.points, radius);
        for pair in ribs.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            let corners = [
                (a.x + a.nx * radius, a.y + a.ny * radius),
                (b.x + b.nx * radius, b.y + b.ny * radius),
                (b.x - b.nx * radius, b.y - b.ny * radius),
                (a.x - a.nx * radius, a.y - a.ny * radius),
            ];
            // Across the band: the signed distance from the centre segment, in
            // radii; along it: from a's place on the stroke to b's.
            let (dx, dy) = (b.x - a.x, b.y - a.y);
            let length = dx.hypot(dy).max(1e-6);
            let (nx, ny) = (-dy / (length * radius), dx / (length * radius));
            let along = (b.along - a.along) / (length * length);
            let place = Place {
                across: [nx, ny, -(a.x * nx + a.y * ny)],
                along: [dx * along, dy * along, a.along - (a.x * dx + a.y * dy) * along],
            };
            self.fill_convex(&corners, id, &place, &brush);
        }
        // Round ends.
        for end in [ribs[0], ribs[ribs.len() - 1]] {
            let (nx, ny) = (end.nx / radius, end.ny / radius);
            let place = Place { across: [nx, ny, -(end.x * nx + end.y * ny)], along: [0.0, 0.0, end.along] };
            for row in centres_between(end.y - radius, end.y + radius, self.n) {
                let dy = row as f32 + 0.5 - end.y;
                let half = (radius * radius - dy * dy).max(0.0).sqrt();
                self.fill_span(row, end.x - half, end.x + half, id, &place, &brush);
            }
        }
    }

    /// Fills the convex `polygon` row by row, painting each pixel whose centre
    /// is inside once for stroke `id`; `place` gives its (across, along).
    /// A piece of a stroke bent back on itself is filled as if convex: where
    /// the brush passed either way.
    fn fill_convex(&mut self, polygon: &[(f32, f32)], id: u32, place: &Place, brush: &Brush) {
        let top = polygon.iter().map(|p| p.1).fold(f32::MAX, f32::min);
        let bottom = polygon.iter().map(|p| p.1).fold(f32::MIN, f32::max);
        for row in centres_between(top, bottom, self.n) {
            let y = row as f32 + 0.5;
            // The row's span: from the leftmost to the rightmost edge crossing.
            let (mut left, mut right) = (f32::MAX, f32::MIN);
            for (i, &(x0, y0)) in polygon.iter().enumerate() {
                let (x1, y1) = polygon[(i + 1) % polygon.len()];
                if (y0 <= y) != (y1 <= y) {
                    let x = x0 + (y - y0) * (x1 - x0) / (y1 - y0);
                    (left, right) = (left.min(x), right.max(x));
                }
            }
            if left <= right {
                self.fill_span(row, left, right, id, place, brush);
            }
        }
    }

    /// Paints the pixels of `row` whose centres lie between `left` and `right`.
    fn fill_span(&mut self, row: usize, left: f32, right: f32, id: u32, place: &Place, brush: &Brush) {
        let n = self.n;
        // Clamped to the row: a span may lie wholly off the canvas.
        let pixels = centres_between(left, right, n);
        // Both coordinates are linear in x: step them along the row. Across
        // is stepped as a place in the brush's profile, in 16.16 fixed point:
        // no float-to-integer conversion a pixel.
        let (x, y) = (pixels.start as f32 + 0.5, row as f32 + 0.5);
        let across = place.across[0] * x + place.across[1] * y + place.across[2];
        let to_fixed = |across: f32| (across * (0.5 * PROFILE_SAMPLES as f32) * 65536.0) as i32;
        let mut profile = to_fixed(across + 1.0);
        let profile_step = to_fixed(place.across[0]);
        let mut along = place.along[0] * x + place.along[1] * y + place.along[2];
        for cell in &mut self.cells[row * n + pixels.start..row * n + pixels.end] {
            if cell.last_stroke != id {
                cell.last_stroke = id;
                brush.lay(cell, (profile >> 16).clamp(0, PROFILE_SAMPLES as i32 - 1) as usize, along);
            }
            profile += profile_step;
            along += place.along[0];
        }
    }

    /// The ground's texture and, for oil, light from the top left on the paint's relief.
    fn finish(&self, medium: Medium) -> RgbImage {
        let n = self.n;
        // Texture features keep their size in pixels of a 512 px canvas.
        let scale = 512.0 / n as f32;
        // Canvas weave: a product of a wave across and a wave down.
        let weave: Vec<f32> = (0..n).map(|i| (i as f32 * scale * 2.1).sin()).collect();
        let paper = if medium == Medium::Watercolour { paper_grain(n) } else { Vec::new() };
        let mut pixels = vec![0u8; n * n * 3];
        for (y, row) in pixels.chunks_exact_mut(n * 3).enumerate() {
            for (x, pixel) in row.chunks_exact_mut(3).enumerate() {
                let i = y * n + x;
                let light = match medium {
                    Medium::Oil => {
                        let relief = if x > 0 && y > 0 { self.cells[i].paint - self.cells[i - n - 1].paint } else { 0.0 };
                        1.0 + 0.025 * weave[x] * weave[y] + 0.12 * relief
                    }
                    Medium::Watercolour => 1.0 - 0.06 * paper[i],
                };
                for (p, c) in pixel.iter_mut().zip(self.cells[i].rgb) {
                    // Rounded; `as` saturates to 0..255 (no libm call).
                    *p = (c * light * 255.0 + 0.5) as u8;
                }
            }
        }
        RgbImage { width: n, height: n, pixels }
    }
}

/// One stroke's paint and how it goes on: what it lays across the stroke,
/// worked out once a stroke rather than once a pixel.
struct Brush {
    profile: [Paint; PROFILE_SAMPLES],
}

/// The paint a brush lays at one place across its stroke.
#[derive(Clone, Copy, Default)]
struct Paint {
    /// Colour, with the bristles' tone.
    rgb: [f32; 3],
    /// Opacity, before the brush runs dry.
    alpha: f32,
    /// How much less paint is left at the stroke's very end.
    dry: f32,
    /// The relief the paint settles to.
    relief: f32,
}

/// Streaks of more and less paint across a stroke, as bristles leave them.
const STREAK_SAMPLES: usize = 32;
/// Places across a stroke, edge to edge: finer than a pixel for strokes up to
/// 128 px wide, so the falloff at the edges stays smooth.
const PROFILE_SAMPLES: usize = 4 * STREAK_SAMPLES;

impl Brush {
    /// A brush in `medium` loaded with `colour`, its bristles leaving `streaks`.
    fn new(colour: [f32; 3], medium: Medium, streaks: &[f32; STREAK_SAMPLES]) -> Self {
        let profile = std::array::from_fn(|i| {
            let across = (i as f32 + 0.5) / PROFILE_SAMPLES as f32 * 2.0 - 1.0;
            let distance = across.abs();
            let streak = streaks[i * STREAK_SAMPLES / PROFILE_SAMPLES];
            let (alpha, tone, dry) = match medium {
                // Opaque to near the edge; it runs dry towards the end of the
                // stroke, between the streaks first.
                Medium::Oil => (0.95 * smoothstep(1.0, 0.7, distance), 0.9 + 0.2 * streak, 0.7 * (1.0 - streak)),
                // A wash thins out towards its edge, where pigment gathers as it dries.
                Medium::Watercolour => (0.6 * smoothstep(1.0, 0.25, distance), 1.0 - 0.1 * smoothstep(0.5, 0.9, distance) - 0.04 * streak, 0.0),
            };
            Paint { rgb: colour.map(|c| c * tone), alpha, dry, relief: 0.5 + streak }
        });
        Self { profile }
    }

    /// Lays paint on one pixel at `place` in the profile across the stroke
    /// (0 to `PROFILE_SAMPLES`, edge to edge) and `along` it (0 to 1).
    #[inline(always)]
    fn lay(&self, cell: &mut Cell, place: usize, along: f32) {
        let paint = &self.profile[place];
        let alpha = if along < 0.6 { paint.alpha } else { paint.alpha * (1.0 - paint.dry * smoothstep(0.6, 1.0, along)) };
        for c in 0..3 {
            cell.rgb[c] += alpha * (paint.rgb[c] - cell.rgb[c]);
        }
        cell.paint += alpha * (paint.relief - cell.paint);
    }
}

fn smoothstep(edge0: f32, edge1: f32, x: f32) -> f32 {
    let t = ((x - edge0) / (edge1 - edge0)).clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

/// The centre line through `points` as a Catmull-Rom curve, three ribs
/// between points, each with its normal.
fn ribs(points: &[(f32, f32)], radius: f32) -> Vec<Rib> {
    let mut line: Vec<(f32, f32)> = Vec::new();
    if points.len() == 1 {
        // A dab: a short touch of the brush.
        let (x, y) = points[0];
        line.extend([(x - radius * 0.3, y), (x + radius * 0.3, y)]);
    } else {
        let p = |i: isize| points[i.clamp(0, points.len() as isize - 1) as usize];
        const STEPS: usize = 2;
        for i in 0..points.len() as isize - 1 {
            let (p0, p1, p2, p3) = (p(i - 1), p(i), p(i + 1), p(i + 2));
            for k in 0..STEPS {
                let t = k as f32 / STEPS as f32;
                let (t2, t3) = (t * t, t * t * t);
                let f = |a: f32, b: f32, c: f32, d: f32| {
                    0.5 * (2.0 * b + (c - a) * t + (2.0 * a - 5.0 * b + 4.0 * c - d) * t2 + (3.0 * b - a - 3.0 * c + d) * t3)
                };
                line.push((f(p0.0, p1.0, p2.0, p3.0), f(p0.1, p1.1, p2.1, p3.1)));
            }
        }
        line.push(points[points.len() - 1]);
    }
    let last = line.len() - 1;
    (0..=last)
        .map(|i| {
            let (a, b) = (line[i.saturating_sub(1)], line[(i + 1).min(last)]);
            let (dx, dy) = (b.0 - a.0, b.1 - a.1);
            let length = dx.hypot(dy).max(1e-6);
            Rib { x: line[i].0, y: line[i].1, nx: -dy / length, ny: dx / length, along: i as f32 / last.max(1) as f32 }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_piece_of_stroke_wholly_past_the_edge_paints_nothing() {
        // A stroke near the bottom right corner can have a piece whose part in
        // the last row lies right of the canvas: it once indexed past the end.
        let n = 16;
        let mut canvas = Canvas { n, cells: vec![Cell { rgb: [0.0; 3], paint: 0.0, last_stroke: u32::MAX }; n * n], strokes: 0 };
        let brush = Brush::new([1.0; 3], Medium::Oil, &[1.0; STREAK_SAMPLES]);
        let place = Place { across: [0.0; 3], along: [0.0; 3] };
        let off_right = [(18.0, 14.0), (21.0, 14.0), (21.0, 18.0), (18.0, 18.0)];
        canvas.fill_convex(&off_right, 0, &place, &brush);
        assert!(canvas.cells.iter().all(|cell| cell.rgb == [0.0; 3]));
        // Half on the canvas: only the pixels whose centres are inside.
        let straddling = [(14.0, 14.0), (21.0, 14.0), (21.0, 18.0), (14.0, 18.0)];
        canvas.fill_convex(&straddling, 1, &place, &brush);
        let painted: Vec<(usize, usize)> = (0..n * n).filter(|&i| canvas.cells[i].rgb != [0.0; 3]).map(|i| (i % n, i / n)).collect();
        assert_eq!(painted, [(14, 14), (15, 14), (14, 15), (15, 15)]);
    }
}
