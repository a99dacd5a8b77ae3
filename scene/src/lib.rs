//! The procedural scene painter: from a seed, a small landscape, rendered as a
//! painting in any style and as the doodle a person would draw of it. These
//! aligned pairs are the generator's training data.
//!
//! A [`Scene`] is pure geometry in unit coordinates (0..1 both ways, y down),
//! so both renderings line up at any size.

mod doodle;
mod paint;
pub mod palette;

use std::ops::Range;

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

pub use doodle::{Doodler, render_doodle, render_doodle_by};
pub use paint::{Element, render_painting, render_painting_and_elements};

pub use art::{RgbImage, Style};

/// Validation seeds. Every seed from its start up is held out of training.
pub const VALIDATION_SEEDS: Range<u64> = 1 << 40..(1 << 40) + 100_000;

/// Whether a seed is one of the held-out validation seeds.
pub fn is_validation_seed(seed: u64) -> bool {
    seed >= VALIDATION_SEEDS.start
}

/// The doodle and the painting of one scene, `size` x `size`.
pub fn render_pair(seed: u64, style: Style, size: u32) -> (RgbImage, RgbImage) {
    let scene = Scene::sample(seed);
    (render_doodle(&scene, seed, size), render_painting(&scene, style, seed, size))
}

pub(crate) type Rng64 = Pcg64Mcg;

pub(crate) fn rng(seed: u64, stream: u64) -> Rng64 {
    // Separate streams so that, say, the doodle's wobble never shifts the scene.
    Pcg64Mcg::seed_from_u64(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ stream)
}

pub type P = (f32, f32);

#[derive(Clone, Debug)]
pub struct Orb {
    pub x: f32,
    pub y: f32,
    pub r: f32,
}

/// A cloud: a row of puffs (centre offsets and radii) over a flat base.
#[derive(Clone, Debug)]
pub struct Cloud {
    pub puffs: Vec<(f32, f32, f32)>,
    pub base: f32,
}

#[derive(Clone, Debug)]
pub struct MountainRange {
    /// Ridge line, left to right across the whole width.
    pub ridge: Vec<P>,
    /// Snow on its peaks, down this share of the way from the highest peak
    /// to the horizon (the doodle draws where it ends, as people draw a
    /// snow cap: what a painting shows, its doodle tells).
    pub snow: Option<f32>,
    /// 0 for the farthest range, up to 1 for the nearest.
    pub nearness: f32,
}

