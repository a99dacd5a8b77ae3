//! The doodle of a scene: what a person with a mouse would draw of it, in black
//! ink on white, with the imperfections of a hand: wobble, uneven widths, gaps,
//! overshoots, doubled strokes and things left out. Every line is a stroke of
//! the page's own (`ink`), so the network never sees a line the page cannot make. A [`Doodler`] says how
//! much of each; the trainer samples many (augmentation) so the generator
//! copes with doodles unlike the painter's own.

use std::ops::Range;

use rand::Rng;
use tiny_skia::{FilterQuality, Pixmap, PixmapPaint, Transform};

use super::{Blob, Cloud, House, Orb, P, Rng64, Scene, Tree, TreeKind, Water, ellipse, river_banks, rng, y_at};
use art::RgbImage;

/// The person drawing the doodle. The default is the painter's own hand.
///
/// Every line stays where its element is painted: a training pair teaches
/// the network to paint what each line bounds, so a doodle shifted, turned
/// or scaled away from its painting, a stray scribble with nothing painted
/// under it, or a painted element with no line would teach it to hedge,
/// painting ghosts of the lines instead of the things.
#[derive(Clone, Debug, PartialEq)]
pub struct Doodler {
    /// Stroke widths in pixels of a 256 x 256 doodle.
    pub width: Range<f32>,
    /// Scales how far lines wander from where they belong.
    pub wobble: f32,
    /// Chance that an element is left out of the doodle (still painted).
    pub leave_out: f64,
    /// Chance that a line is gone over twice.
    pub double: f64,
    /// Drawn at this size, then resized to the size asked for.
    pub drawn_at: Option<u32>,
    /// How much outlines are simplified (Ramer-Douglas-Peucker tolerance in
    /// unit coordinates; 0 keeps them): a round crown drawn as a few straight
    /// strokes, a ridge as three lines, the way people draw with a mouse.
    pub simplify: f32,
    /// Closes a bush's outline with a line along its foot, a dome rather
    /// than an arch, as many people draw one (as a rock's always is).
    pub closes_bushes: bool,
}

impl Default for Doodler {
    /// The painter's own hand, which draws the held-out doodles. It leaves
    /// nothing out: no network can paint a house that was never drawn. It
    /// left one element in twelve out until December 2026, and those held-out
    /// targets held things no doodle told (0.39 dB of the held-out PSNR).
    fn default() -> Self {
        Self { width: 2.0..5.0, wobble: 1.0, leave_out: 0.0, double: 0.12, drawn_at: None, simplify: 0.0, closes_bushes: false }
    }
}

impl Doodler {
    /// The same hand drawing the scene `zoom` times larger (a close-up, cut
    /// from it afterwards): its lines as wide, as shaky and as simplified in
    /// pixels as before, where they would otherwise grow with the drawing.
    pub fn zoomed(&self, zoom: f32) -> Self {
        Self {
            width: self.width.start / zoom..self.width.end / zoom,
            wobble: self.wobble / zoom,
            simplify: self.simplify / zoom,
            drawn_at: self.drawn_at.map(|size| (size as f32 * zoom).round() as u32),
            ..self.clone()
        }
    }
}

impl Doodler {
    /// A random person, deterministic for `seed`: thin to thick lines, steady
    /// to shaky (lines at most about 2 px from their element), simplified
    /// outlines, lines gone over twice, sometimes a drawing made at another
    /// size and resized, and bushes' outlines closed one time in two. Leaves
    /// nothing out (see [`Doodler`]).
    pub fn sample(seed: u64) -> Self {
        let mut rng = rng(seed, 200);
        let thinnest = rng.random_range(1.0..4.0);
        let width = thinnest..thinnest + rng.random_range(0.5..6.0);
        Self {
            width,
            wobble: rng.random_range(0.3..1.5),
            leave_out: 0.0,
            double: rng.random_range(0.0..0.4),
            drawn_at: rng.random_bool(0.4).then(|| rng.random_range(96..=512)),
            simplify: if rng.random_bool(0.4) { rng.random_range(0.004..0.025) } else { 0.0 },
            // Drawn last, so the hands sampled before it stay the same.
            closes_bushes: rng.random_bool(0.5),
        }
    }
}

