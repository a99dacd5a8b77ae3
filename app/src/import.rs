//! Importing a photo or a scan of a pen or pencil sketch as strokes: find the
//! paper and turn it upright, even out uneven light and shadow, keep the
//! lines and drop the paper's grain, fit the drawing to the square, and trace
//! the lines' centres into strokes, which can then be undone, erased, drawn
//! over and shared like drawn ones. Plain Rust (the worker runs it), tested
//! natively on photos our own code makes.

use ink::{DOODLE_SIZE, MAX_BRUSH, Point, Stroke, Tool};

/// The page shrinks a photo to at most this side before sending it: a phone
/// photo is 12 megapixels, and lines stay several pixels wide at this size.
pub const MAX_SIDE: u32 = 1024;
/// The upright paper is worked on at most this side.
const WORK_SIDE: usize = 768;
/// Space left around the drawing in the square, as a share of its side.
const MARGIN: f32 = 0.06;
/// Thinner lines are drawn this wide: the network learnt from lines of 2-5
/// doodle units, and a fine pen line shrunk to 256 px would be a hairline.
const MIN_WIDTH: f32 = 3.0;

/// A grey image, 0 (black) to 1 (white).
#[derive(Clone)]
struct Grey {
    width: usize,
    height: usize,
    values: Vec<f32>,
}

impl Grey {
    fn new(width: usize, height: usize) -> Self {
        Self { width, height, values: vec![0.0; width * height] }
    }

    fn from_rgba(rgba: &[u8], width: usize, height: usize) -> Self {
        let values = rgba.chunks_exact(4).map(|p| (0.299 * f32::from(p[0]) + 0.587 * f32::from(p[1]) + 0.114 * f32::from(p[2])) / 255.0).collect();
        Self { width, height, values }
    }

    fn at(&self, x: usize, y: usize) -> f32 {
        self.values[y * self.width + x]
    }

    /// Bilinear sample, clamped to the edges.
    fn sample(&self, x: f32, y: f32) -> f32 {
        let x = x.clamp(0.0, (self.width - 1) as f32);
        let y = y.clamp(0.0, (self.height - 1) as f32);
        let (x0, y0) = (x.floor() as usize, y.floor() as usize);
        let (x1, y1) = ((x0 + 1).min(self.width - 1), (y0 + 1).min(self.height - 1));
        let (fx, fy) = (x - x0 as f32, y - y0 as f32);
        let top = self.at(x0, y0) * (1.0 - fx) + self.at(x1, y0) * fx;
        let bottom = self.at(x0, y1) * (1.0 - fx) + self.at(x1, y1) * fx;
        top * (1.0 - fy) + bottom * fy
    }

    /// The mean of each `factor` x `factor` block.
    fn shrink(&self, factor: usize) -> Self {
        let (width, height) = ((self.width / factor).max(1), (self.height / factor).max(1));
        let mut out = Self::new(width, height);
        for y in 0..height {
            for x in 0..width {
                let (mut sum, mut n) = (0.0f32, 0.0f32);
                for yy in y * factor..((y + 1) * factor).min(self.height) {
                    for xx in x * factor..((x + 1) * factor).min(self.width) {
                        sum += self.at(xx, yy);
                        n += 1.0;
                    }
                }
                out.values[y * width + x] = sum / n.max(1.0);
            }
        }
        out
    }

    /// Each pixel replaced by `reduce` of the pixels within `radius` along
    /// rows, then along columns (a square window, separably).
    fn filter(&self, radius: usize, reduce: fn(&[f32]) -> f32) -> Self {
        let pass = |src: &[f32], len: usize, lines: usize, index: &dyn Fn(usize, usize) -> usize, out: &mut [f32]| {
            let mut window = Vec::with_capacity(2 * radius + 1);
            for line in 0..lines {
                for i in 0..len {
                    window.clear();
                    window.extend((i.saturating_sub(radius)..(i + radius + 1).min(len)).map(|j| src[index(line, j)]));
                    out[index(line, i)] = reduce(&window);
                }
            }
        };
        let (w, h) = (self.width, self.height);
        let mut rows = vec![0.0; w * h];
        pass(&self.values, w, h, &|y, x| y * w + x, &mut rows);
        let mut out = Self::new(w, h);
        pass(&rows, h, w, &|x, y| y * w + x, &mut out.values);
        out
    }
}