#[derive(Clone, Debug)]
pub enum Water {
    /// From the horizon down to a wavy shoreline.
    Sea { shore: Vec<P> },
    Lake { cx: f32, cy: f32, rx: f32, ry: f32 },
    /// A band along a centre line from the horizon to the bottom edge.
    River { centre: Vec<P>, width: f32 },
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum TreeKind {
    Pine,
    Broadleaf,
}

#[derive(Clone, Debug)]
pub struct Tree {
    pub kind: TreeKind,
    pub x: f32,
    /// Where the trunk meets the ground.
    pub y: f32,
    pub height: f32,
}

#[derive(Clone, Debug)]
pub struct House {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
    pub roof: f32,
}

#[derive(Clone, Debug)]
pub struct Blob {
    pub x: f32,
    pub y: f32,
    pub r: f32,
}

#[derive(Clone, Debug, Default)]
pub struct Scene {
    pub horizon: f32,
    /// The sun (the moon at night).
    pub orb: Option<Orb>,
    pub stars: Vec<P>,
    pub clouds: Vec<Cloud>,
    /// Farthest first.
    pub ranges: Vec<MountainRange>,
    pub hills: Option<Vec<P>>,
    pub water: Option<Water>,
    /// Road edges: left and right polylines from the bottom to the horizon.
    pub road: Option<(Vec<P>, Vec<P>)>,
    /// Field bands: top and bottom y and stripe count.
    pub fields: Vec<(f32, f32, u32)>,
    pub rocks: Vec<Blob>,
    pub bushes: Vec<Blob>,
    /// Back to front.
    pub trees: Vec<Tree>,
    pub houses: Vec<House>,
    pub flowers: Vec<P>,
}

/// Half a tree's width over its height: a round crown's radius is a third
/// of it, a pine's lowest tier a little less.
pub const TREE_HALF_WIDTH: f32 = 0.33;

/// The x of point `i` of `n + 1` spread evenly across the page, a little
/// past both edges, for lines that run the whole width.
fn across(i: usize, n: usize) -> f32 {
    -0.02 + 1.04 * i as f32 / n as f32
}

/// A ridge by midpoint displacement between fixed ends, for mountains.
fn ridge(rng: &mut Rng64, base: f32, peak: f32, roughness: f32) -> Vec<P> {
    let mut heights = vec![base - rng.random_range(0.0..0.4) * (base - peak), base - rng.random_range(0.0..0.4) * (base - peak)];
    let mut spread = (base - peak) * 0.9;
    for _ in 0..5 {
        let mut next = Vec::with_capacity(heights.len() * 2);
        for pair in heights.windows(2) {
            next.push(pair[0]);
            let mid = (pair[0] + pair[1]) / 2.0 + rng.random_range(-1.0..1.0) * spread;
            next.push(mid.clamp(peak, base));
        }
        next.push(*heights.last().expect("ridge has ends"));
        heights = next;
        spread *= roughness;
    }
    // Stretch so the highest point reaches `peak`: a range that barely rises
    // above the horizon reads as neither mountain nor line.
    let top = heights.iter().copied().fold(base, f32::min);
    if base - top > 1e-4 {
        let k = (base - peak) / (base - top);
        heights.iter_mut().for_each(|y| *y = base - (base - *y) * k);
    }
    let n = heights.len() - 1;
    heights
        .into_iter()
        .enumerate()
        .map(|(i, y)| (across(i, n), y))
        .collect()
}

/// A smooth rolling line (sum of sines), for hills and shores.
fn rolling(rng: &mut Rng64, y: f32, amplitude: f32, points: usize) -> Vec<P> {
    let waves: Vec<(f32, f32, f32)> = (0..3)
        .map(|k| {
            (
                rng.random_range(1.0..3.0) * (k + 1) as f32,
                rng.random_range(0.0..std::f32::consts::TAU),
                amplitude / (k + 1) as f32,
            )
        })
        .collect();
    (0..=points)
        .map(|i| {
            let x = across(i, points);
            let dy: f32 = waves.iter().map(|(f, ph, a)| a * (f * x * std::f32::consts::TAU / 2.0 + ph).sin()).sum();
            (x, y + dy)
        })
        .collect()
}

/// Points around an ellipse, the first repeated at the end.
pub(crate) fn ellipse(cx: f32, cy: f32, rx: f32, ry: f32, n: usize) -> Vec<P> {
    (0..=n)
        .map(|i| {
            let a = i as f32 / n as f32 * std::f32::consts::TAU;
            (cx + rx * a.cos(), cy + ry * a.sin())
        })
        .collect()
}

/// A river's left and right banks: it widens towards the viewer.
pub(crate) fn river_banks(centre: &[P], width: f32, horizon: f32) -> (Vec<P>, Vec<P>) {
    let half = |y: f32| width * (0.3 + 0.9 * (y - horizon) / (1.0 - horizon)) / 2.0;
    (
        centre.iter().map(|&(x, y)| (x - half(y), y)).collect(),
        centre.iter().map(|&(x, y)| (x + half(y), y)).collect(),
    )
}

/// The y of a polyline at x (it runs left to right).
pub fn y_at(line: &[P], x: f32) -> f32 {
    for pair in line.windows(2) {
        let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
        if x >= x0 && x <= x1 {
            let t = if x1 > x0 { (x - x0) / (x1 - x0) } else { 0.0 };
            return y0 + (y1 - y0) * t;
        }
    }
    line.last().map_or(0.0, |p| p.1)
}

impl Scene {
    /// Samples a scene. The same seed always gives the same scene: elements
    /// are sampled in a fixed order, from the sky down to things on the ground.
    pub fn sample(seed: u64) -> Self {
        let mut rng = rng(seed, 0);
        let rng = &mut rng;
        let horizon = rng.random_range(0.4..0.72);
        let mut scene = Scene { horizon, ..Scene::default() };
        if rng.random_bool(0.25) {
            let count = rng.random_range(4..12);
            scene.stars = (0..count)
                .map(|_| (rng.random_range(0.04..0.96), rng.random_range(0.03..horizon * 0.55)))
                .collect();
        }
        for _ in 0..rng.random_range(0..4) {
            scene.clouds.push(Cloud::sample(rng, horizon));
        }
        scene.ranges = MountainRange::sample_all(rng, &mut self::rng(seed, 300), horizon);
        if rng.random_bool(0.8) {
            scene.orb = Some(scene.sample_orb(rng));
        }
        if rng.random_bool(0.45) {
            let top = horizon - rng.random_range(0.03..0.07);
            scene.hills = Some(rolling(rng, top, 0.025, 40));
        }
        scene.water = Water::sample(rng, horizon);
        // A road runs from the front to the horizon, so only where no water
        // lies across its way.
        if scene.water.is_none() && rng.random_bool(0.5) {
            scene.road = Some(road(rng, horizon, 0.06..0.14));
        }
        if rng.random_bool(0.35) {
            let top = horizon + rng.random_range(0.03..0.12);
            let bottom = (top + rng.random_range(0.08..0.2)).min(0.98);
            scene.fields.push((top, bottom, rng.random_range(3..7)));
        }
        scene.place_trees_and_houses(rng);
        scene.place_bushes_rocks_and_flowers(rng);
        scene
    }