struct Hand<'a> {
    pixmap: Pixmap,
    size: f32,
    rng: &'a mut Rng64,
    doodler: &'a Doodler,
}

/// `points` simplified (Ramer-Douglas-Peucker) to within `tolerance`, but
/// at most a tenth of the outline's size, so that a small pine stays a
/// triangle and a crown a polygon, never a slash. Keeps the points' order
/// and closed outlines closed.
fn simplify_outline(points: &[P], tolerance: f32) -> Vec<P> {
    let (xs, ys) = (points.iter().map(|p| p.0), points.iter().map(|p| p.1));
    let extent = (xs.clone().fold(f32::MIN, f32::max) - xs.fold(f32::MAX, f32::min)).max(ys.clone().fold(f32::MIN, f32::max) - ys.fold(f32::MAX, f32::min));
    let as_points: Vec<simplify_polyline::Point<2, f32>> = points.iter().map(|&(x, y)| simplify_polyline::Point { vec: [x, y] }).collect();
    simplify_polyline::simplify(&as_points, tolerance.min(extent * 0.1), true).into_iter().map(|p| (p.vec[0], p.vec[1])).collect()
}

/// The stretches of `line` (running left to right) that no line of
/// `covers` rises above: what shows of a far ridge behind nearer ones.
fn visible_runs(line: &[P], covers: &[&[P]]) -> Vec<Vec<P>> {
    let mut runs = vec![Vec::new()];
    for p in resample(line, 0.004) {
        let shows = covers.iter().all(|cover| y_at(cover, p.0) >= p.1);
        match (shows, runs.last_mut()) {
            (true, Some(run)) => run.push(p),
            (false, Some(run)) if !run.is_empty() => runs.push(Vec::new()),
            _ => {}
        }
    }
    runs.retain(|run| run.len() >= 2);
    runs
}

/// Resamples a polyline to roughly even steps, so wobble is even too.
fn resample(points: &[P], step: f32) -> Vec<P> {
    let mut out = vec![points[0]];
    for pair in points.windows(2) {
        let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
        let n = (((x1 - x0).hypot(y1 - y0)) / step).ceil().max(1.0) as usize;
        out.extend((1..=n).map(|i| {
            let t = i as f32 / n as f32;
            (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)
        }));
    }
    out
}