fn max_of(window: &[f32]) -> f32 {
    window.iter().copied().fold(f32::MIN, f32::max)
}

fn mean_of(window: &[f32]) -> f32 {
    window.iter().sum::<f32>() / window.len() as f32
}

/// Otsu's threshold of values in 0..1: the split that best separates two groups.
fn otsu(values: impl Iterator<Item = f32>) -> f32 {
    let mut bins = [0f64; 256];
    for v in values {
        bins[(v.clamp(0.0, 1.0) * 255.0) as usize] += 1.0;
    }
    let total: f64 = bins.iter().sum();
    let sum_all: f64 = bins.iter().enumerate().map(|(i, n)| i as f64 * n).sum();
    let (mut below, mut sum_below, mut best, mut threshold) = (0.0, 0.0, -1.0, 0.5);
    for (i, n) in bins.iter().enumerate() {
        below += n;
        sum_below += i as f64 * n;
        let above = total - below;
        if below == 0.0 || above == 0.0 {
            continue;
        }
        let between = below * above * (sum_below / below - (sum_all - sum_below) / above).powi(2);
        if between > best {
            (best, threshold) = (between, (i as f32 + 0.5) / 255.0);
        }
    }
    threshold
}

/// The 8-connected groups of set pixels, largest first.
fn components(mask: &[bool], width: usize, height: usize) -> Vec<Vec<usize>> {
    let mut seen = vec![false; mask.len()];
    let mut groups = Vec::new();
    for start in 0..mask.len() {
        if !mask[start] || seen[start] {
            continue;
        }
        seen[start] = true;
        let (mut group, mut stack) = (Vec::new(), vec![start]);
        while let Some(i) = stack.pop() {
            group.push(i);
            let (x, y) = ((i % width) as isize, (i / width) as isize);
            for (dx, dy) in NEIGHBOURS {
                let (nx, ny) = (x + dx, y + dy);
                if nx >= 0 && ny >= 0 && (nx as usize) < width && (ny as usize) < height {
                    let j = ny as usize * width + nx as usize;
                    if mask[j] && !seen[j] {
                        seen[j] = true;
                        stack.push(j);
                    }
                }
            }
        }
        groups.push(group);
    }
    groups.sort_by_key(|g| std::cmp::Reverse(g.len()));
    groups
}

/// The 8 neighbours, clockwise from north (the order thinning reads them).
const NEIGHBOURS: [(isize, isize); 8] = [(0, -1), (1, -1), (1, 0), (1, 1), (0, 1), (-1, 1), (-1, 0), (-1, -1)];

/// The paper in the photo: a rectangle turned by `angle` (radians) about
/// its centre, in photo pixels.
#[derive(Clone, Copy, Debug)]
struct Paper {
    centre: (f32, f32),
    half: (f32, f32),
    angle: f32,
}

impl Paper {
    /// Photo coordinates of a point given in the paper's upright frame
    /// (from its centre).
    fn to_photo(&self, u: f32, v: f32) -> (f32, f32) {
        let (sin, cos) = self.angle.sin_cos();
        (self.centre.0 + u * cos - v * sin, self.centre.1 + u * sin + v * cos)
    }
}