    /// A sparse scene, the way people often sketch one: a horizon, perhaps a
    /// sun and a peak or two, and one to four large things (trees, houses,
    /// a lake, a sea to the bottom edge with an island on it). Whole scenes
    /// are busy and their things small, and a model trained on them alone
    /// painted large drawn outlines as ghosts of their lines. Its own random
    /// stream: [`Scene::sample`] of the same seed is unchanged.
    pub fn sample_sparse(seed: u64) -> Self {
        let mut rng = rng(seed, 3);
        let rng = &mut rng;
        let horizon = rng.random_range(0.38..0.75);
        let mut scene = Scene { horizon, ..Scene::default() };
        for _ in 0..[0, 0, 1, 2][rng.random_range(0..4)] {
            scene.clouds.push(Cloud::sample(rng, horizon));
        }
        if rng.random_bool(0.4) {
            scene.ranges.push(MountainRange::peaks(rng, &mut self::rng(seed, 301), horizon));
        }
        if rng.random_bool(0.75) {
            scene.orb = Some(scene.sample_orb(rng));
        }
        match rng.random_range(0..10) {
            0..=1 => {
                // A sea to the bottom edge, often with an island on its horizon.
                scene.water = Some(Water::Sea { shore: vec![(-0.02, 1.1), (1.02, 1.1)] });
                if rng.random_bool(0.6) {
                    scene.hills = Some(island(rng, horizon));
                }
            }
            2..=3 => {
                let ry = rng.random_range(0.05..0.14f32).min((1.0 - horizon) * 0.3);
                let cy = rng.random_range(horizon + ry + 0.03..(0.97 - ry).max(horizon + ry + 0.04));
                scene.water = Some(Water::Lake { cx: rng.random_range(0.3..0.7), cy, rx: rng.random_range(0.2..0.42), ry });
            }
            // As wide as people draw them in perspective, up to more than
            // half the page at the bottom edge.
            4 => scene.water = Some(Water::river(rng, horizon, 0.05..0.25)),
            5..=6 => scene.road = Some(road(rng, horizon, 0.06..0.32)),
            _ => {
                if rng.random_bool(0.4) {
                    let top = horizon - rng.random_range(0.03..0.08);
                    scene.hills = Some(rolling(rng, top, 0.03, 40));
                }
            }
        }
        scene.place_large_things(rng);
        scene
    }