impl Hand<'_> {
    /// Draws a polyline the way a hand would.
    fn draw(&mut self, points: &[P]) {
        if points.len() < 2 {
            return;
        }
        let simplified: Vec<P>;
        let points = if self.doodler.simplify > 0.0 {
            simplified = simplify_outline(points, self.doodler.simplify);
            &simplified[..]
        } else {
            points
        };
        let mut pts = resample(points, 0.01);
        let rng = &mut *self.rng;
        // Overshoot or stop short at the ends.
        for end in [0, 1] {
            if rng.random_bool(0.3) {
                let n = pts.len();
                let (a, b) = if end == 0 { (pts[1], pts[0]) } else { (pts[n - 2], pts[n - 1]) };
                let k = rng.random_range(0.5..2.5);
                let extra = (b.0 + (b.0 - a.0) * k, b.1 + (b.1 - a.1) * k);
                if end == 0 { pts.insert(0, extra) } else { pts.push(extra) }
            }
        }
        // Wobble: slow drift plus a little jitter.
        let (fx, fy, phase) = (rng.random_range(3.0..9.0), rng.random_range(3.0..9.0), rng.random_range(0.0..6.3));
        let amp = rng.random_range(0.002..0.006) * self.doodler.wobble;
        let n = pts.len() as f32;
        let wobbly: Vec<P> = pts
            .iter()
            .enumerate()
            .map(|(i, &(x, y))| {
                let t = i as f32 / n;
                (
                    x + amp * (t * fx + phase).sin() + rng.random_range(-0.0008..0.0008),
                    y + amp * (t * fy + phase * 1.7).cos() + rng.random_range(-0.0008..0.0008),
                )
            })
            .collect();
        let width = rng.random_range(self.doodler.width.clone()) * self.size / 256.0;
        // Gaps: the pen lifts once in a while.
        let mut start = 0;
        while start < wobbly.len() - 1 {
            let mut end = wobbly.len();
            if self.rng.random_bool(0.15) && wobbly.len() > 12 {
                end = (start + self.rng.random_range(6..wobbly.len())).min(wobbly.len());
            }
            self.ink(&wobbly[start..end], width);
            start = end + if end < wobbly.len() { self.rng.random_range(1..3) } else { 0 };
        }
        // Sometimes a second pass over the same line.
        if self.rng.random_bool(self.doodler.double) {
            let (dx, dy) = (self.rng.random_range(-0.006..0.006), self.rng.random_range(-0.006..0.006));
            let again: Vec<P> = wobbly.iter().map(|&(x, y)| (x + dx, y + dy)).collect();
            self.ink(&again, width * 0.8);
        }
    }

    /// Inks a polyline (unit coordinates) `width` pixels wide as the page
    /// would: a mouse drag at the page's precision, smoothed by
    /// perfect_freehand and filled by the page's own rasteriser.
    fn ink(&mut self, points: &[P], width: f32) {
        if points.len() < 2 {
            return;
        }
        let units = ink::DOODLE_SIZE;
        let at = |&(x, y): &P| (x * units, y * units);
        let stroke = ink::Stroke::through(width * units / self.size, ink::Tool::Brush, 0.5, points.iter().map(at));
        ink::paint_strokes(&mut self.pixmap, [&stroke]);
    }

    /// People leave things out now and then.
    fn skip(&mut self) -> bool {
        self.rng.random_bool(self.doodler.leave_out)
    }
}

/// Draws the doodle of `scene` at `size` x `size` in the painter's own hand.
/// Deterministic for (scene, seed).
pub fn render_doodle(scene: &Scene, seed: u64, size: u32) -> RgbImage {
    render_doodle_by(&Doodler::default(), scene, seed, size)
}

/// Draws the doodle of `scene` at `size` x `size` as `doodler` would.
/// Elements are drawn back to front, in a fixed order: it fixes the order of
/// the random numbers, so a seed always gives the same doodle.
pub fn render_doodle_by(doodler: &Doodler, scene: &Scene, seed: u64, size: u32) -> RgbImage {
    let mut rng = rng(seed, 100);
    let drawn_at = doodler.drawn_at.unwrap_or(size);
    let mut pixmap = Pixmap::new(drawn_at, drawn_at).expect("size > 0");
    pixmap.fill(tiny_skia::Color::WHITE);
    let mut hand = Hand { pixmap, size: drawn_at as f32, rng: &mut rng, doodler };
    if let Some(orb) = &scene.orb {
        hand.orb(orb);
    }
    hand.stars(&scene.stars);
    hand.clouds(&scene.clouds);
    hand.ridges(scene);
    hand.water(scene, seed);
    if let Some((left, right)) = &scene.road {
        hand.draw(left);
        hand.draw(right);
    }
    hand.fields(&scene.fields);
    hand.rocks(&scene.rocks);
    hand.bushes(&scene.bushes);
    hand.houses(&scene.houses);
    hand.trees(&scene.trees);
    hand.flowers(&scene.flowers);
    to_image(resized(hand.pixmap, size))
}

/// The drawing at `size` x `size` (a doodler may draw at another size).
fn resized(pixmap: Pixmap, size: u32) -> Pixmap {
    if pixmap.width() == size {
        return pixmap;
    }
    let mut resized = Pixmap::new(size, size).expect("size > 0");
    resized.fill(tiny_skia::Color::WHITE);
    let scale = size as f32 / pixmap.width() as f32;
    let paint = PixmapPaint { quality: FilterQuality::Bilinear, ..PixmapPaint::default() };
    resized.draw_pixmap(0, 0, pixmap.as_ref(), &paint, Transform::from_scale(scale, scale), None);
    resized
}