/// Finds the paper: the largest bright region of a shrunk, blurred copy,
/// and the turn (within 20 degrees) at which its bounding box is smallest.
/// A scan, or a photo of paper alone, is all paper.
fn find_paper(grey: &Grey) -> Paper {
    let whole = Paper {
        centre: (grey.width as f32 / 2.0, grey.height as f32 / 2.0),
        half: (grey.width as f32 / 2.0, grey.height as f32 / 2.0),
        angle: 0.0,
    };
    let factor = (grey.width.max(grey.height) / 160).max(1);
    let small = grey.shrink(factor).filter(2, mean_of);
    let threshold = otsu(small.values.iter().copied());
    let bright: Vec<bool> = small.values.iter().map(|&v| v > threshold).collect();
    let Some(paper) = components(&bright, small.width, small.height).into_iter().next() else { return whole };
    let share = paper.len() as f32 / bright.len() as f32;
    // Nearly all bright: no table around it. A small bright patch: no paper
    // to speak of (a dark photo); take it all rather than guess.
    if !(0.15..0.97).contains(&share) {
        return whole;
    }
    // A table around paper is far darker than the paper; light fading across
    // a scan darkens the far side far less. Medians, so the drawing's lines
    // (dark, but few) do not count.
    let mut inside = vec![false; bright.len()];
    for &i in &paper {
        inside[i] = true;
    }
    let median = |mut values: Vec<f32>| {
        values.sort_by(f32::total_cmp);
        values.get(values.len() / 2).copied().unwrap_or(0.0)
    };
    let paper_brightness = median(paper.iter().map(|&i| small.values[i]).collect());
    let rest_brightness = median((0..bright.len()).filter(|&i| !inside[i]).map(|i| small.values[i]).collect());
    if rest_brightness > 0.5 * paper_brightness {
        return whole;
    }
    let points: Vec<(f32, f32)> = paper.iter().map(|&i| ((i % small.width) as f32 + 0.5, (i / small.width) as f32 + 0.5)).collect();
    let bounds = |angle: f32| {
        let (sin, cos) = angle.sin_cos();
        let (mut lo, mut hi) = ((f32::MAX, f32::MAX), (f32::MIN, f32::MIN));
        for &(x, y) in &points {
            let (u, v) = (x * cos + y * sin, -x * sin + y * cos);
            lo = (lo.0.min(u), lo.1.min(v));
            hi = (hi.0.max(u), hi.1.max(v));
        }
        (lo, hi)
    };
    let area = |angle: f32| {
        let (lo, hi) = bounds(angle);
        (hi.0 - lo.0) * (hi.1 - lo.1)
    };
    let angle = (-40..=40).map(|step| step as f32 * 0.5f32.to_radians()).min_by(|a, b| area(*a).total_cmp(&area(*b))).unwrap_or(0.0);
    let (lo, hi) = bounds(angle);
    let (sin, cos) = angle.sin_cos();
    let (u, v) = ((lo.0 + hi.0) / 2.0, (lo.1 + hi.1) / 2.0);
    let scale = factor as f32;
    Paper {
        centre: ((u * cos - v * sin) * scale, (u * sin + v * cos) * scale),
        half: ((hi.0 - lo.0) / 2.0 * scale, (hi.1 - lo.1) / 2.0 * scale),
        angle,
    }
}

/// The paper upright, at most [`WORK_SIDE`] a side, without its edges
/// (where the paper meets the table, and its shadow).
fn upright(grey: &Grey, paper: &Paper) -> Grey {
    let inset = 0.03 * paper.half.0.min(paper.half.1) * 2.0;
    let (half_w, half_h) = ((paper.half.0 - inset).max(1.0), (paper.half.1 - inset).max(1.0));
    let scale = (WORK_SIDE as f32 / (2.0 * half_w.max(half_h))).min(1.0);
    let (width, height) = (((2.0 * half_w * scale) as usize).max(8), ((2.0 * half_h * scale) as usize).max(8));
    let mut out = Grey::new(width, height);
    for y in 0..height {
        for x in 0..width {
            let (u, v) = ((x as f32 + 0.5) / scale - half_w, (y as f32 + 0.5) / scale - half_h);
            let (px, py) = paper.to_photo(u, v);
            out.values[y * width + x] = grey.sample(px - 0.5, py - 0.5);
        }
    }
    out
}

/// How much darker than the paper around it each pixel is, 0 to 1: the
/// paper's own brightness (lines taken out by a local maximum, then
/// smoothed) divided out, so shadows and uneven light go.
fn darkness(paper: &Grey) -> Grey {
    let side = paper.width.max(paper.height);
    let background = paper.filter((side / 80).max(3), max_of).filter((side / 40).max(4), mean_of);
    let mut out = Grey::new(paper.width, paper.height);
    for (o, (&v, &b)) in out.values.iter_mut().zip(paper.values.iter().zip(&background.values)) {
        *o = (1.0 - v / b.max(0.05)).clamp(0.0, 1.0);
    }
    out
}