    /// One to four trees and houses, large and side by side, so none hides
    /// another; and a few large bushes or rocks.
    fn place_large_things(&mut self, rng: &mut Rng64) {
        let wanted = rng.random_range(0..5);
        let mut taken: Vec<(f32, f32)> = Vec::new();
        let mut placed = 0;
        for _ in 0..wanted * 4 {
            if placed == wanted {
                break;
            }
            let y = self.horizon + rng.random_range(0.03..(1.0 - self.horizon) * 0.95);
            let house = rng.random_range(0..3) == 0;
            // A house's width, or a tree's height.
            let size = if house { rng.random_range(0.16..0.38) } else { rng.random_range(0.22..0.6) };
            let (x, left, right) = if house {
                let x = rng.random_range(0.02..0.98 - size);
                (x, x - size * 0.1, x + size * 1.1)
            } else {
                let x = rng.random_range(0.08..0.92);
                (x, x - size * TREE_HALF_WIDTH, x + size * TREE_HALF_WIDTH)
            };
            let free = taken.iter().all(|&(a, b)| right < a || left > b);
            let on_ground = (0..=4).all(|i| self.is_ground((left + (right - left) * i as f32 / 4.0).clamp(0.0, 1.0), y));
            if !free || !on_ground {
                continue;
            }
            // The top stays on the page, and below the sun where under it.
            let sun_bottom = self.orb.as_ref().filter(|o| o.x + o.r > left && o.x - o.r < right).map_or(0.0, |o| o.y + o.r);
            let room = y - sun_bottom - 0.04;
            if room < 0.12 {
                continue;
            }
            if house {
                let (height, roof) = (size * rng.random_range(0.55..0.85), size * rng.random_range(0.35..0.6));
                let k = (room / (height + roof)).min(1.0);
                self.houses.push(House { x, y, width: size * k, height: height * k, roof: roof * k });
            } else {
                let kind = if rng.random_bool(0.5) { TreeKind::Pine } else { TreeKind::Broadleaf };
                self.trees.push(Tree { kind, x, y, height: size.min(room) });
            }
            taken.push((left, right));
            placed += 1;
        }
        self.trees.sort_by(|a, b| a.y.total_cmp(&b.y));
        self.houses.sort_by(|a, b| a.y.total_cmp(&b.y));
        for _ in 0..[0, 0, 1, 2][rng.random_range(0..4)] {
            let (x, y) = (rng.random_range(0.05..0.95), self.horizon + rng.random_range(0.05..(1.0 - self.horizon) * 0.95));
            let clear = taken.iter().all(|&(a, b)| x + 0.1 < a || x - 0.1 > b);
            if clear && self.is_ground(x, y) {
                let blob = Blob { x, y, r: rng.random_range(0.04..0.08) };
                if rng.random_bool(0.5) { self.bushes.push(blob) } else { self.rocks.push(blob) }
            }
        }
    }

    /// The sun (or moon) goes above the mountains, never behind them, so the
    /// circle in the doodle is the disc in the painting.
    fn sample_orb(&self, rng: &mut Rng64) -> Orb {
        let r = rng.random_range(0.04..0.09);
        let tops = self.ranges.iter().flat_map(|range| range.ridge.iter().map(|p| p.1));
        let clear_above = tops.fold(self.horizon, f32::min) - r - 0.03;
        let lowest = clear_above.min(self.horizon - r - 0.12).max(r + 0.05);
        Orb { x: rng.random_range(0.12..0.88), y: rng.random_range(r + 0.04..lowest), r }
    }

    /// Whether something can stand at (x, y): below the horizon, on no water
    /// and beside the road.
    fn is_ground(&self, x: f32, y: f32) -> bool {
        let on_water = match &self.water {
            Some(Water::Sea { shore }) => y < y_at(shore, x) + 0.01,
            Some(Water::Lake { cx, cy, rx, ry }) => ((x - cx) / rx).powi(2) + ((y - cy) / ry).powi(2) < 1.4,
            Some(Water::River { centre, width }) => {
                centre.iter().any(|(cx, cy)| (cx - x).abs() < width * 0.9 && (cy - y).abs() < 0.06)
            }
            None => false,
        };
        let on_road = self.road.as_ref().is_some_and(|(l, r)| {
            let t = |line: &[P]| line.iter().min_by(|a, b| (a.1 - y).abs().total_cmp(&(b.1 - y).abs())).map_or(0.0, |p| p.0);
            x > t(l) - 0.03 && x < t(r) + 0.03
        });
        y > self.horizon + 0.015 && !on_water && !on_road
    }

    /// A random height below the horizon.
    fn ground_y(&self, rng: &mut Rng64) -> f32 {
        self.horizon + rng.random_range(0.02..1.0 - self.horizon - 0.02)
    }

    /// Perspective: things nearer the bottom are larger.
    fn scale_at(&self, y: f32) -> f32 {
        0.35 + 1.3 * (y - self.horizon) / (1.0 - self.horizon)
    }

    fn place_trees_and_houses(&mut self, rng: &mut Rng64) {
        for _ in 0..rng.random_range(0..14) {
            let (x, y) = (rng.random_range(0.02..0.98), self.ground_y(rng));
            if self.is_ground(x, y) {
                let kind = if rng.random_bool(0.55) { TreeKind::Pine } else { TreeKind::Broadleaf };
                let height = rng.random_range(0.1..0.2) * self.scale_at(y);
                self.trees.push(Tree { kind, x, y, height });
            }
        }
        self.trees.sort_by(|a, b| a.y.total_cmp(&b.y));
        for _ in 0..rng.random_range(0..3) {
            let (x, y) = (rng.random_range(0.08..0.85), self.ground_y(rng));
            let width = rng.random_range(0.08..0.14) * self.scale_at(y);
            if self.is_ground(x, y) && self.is_ground(x + width, y) {
                let (height, roof) = (width * rng.random_range(0.6..0.9), width * rng.random_range(0.35..0.6));
                self.houses.push(House { x, y, width, height, roof });
            }
        }
        self.houses.sort_by(|a, b| a.y.total_cmp(&b.y));
    }