fn to_image(pixmap: Pixmap) -> RgbImage {
    let width = pixmap.width() as usize;
    let pixels = pixmap
        .pixels()
        .iter()
        .flat_map(|p| {
            let c = p.demultiply();
            [c.red(), c.green(), c.blue()]
        })
        .collect();
    RgbImage { width, height: width, pixels }
}

/// Each element of a scene as a hand draws it.
impl Hand<'_> {
    /// A hand-drawn circle: a little oval, a little off in size, its ends
    /// overlapping or not quite meeting; now and then with rays.
    fn orb(&mut self, orb: &Orb) {
        let start = self.rng.random_range(0.0..6.3);
        let turn = self.rng.random_range(0.93..1.08);
        let (rx, ry) = (orb.r * self.rng.random_range(0.95..1.12), orb.r * self.rng.random_range(0.95..1.12));
        let circle: Vec<P> = (0..=28)
            .map(|i| {
                let a = start + turn * i as f32 / 28.0 * std::f32::consts::TAU;
                (orb.x + rx * a.cos(), orb.y + ry * a.sin())
            })
            .collect();
        self.draw(&circle);
        if self.rng.random_bool(0.25) {
            let rays = self.rng.random_range(6..11);
            for k in 0..rays {
                let a = start + k as f32 / rays as f32 * std::f32::consts::TAU;
                let (inner, outer) = (orb.r * 1.35, orb.r * self.rng.random_range(1.7..2.1));
                self.draw(&[(orb.x + inner * a.cos(), orb.y + inner * a.sin()), (orb.x + outer * a.cos(), orb.y + outer * a.sin())]);
            }
        }
    }

    fn stars(&mut self, stars: &[P]) {
        for &(x, y) in stars {
            let r = 0.012;
            self.draw(&[(x - r, y), (x + r, y)]);
            self.draw(&[(x, y - r), (x, y + r)]);
        }
    }

    /// The bumpy top of the puffs, closed by the flat base.
    fn clouds(&mut self, clouds: &[Cloud]) {
        for cloud in clouds {
            if self.skip() {
                continue;
            }
            let mut outline = Vec::new();
            for &(x, y, r) in &cloud.puffs {
                outline.extend((0..=8).map(|i| {
                    let a = std::f32::consts::PI * (1.0 + i as f32 / 8.0);
                    (x + r * 0.9 * a.cos(), (y + r * 0.72 * a.sin()).min(cloud.base))
                }));
            }
            if let (Some(&first), Some(&last)) = (outline.first(), outline.last()) {
                outline.push((last.0, cloud.base));
                outline.push((first.0, cloud.base));
                outline.push(first);
            }
            self.draw(&outline);
        }
    }

    /// Mountain ridges, hills, and the horizon unless they already sit on all of it.
    fn ridges(&mut self, scene: &Scene) {
        for (i, range) in scene.ranges.iter().enumerate() {
            if !self.skip() {
                // Only what shows: nearer ranges and the hills are painted
                // over a far range, and a line with no edge painted under
                // it would teach the network to paint ghosts.
                let covers: Vec<&[P]> = scene.ranges[i + 1..].iter().map(|r| &r.ridge[..]).chain(scene.hills.as_deref()).collect();
                for run in visible_runs(&range.ridge, &covers) {
                    self.draw(&run);
                }
                // Where the snow ends, a line across each peak (shorter
                // than a few pixels, a hand would not draw it).
                for edge in range.snow_edges(scene.horizon) {
                    for run in visible_runs(&edge, &covers) {
                        if run[run.len() - 1].0 - run[0].0 > 0.015 {
                            self.draw(&run);
                        }
                    }
                }
            }
        }
        if let Some(hills) = &scene.hills {
            if !self.skip() {
                self.draw(hills);
            }
        }
        if scene.ranges.is_empty() && scene.hills.is_none() || self.rng.random_bool(0.5) {
            self.draw(&[(-0.01, scene.horizon), (1.01, scene.horizon)]);
        }
    }

    /// `seed`: the doodle's, for where the waves go (a stream of its own, so
    /// any hand puts them in the same places).
    fn water(&mut self, scene: &Scene, seed: u64) {
        match &scene.water {
            Some(Water::Sea { shore }) => {
                self.draw(shore);
                self.waves(scene.horizon, shore, &mut rng(seed, 101));
            }
            Some(Water::Lake { cx, cy, rx, ry }) => self.draw(&ellipse(*cx, *cy, *rx, *ry, 30)),
            Some(Water::River { centre, width }) => {
                let (left, right) = river_banks(centre, *width, scene.horizon);
                self.draw(&left);
                self.draw(&right);
            }
            None => {}
        }
    }

    /// A few short wavy strokes on a sea, the way people mark open water:
    /// without them a sea to the bottom edge is a horizon over blank paper,
    /// drawn as grass is.
    fn waves(&mut self, horizon: f32, shore: &[P], place: &mut Rng64) {
        let (top, bottom) = (horizon + 0.03, shore.iter().map(|p| p.1).fold(1.0, f32::min) - 0.03);
        if bottom - top < 0.03 {
            return;
        }
        for _ in 0..place.random_range(2..6) {
            let (x, y) = (place.random_range(0.06..0.94), place.random_range(top..bottom));
            // Nearer the horizon, smaller, as the sea's own waves are.
            let near = 0.5 + (y - horizon) / (1.0 - horizon);
            let half = place.random_range(0.03..0.09) * near;
            let (height, turns, phase) = (place.random_range(0.004..0.01) * near, place.random_range(1.0..2.5), place.random_range(0.0..std::f32::consts::TAU));
            let wave: Vec<P> = (0..=12)
                .map(|i| {
                    let t = i as f32 / 12.0;
                    (x - half + 2.0 * half * t, y + height * (t * turns * std::f32::consts::TAU + phase).sin())
                })
                .collect();
            if !self.skip() {
                self.draw(&wave);
            }
        }
    }

    fn fields(&mut self, fields: &[(f32, f32, u32)]) {
        for &(top, bottom, stripes) in fields {
            for i in 1..stripes {
                let y = top + (bottom - top) * (i as f32 / stripes as f32).powf(0.8);
                if !self.skip() {
                    self.draw(&[(0.02, y), (0.5, y + 0.004), (0.98, y)]);
                }
            }
        }
    }

    fn rocks(&mut self, rocks: &[Blob]) {
        for rock in rocks {
            if !self.skip() {
                let mut outline = ellipse(rock.x, rock.y - rock.r * 0.4, rock.r, rock.r * 0.7, 12);
                outline.retain(|p| p.1 <= rock.y);
                self.draw(&outline);
            }
        }
    }

    fn bushes(&mut self, bushes: &[Blob]) {
        for bush in bushes {
            if !self.skip() {
                let mut outline: Vec<P> = (0..=16)
                    .map(|i| {
                        let a = std::f32::consts::PI * (1.0 + i as f32 / 16.0);
                        let bump = 1.0 + 0.15 * (a * 5.0).sin().abs();
                        (bush.x + 1.3 * bush.r * bump * a.cos(), bush.y + bush.r * bump * a.sin())
                    })
                    .collect();
                if self.doodler.closes_bushes {
                    outline.push(outline[0]);
                }
                self.draw(&outline);
            }
        }
    }

    /// Walls, a roof, and often a door.
    fn houses(&mut self, houses: &[House]) {
        for house in houses {
            if self.skip() {
                continue;
            }
            let (x, y, w, hh) = (house.x, house.y, house.width, house.height);
            self.draw(&[(x, y - hh), (x, y), (x + w, y), (x + w, y - hh)]);
            self.draw(&[(x - w * 0.08, y - hh), (x + w / 2.0, y - hh - house.roof), (x + w * 1.08, y - hh), (x - w * 0.08, y - hh)]);
            if self.rng.random_bool(0.6) {
                self.draw(&[(x + w * 0.4, y), (x + w * 0.4, y - hh * 0.55), (x + w * 0.6, y - hh * 0.55), (x + w * 0.6, y)]);
            }
        }
    }

    fn trees(&mut self, trees: &[Tree]) {
        for tree in trees {
            if self.skip() {
                continue;
            }
            match tree.kind {
                TreeKind::Pine => self.pine(tree),
                TreeKind::Broadleaf => {
                    let (x, y, t) = (tree.x, tree.y, tree.height);
                    let (cy, r) = (y - t * 0.65, t * 0.32);
                    self.draw(&ellipse(x, cy, r, r * 0.95, 20));
                    self.draw(&[(x - t * 0.04, cy + r * 0.9), (x - t * 0.04, y)]);
                    self.draw(&[(x + t * 0.04, cy + r * 0.9), (x + t * 0.04, y)]);
                }
            }
        }
    }

    /// A triangle or a zig-zag, on a trunk.
    fn pine(&mut self, tree: &Tree) {
        let (x, y, t) = (tree.x, tree.y, tree.height);
        if self.rng.random_bool(0.5) {
            self.draw(&[(x - t * 0.28, y - t * 0.2), (x, y - t), (x + t * 0.28, y - t * 0.2), (x - t * 0.28, y - t * 0.2)]);
        } else {
            let mut zig = vec![(x, y - t)];
            for k in 1..=3 {
                let yy = y - t + t * 0.8 * k as f32 / 3.0;
                let half = t * 0.1 * k as f32;
                zig.push((x - half, yy));
                zig.push((x - half * 0.5, yy - 0.02 * t));
            }
            zig.push((x + t * 0.3, y - t * 0.2));
            zig.push((x, y - t));
            self.draw(&zig);
        }
        self.draw(&[(x, y - t * 0.2), (x, y)]);
    }

    fn flowers(&mut self, flowers: &[P]) {
        for &(x, y) in flowers {
            if !self.skip() {
                self.draw(&ellipse(x, y, 0.008, 0.008, 6));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simplified_outlines_keep_their_corners_in_order() {
        // A house's walls (an open U) and its roof (a closed triangle) are
        // already as simple as they get: every corner stays, in order.
        let walls = [(0.4, 0.5), (0.4, 0.6), (0.55, 0.6), (0.55, 0.5)];
        assert_eq!(simplify_outline(&walls, 0.025), walls.to_vec());
        let roof = [(0.39, 0.5), (0.475, 0.42), (0.56, 0.5), (0.39, 0.5)];
        assert_eq!(simplify_outline(&roof, 0.025), roof.to_vec());
        // A nearly straight stroke becomes its two ends.
        let ridge = [(0.0, 0.5), (0.25, 0.502), (0.5, 0.499), (0.75, 0.501), (1.0, 0.5)];
        assert_eq!(simplify_outline(&ridge, 0.01), vec![(0.0, 0.5), (1.0, 0.5)]);
        // A round crown becomes a closed polygon of a few corners, never a slash.
        let crown = ellipse(0.5, 0.5, 0.1, 0.1, 40);
        let polygon = simplify_outline(&crown, 0.025);
        assert!((5..crown.len()).contains(&polygon.len()), "{} corners", polygon.len());
        assert_eq!(polygon.first(), polygon.last(), "still closed");
        let corners = &polygon[..polygon.len() - 1];
        let kept_in_order = corners.iter().map(|p| crown.iter().position(|q| q == p).expect("a corner of the crown")).collect::<Vec<_>>();
        assert!(kept_in_order.windows(2).all(|w| w[0] < w[1]), "{kept_in_order:?}");
    }
}