/// Which pixels are lines: dark enough (Otsu's split of the darker pixels,
/// kept between bounds that paper grain and faint pencil set), with
/// fainter pixels kept where they touch a line, and specks of grain, dust
/// or noise too small to be drawn dropped.
fn lines(dark: &Grey) -> Vec<bool> {
    let candidates = dark.values.iter().copied().filter(|&d| d > 0.06);
    let strong = otsu(candidates).clamp(0.14, 0.35);
    let weak = strong * 0.6;
    let weak_mask: Vec<bool> = dark.values.iter().map(|&d| d > weak).collect();
    let side = dark.width.max(dark.height) as f32;
    let mut mask = vec![false; weak_mask.len()];
    for group in components(&weak_mask, dark.width, dark.height) {
        let has_strong = group.iter().any(|&i| dark.values[i] > strong);
        let (xs, ys) = (group.iter().map(|&i| i % dark.width), group.iter().map(|&i| i / dark.width));
        let extent = (xs.clone().max().unwrap_or(0) - xs.min().unwrap_or(0)).max(ys.clone().max().unwrap_or(0) - ys.min().unwrap_or(0));
        if has_strong && extent as f32 >= 0.015 * side {
            for i in group {
                mask[i] = true;
            }
        }
    }
    mask
}

/// Zhang-Suen thinning: lines become one pixel wide along their centres.
fn thin(mask: &mut [bool], width: usize, height: usize) {
    let mut changed = true;
    let mut remove = Vec::new();
    while changed {
        changed = false;
        for pass in 0..2 {
            remove.clear();
            for y in 1..height.saturating_sub(1) {
                for x in 1..width.saturating_sub(1) {
                    if !mask[y * width + x] {
                        continue;
                    }
                    let p: [bool; 8] = NEIGHBOURS.map(|(dx, dy)| mask[(y as isize + dy) as usize * width + (x as isize + dx) as usize]);
                    let set = p.iter().filter(|&&b| b).count();
                    let turns = (0..8).filter(|&i| !p[i] && p[(i + 1) % 8]).count();
                    // p[0] north, p[2] east, p[4] south, p[6] west.
                    let (a, b) = if pass == 0 { (p[0] && p[2] && p[4], p[2] && p[4] && p[6]) } else { (p[0] && p[2] && p[6], p[0] && p[4] && p[6]) };
                    if (2..=6).contains(&set) && turns == 1 && !a && !b {
                        remove.push(y * width + x);
                    }
                }
            }
            changed |= !remove.is_empty();
            for &i in &remove {
                mask[i] = false;
            }
        }
    }
}

/// The one-pixel lines as chains of pixels: from each end or junction
/// to the next, then what is left
/// (closed loops). A junction may end several chains; other pixels are in one.
fn trace(skeleton: &[bool], width: usize, height: usize) -> Vec<Vec<(usize, usize)>> {
    let neighbours = |i: usize| {
        let (x, y) = ((i % width) as isize, (i / width) as isize);
        // Side neighbours first, so a chain does not cut a corner.
        [(0, -1), (1, 0), (0, 1), (-1, 0), (1, -1), (1, 1), (-1, 1), (-1, -1)].into_iter().filter_map(move |(dx, dy)| {
            let (nx, ny) = (x + dx, y + dy);
            let j = ny as usize * width + nx as usize;
            (nx >= 0 && ny >= 0 && (nx as usize) < width && (ny as usize) < height && skeleton[j]).then_some(j)
        })
    };
    // Ends and junctions by their crossing number (gaps to lines going round
    // the 8 neighbours): counting neighbours would call every step of a
    // diagonal staircase a junction.
    let crossings = |i: usize| {
        let (x, y) = ((i % width) as isize, (i / width) as isize);
        let set = NEIGHBOURS.map(|(dx, dy)| {
            let (nx, ny) = (x + dx, y + dy);
            nx >= 0 && ny >= 0 && (nx as usize) < width && (ny as usize) < height && skeleton[ny as usize * width + nx as usize]
        });
        (0..8).filter(|&k| !set[k] && set[(k + 1) % 8]).count()
    };
    let node: Vec<bool> = (0..skeleton.len()).map(|i| skeleton[i] && crossings(i) != 2).collect();
    let mut used = vec![false; skeleton.len()];
    // From `first` on, through unused pixels, until a node or a dead end.
    let walk = |mut chain: Vec<usize>, used: &mut [bool]| {
        let mut at = *chain.last().unwrap_or(&0);
        loop {
            let previous = chain.len().checked_sub(2).map(|k| chain[k]);
            let Some(next) = neighbours(at).find(|&j| Some(j) != previous && (node[j] || !used[j])) else { break };
            chain.push(next);
            if node[next] {
                break;
            }
            used[next] = true;
            at = next;
        }
        chain
    };
    let mut chains = Vec::new();
    for start in (0..skeleton.len()).filter(|&i| node[i]) {
        for first in neighbours(start).collect::<Vec<_>>() {
            if !node[first] && !used[first] {
                used[first] = true;
                chains.push(walk(vec![start, first], &mut used));
            }
        }
    }
    for start in 0..skeleton.len() {
        if skeleton[start] && !node[start] && !used[start] {
            used[start] = true;
            let mut chain = walk(vec![start], &mut used);
            chain.push(start);
            chains.push(chain);
        }
    }
    chains.into_iter().map(|chain| chain.into_iter().map(|i| (i % width, i / width)).collect()).collect()
}