    fn place_bushes_rocks_and_flowers(&mut self, rng: &mut Rng64) {
        for _ in 0..rng.random_range(0..5) {
            let (x, y) = (rng.random_range(0.03..0.97), self.ground_y(rng));
            if self.is_ground(x, y) {
                self.bushes.push(Blob { x, y, r: rng.random_range(0.025..0.05) * self.scale_at(y) });
            }
        }
        for _ in 0..rng.random_range(0..4) {
            let (x, y) = (rng.random_range(0.03..0.97), self.ground_y(rng));
            let on_beach = matches!(self.water, Some(Water::Sea { .. })) && y > self.horizon + 0.05;
            if self.is_ground(x, y) || on_beach {
                self.rocks.push(Blob { x, y, r: rng.random_range(0.02..0.045) * self.scale_at(y) });
            }
        }
        if rng.random_bool(0.3) {
            let (cx, cy) = (rng.random_range(0.1..0.9), self.ground_y(rng).max(self.horizon + 0.15));
            for _ in 0..rng.random_range(6..16) {
                let (x, y) = (cx + rng.random_range(-0.15..0.15), cy + rng.random_range(-0.05..0.08));
                if y < 0.98 && self.is_ground(x, y) {
                    self.flowers.push((x, y));
                }
            }
        }
    }
}

impl Cloud {
    /// A row of puffs, largest in the middle.
    fn sample(rng: &mut Rng64, horizon: f32) -> Self {
        let width = rng.random_range(0.12..0.3);
        let x = rng.random_range(0.0..1.0 - width);
        let base = rng.random_range(0.12..(horizon - 0.12).max(0.14));
        let count = rng.random_range(3..6);
        let puffs = (0..count)
            .map(|i| {
                let t = (i as f32 + 0.5) / count as f32;
                let r = width / count as f32 * rng.random_range(0.8..1.3) * (1.0 - (t - 0.5).abs());
                (x + t * width, base - r * rng.random_range(0.3..0.7), r)
            })
            .collect();
        Cloud { puffs, base }
    }
}

impl MountainRange {
    /// None to three ranges, far to near; nearer ones rise less high.
    /// `snow`: a stream of its own for how far the snow reaches, so the
    /// scene's other draws are what they were before snow had a line.
    fn sample_all(rng: &mut Rng64, snow: &mut Rng64, horizon: f32) -> Vec<Self> {
        let range_count = [0, 1, 1, 2, 2, 3][rng.random_range(0..6)];
        (0..range_count)
            .map(|i| {
                let nearness = if range_count == 1 { 0.6 } else { i as f32 / (range_count - 1) as f32 };
                let peak = horizon - rng.random_range(0.12..0.32) * (1.0 - 0.4 * nearness);
                let roughness = rng.random_range(0.45..0.6);
                MountainRange { ridge: ridge(rng, horizon, peak.max(0.08), roughness), snow: rng.random_bool(0.45).then(|| snow.random_range(SNOW_REACH)), nearness }
            })
            .collect()
    }

    /// One or two peaks standing alone on the horizon, as people draw a
    /// volcano or twin peaks: two slopes each, flat between.
    fn peaks(rng: &mut Rng64, snow: &mut Rng64, horizon: f32) -> Self {
        let peaks: Vec<(f32, f32, f32)> = (0..rng.random_range(1..3))
            .map(|_| (rng.random_range(0.15..0.85), rng.random_range(0.12..0.35f32).min(horizon - 0.1), rng.random_range(0.12..0.35)))
            .collect();
        let ridge = (0..=60)
            .map(|i| {
                let x = across(i, 60);
                let rise = peaks.iter().map(|&(px, height, half)| height * (1.0f32 - (x - px).abs() / half).max(0.0)).fold(0.0, f32::max);
                (x, horizon - rise)
            })
            .collect();
        MountainRange { ridge, snow: rng.random_bool(0.35).then(|| snow.random_range(SNOW_REACH)), nearness: rng.random_range(0.6..1.0) }
    }

    /// The height where its snow ends, if it has any (`horizon`: the
    /// scene's).
    pub fn snow_line(&self, horizon: f32) -> Option<f32> {
        let peak = self.ridge.iter().map(|q| q.1).fold(1.0, f32::min);
        self.snow.map(|reach| peak + (horizon - peak) * reach)
    }

    /// The lower edge of its snow: one line across each stretch of the
    /// ridge above the snow line, from where the ridge crosses it on one
    /// side to where it crosses it on the other.
    pub fn snow_edges(&self, horizon: f32) -> Vec<[P; 2]> {
        let Some(line) = self.snow_line(horizon) else { return Vec::new() };
        let crossing = |(x0, y0): P, (x1, y1): P| (x0 + (x1 - x0) * (line - y0) / (y1 - y0), line);
        let mut edges = Vec::new();
        let mut start = None;
        for pair in self.ridge.windows(2) {
            let (a, b) = (pair[0], pair[1]);
            match (a.1 < line, b.1 < line) {
                (false, true) => start = Some(crossing(a, b)),
                (true, false) => {
                    // A ridge that starts above the line starts its edge at the page's side.
                    let from = start.take().unwrap_or((self.ridge[0].0, line));
                    edges.push([from, crossing(a, b)]);
                }
                _ => {}
            }
        }
        if let Some(from) = start {
            edges.push([from, (self.ridge[self.ridge.len() - 1].0, line)]);
        }
        edges
    }
}

/// How far down snow reaches: a share of the way from a range's highest
/// peak to the horizon.
const SNOW_REACH: std::ops::Range<f32> = 0.25..0.45;

/// An island on the horizon: flat, then one rounded hump.
fn island(rng: &mut Rng64, horizon: f32) -> Vec<P> {
    let (cx, half, height) = (rng.random_range(0.2..0.8), rng.random_range(0.08..0.25), rng.random_range(0.03..0.1));
    (0..=60)
        .map(|i| {
            let x = across(i, 60);
            let t = ((x - cx) / half).clamp(-1.0, 1.0);
            (x, horizon - height * (1.0 - t * t).sqrt())
        })
        .collect()
}

impl Water {
    /// A sea, a lake, a river, or (two times in five) no water.
    fn sample(rng: &mut Rng64, horizon: f32) -> Option<Self> {
        match rng.random_range(0..5) {
            0 => {
                let shore = horizon + rng.random_range(0.08..0.25);
                Some(Water::Sea { shore: rolling(rng, shore, 0.02, 40) })
            }
            1 => Some(Water::Lake {
                cx: rng.random_range(0.25..0.75),
                cy: horizon + rng.random_range(0.08..0.18),
                rx: rng.random_range(0.15..0.35),
                ry: rng.random_range(0.03..0.07),
            }),
            2 => Some(Water::river(rng, horizon, 0.05..0.12)),
            _ => None,
        }
    }

    /// A river winding from the horizon to the bottom edge, `width` wide
    /// (at 1.2 times that at the bottom edge).
    fn river(rng: &mut Rng64, horizon: f32, width: std::ops::Range<f32>) -> Self {
        let start = rng.random_range(0.3..0.7);
        let end = rng.random_range(0.1..0.9);
        let phase = rng.random_range(0.0..std::f32::consts::TAU);
        let centre = (0..=20)
            .map(|i| {
                let t = i as f32 / 20.0;
                let x = start + (end - start) * t + 0.08 * (t * 6.0 + phase).sin() * t;
                (x, horizon + (1.02 - horizon) * t)
            })
            .collect();
        Water::River { centre, width: rng.random_range(width) }
    }
}

/// A road's left and right edges, from the bottom edge to the horizon,
/// `half` its half width at the bottom edge.
fn road(rng: &mut Rng64, horizon: f32, half: std::ops::Range<f32>) -> (Vec<P>, Vec<P>) {
    let bottom = rng.random_range(0.2..0.8);
    let vanish = rng.random_range(0.3..0.7);
    let half = rng.random_range(half);
    let edge = |offset: f32| -> Vec<P> {
        (0..=10)
            .map(|i| {
                let t = i as f32 / 10.0;
                let y = 1.02 - (1.02 - horizon - 0.01) * t;
                let x = bottom + (vanish - bottom) * t + 0.05 * (t * 3.0).sin() + offset * (1.0 - t).powf(1.3);
                (x, y)
            })
            .collect()
    };
    (edge(-half), edge(half))
}