/// The strokes drawn on the paper in a photo or scan (`rgba`, `width` x
/// `height`), fitted to the doodle's square; an error says why there are none.
pub fn strokes_from_photo(rgba: &[u8], width: usize, height: usize) -> Result<Vec<Stroke>, String> {
    if width < 16 || height < 16 || rgba.len() != width * height * 4 {
        return Err("the picture is too small to hold a drawing".into());
    }
    let grey = Grey::from_rgba(rgba, width, height);
    let paper = upright(&grey, &find_paper(&grey));
    let dark = darkness(&paper);
    let mut mask = lines(&dark);
    let (w, h) = (paper.width, paper.height);
    let ink = mask.iter().filter(|&&b| b).count();
    if ink == 0 {
        return Err("no lines were found: photograph the drawing in even light, filling most of the picture with the paper".into());
    }
    // The drawing's bounds, fitted to the square with a margin.
    let (mut x0, mut y0, mut x1, mut y1) = (w, h, 0, 0);
    for (i, _) in mask.iter().enumerate().filter(|(_, b)| **b) {
        (x0, y0, x1, y1) = (x0.min(i % w), y0.min(i / w), x1.max(i % w + 1), y1.max(i / w + 1));
    }
    let scale = DOODLE_SIZE * (1.0 - 2.0 * MARGIN) / (x1 - x0).max(y1 - y0) as f32;
    let offset = (
        (DOODLE_SIZE - (x1 - x0) as f32 * scale) / 2.0 - x0 as f32 * scale,
        (DOODLE_SIZE - (y1 - y0) as f32 * scale) / 2.0 - y0 as f32 * scale,
    );
    thin(&mut mask, w, h);
    let skeleton_length = mask.iter().filter(|&&b| b).count().max(1);
    // A line's width: its pixels over its length.
    let width = (ink as f32 / skeleton_length as f32 * scale).clamp(MIN_WIDTH, MAX_BRUSH).round();
    let shortest = 0.02 * (x1 - x0).max(y1 - y0) as f32;
    let strokes: Vec<Stroke> = trace(&mask, w, h)
        .into_iter()
        .filter(|chain| chain.len() as f32 >= shortest)
        .map(|chain| {
            let points: Vec<simplify_polyline::Point<2, f32>> = chain
                .iter()
                .map(|&(x, y)| simplify_polyline::Point { vec: [(x as f32 + 0.5) * scale + offset.0, (y as f32 + 0.5) * scale + offset.1] })
                .collect();
            // The pixel staircase straightened, then a point every unit or
            // so, as a hand's drag gives them: the page smooths strokes,
            // which would round a corner between points far apart.
            let kept: Vec<_> = simplify_polyline::simplify(&points, 0.4, true).into_iter().map(|p| (p.vec[0], p.vec[1])).collect();
            let mut stroke = Stroke::new(width, Tool::Brush);
            stroke.push(Point { x: kept[0].0, y: kept[0].1, pressure: 0.5 });
            for pair in kept.windows(2) {
                let ((ax, ay), (bx, by)) = (pair[0], pair[1]);
                let steps = (bx - ax).hypot(by - ay).ceil().max(1.0) as usize;
                for k in 1..=steps {
                    let t = k as f32 / steps as f32;
                    stroke.push(Point { x: ax + (bx - ax) * t, y: ay + (by - ay) * t, pressure: 0.5 });
                }
            }
            stroke
        })
        .collect();
    if strokes.is_empty() {
        return Err("only specks were found, no lines: is it a drawing?".into());
    }
    Ok(strokes)
}

#[cfg(target_arch = "wasm32")]
mod browser;
#[cfg(target_arch = "wasm32")]
pub use browser::{read_picture, saved_link};

#[cfg(test)]
mod tests;
