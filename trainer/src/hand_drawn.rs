//! The hand-drawn evaluation set (`trainer/eval/hand-drawn.txt`): doodles as
//! a person draws them on the page, as stroke lists, rasterised by the page's
//! own code (`ink`), each with checks of what its painting must show where.
//! Never trained on: it measures what the painter's held-out scenes cannot,
//! how the model copes with the way people draw.

use ink::{Stroke, Tool};
use model::{IMAGE_SIZE, RgbImage, Style};

/// The set as shipped with the trainer.
pub const SET: &str = include_str!("../eval/hand-drawn.txt");

/// The page's default brush size.
const DEFAULT_WIDTH: f32 = 4.0;
/// A mouse drag reports a point every few doodle units.
const STEP: f32 = 2.5;

#[derive(Clone, Debug, PartialEq)]
pub struct HandDoodle {
    pub name: String,
    pub strokes: Vec<Stroke>,
    pub checks: Vec<Check>,
}

/// A disc of the painting, in doodle units.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Probe {
    pub x: f32,
    pub y: f32,
    pub r: f32,
}

/// Something a landscape holds, by the colour the scene painter gives it in
/// each style: what the model learnt to paint it as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Element {
    Sky,
    Sun,
    Cloud,
    Mountain,
    Hill,
    Grass,
    Water,
    Road,
    Tree,
    Pine,
    Wall,
    Roof,
    Rock,
    Snow,
}

impl Element {
    fn parse(word: &str) -> Result<Self, String> {
        Ok(match word {
            "sky" => Self::Sky,
            "sun" => Self::Sun,
            "cloud" => Self::Cloud,
            "mountain" => Self::Mountain,
            "hill" => Self::Hill,
            "grass" => Self::Grass,
            "water" => Self::Water,
            "road" => Self::Road,
            "tree" => Self::Tree,
            "pine" => Self::Pine,
            "wall" => Self::Wall,
            "roof" => Self::Roof,
            "rock" => Self::Rock,
            "snow" => Self::Snow,
            other => return Err(format!("no element {other:?}")),
        })
    }

    /// Its colour in `style`, RGB 0..255.
    pub fn colour(self, style: Style) -> [f32; 3] {
        use scene::palette::{mix, palette};
        let p = palette(style);
        let c = match self {
            Self::Sky => mix(p.sky_top, p.sky_horizon, 0.5),
            Self::Sun => p.orb,
            Self::Cloud => p.cloud,
            Self::Mountain => p.mountain,
            Self::Hill => p.hill,
            Self::Grass => mix(p.grass_far, p.grass, 0.5),
            Self::Water => p.water,
            Self::Road => p.road,
            Self::Tree => p.broadleaf,
            Self::Pine => p.pine,
            Self::Wall => p.wall,
            Self::Roof => p.roof,
            Self::Rock => p.rock,
            Self::Snow => p.snow,
        };
        c.map(|v| v * 255.0)
    }
}

/// What a painting must show.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Test {
    /// A's mean colour is far from B's (RGB distance over 0..255 channels).
    Differs(Probe, Probe),
    /// A's blue exceeds its mean of red and green by more than B's does.
    Bluer(Probe, Probe),
    /// A is lighter (luma) than B.
    Brighter(Probe, Probe),
    /// A looks like the first element rather than the second: its mean colour
    /// is nearer the style's colour for it.
    Like(Probe, Element, Element),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Check {
    pub test: Test,
    /// What the check says, for people.
    pub note: String,
}

/// How far apart a check needs its probes to be.
const MARGIN_DIFFERS: f32 = 16.0;
const MARGIN_BLUER: f32 = 8.0;
const MARGIN_BRIGHTER: f32 = 8.0;

fn distance(a: [f32; 3], b: [f32; 3]) -> f32 {
    a.iter().zip(&b).map(|(x, y)| (x - y).powi(2)).sum::<f32>().sqrt()
}

impl Check {
    /// The measured margin (positive passes) of `painting` in `style`.
    pub fn measure(&self, painting: &RgbImage, style: Style) -> f32 {
        let mean = |probe| mean_colour(painting, probe);
        let blueness = |c: [f32; 3]| c[2] - (c[0] + c[1]) / 2.0;
        let luma = |c: [f32; 3]| 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
        match self.test {
            Test::Differs(a, b) => distance(mean(a), mean(b)) - MARGIN_DIFFERS,
            Test::Bluer(a, b) => blueness(mean(a)) - blueness(mean(b)) - MARGIN_BLUER,
            Test::Brighter(a, b) => luma(mean(a)) - luma(mean(b)) - MARGIN_BRIGHTER,
            Test::Like(a, this, that) => {
                let c = mean(a);
                distance(c, that.colour(style)) - distance(c, this.colour(style))
            }
        }
    }

    pub fn passes(&self, painting: &RgbImage, style: Style) -> bool {
        self.measure(painting, style) > 0.0
    }
}

/// Mean RGB (0..255) of the pixels inside a probe's disc.
fn mean_colour(image: &RgbImage, probe: Probe) -> [f32; 3] {
    let scale = image.width as f32 / IMAGE_SIZE as f32;
    let (cx, cy, r) = (probe.x * scale, probe.y * scale, (probe.r * scale).max(0.5));
    let (mut sum, mut n) = ([0.0f32; 3], 0.0f32);
    for y in (cy - r).floor().max(0.0) as usize..((cy + r).ceil() as usize).min(image.height) {
        for x in (cx - r).floor().max(0.0) as usize..((cx + r).ceil() as usize).min(image.width) {
            if (x as f32 + 0.5 - cx).powi(2) + (y as f32 + 0.5 - cy).powi(2) <= r * r {
                let i = (y * image.width + x) * 3;
                for k in 0..3 {
                    sum[k] += image.pixels[i + k] as f32;
                }
                n += 1.0;
            }
        }
    }
    sum.map(|v| v / n.max(1.0))
}

impl HandDoodle {
    /// The doodle as the generator sees it: `IMAGE_SIZE` square RGB.
    pub fn render(&self) -> RgbImage {
        let size = IMAGE_SIZE as u32;
        RgbImage::from_rgba(IMAGE_SIZE, IMAGE_SIZE, &ink::rasterise(&self.strokes, size))
    }
}

/// Parses the set's text format (see the file's header). Errors name the line.
pub fn parse(text: &str) -> Result<Vec<HandDoodle>, String> {
    let mut doodles: Vec<HandDoodle> = Vec::new();
    for (number, raw) in text.lines().enumerate() {
        let (content, note) = raw.split_once('#').map_or((raw, ""), |(c, n)| (c, n.trim()));
        let mut words = content.split_whitespace();
        let Some(kind) = words.next() else { continue };
        let fail = |why: String| format!("hand-drawn set, line {}: {why}", number + 1);
        if kind == "doodle" {
            let name = words.next().ok_or_else(|| fail("a doodle needs a name".into()))?;
            doodles.push(HandDoodle { name: name.into(), strokes: Vec::new(), checks: Vec::new() });
            continue;
        }
        let doodle = doodles.last_mut().ok_or_else(|| fail("strokes before the first `doodle`".into()))?;
        let rest: Vec<&str> = words.collect();
        if kind == "check" {
            doodle.checks.push(parse_check(&rest, note).map_err(fail)?);
        } else {
            doodle.strokes.push(parse_stroke(kind, &rest).map_err(fail)?);
        }
    }
    Ok(doodles)
}

fn numbers(word: &str) -> Result<Vec<f32>, String> {
    word.split(',').map(|n| n.parse::<f32>().map_err(|_| format!("{word:?} is not a list of numbers"))).collect()
}

fn parse_check(words: &[&str], note: &str) -> Result<Check, String> {
    let probe = |word: &str| match numbers(word)?.as_slice() {
        &[x, y, r] => Ok(Probe { x, y, r }),
        _ => Err(format!("{word:?} is not a probe x,y,r")),
    };
    let test = match words {
        ["differs", a, b] => Test::Differs(probe(a)?, probe(b)?),
        ["bluer", a, b] => Test::Bluer(probe(a)?, probe(b)?),
        ["brighter", a, b] => Test::Brighter(probe(a)?, probe(b)?),
        ["like", a, this, that] => Test::Like(probe(a)?, Element::parse(this)?, Element::parse(that)?),
        [kind, ..] if !["differs", "bluer", "brighter", "like"].contains(kind) => return Err(format!("no check {kind:?}")),
        _ => return Err("a check is KIND x,y,r x,y,r, or like x,y,r ELEMENT ELEMENT".into()),
    };
    Ok(Check { test, note: note.into() })
}

fn parse_stroke(kind: &str, words: &[&str]) -> Result<Stroke, String> {
    let (width, words) = match words.first().and_then(|w| w.strip_prefix("w=")) {
        Some(w) => (w.parse::<f32>().map_err(|_| format!("{w:?} is not a width"))?, &words[1..]),
        None => (DEFAULT_WIDTH, words),
    };
    let values: Vec<Vec<f32>> = words.iter().map(|w| numbers(w)).collect::<Result<_, _>>()?;
    let points = || -> Result<Vec<(f32, f32)>, String> {
        values
            .iter()
            .map(|v| match v.as_slice() {
                &[x, y] => Ok((x, y)),
                _ => Err(format!("{v:?} is not a point x,y")),
            })
            .collect()
    };
    let path = match kind {
        "line" => drag_line(&points()?),
        "curve" => drag_curve(&points()?, false),
        "loop" => drag_curve(&points()?, true),
        "dot" => points()?,
        "circle" => match values.as_slice() {
            [centre, r] if centre.len() == 2 && r.len() == 1 => hand_circle(centre[0], centre[1], r[0], r[0]),
            [centre, r, ry] if centre.len() == 2 && r.len() == 1 && ry.len() == 1 => {
                hand_circle(centre[0], centre[1], r[0], ry[0])
            }
            _ => return Err("a circle is x,y r [ry]".into()),
        },
        other => return Err(format!("no stroke kind {other:?}")),
    };
    if path.is_empty() {
        return Err("a stroke needs points".into());
    }
    // A slight, repeatable tremor: a hand never hits the same line twice.
    let tremor = path.iter().enumerate().map(|(i, &(x, y))| {
        let t = i as f32;
        (x + 0.3 * (t * 1.7).sin(), y + 0.3 * (t * 2.3 + 1.0).cos())
    });
    Ok(Stroke::through(width, Tool::Brush, 0.5, tremor))
}

/// A drag along straight segments, sampled as pointer events come.
fn drag_line(points: &[(f32, f32)]) -> Vec<(f32, f32)> {
    let mut out = points.first().copied().into_iter().collect::<Vec<_>>();
    for pair in points.windows(2) {
        let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
        let n = ((x1 - x0).hypot(y1 - y0) / STEP).ceil().max(1.0) as usize;
        out.extend((1..=n).map(|i| {
            let t = i as f32 / n as f32;
            (x0 + (x1 - x0) * t, y0 + (y1 - y0) * t)
        }));
    }
    out
}

/// A drag along a Catmull-Rom curve through the points; a loop closes and
/// runs a little past its start, as a hand does.
fn drag_curve(points: &[(f32, f32)], closed: bool) -> Vec<(f32, f32)> {
    if points.len() < 3 {
        return drag_line(points);
    }
    let n = points.len();
    let at = |i: isize| -> (f32, f32) {
        if closed {
            points[i.rem_euclid(n as isize) as usize]
        } else {
            points[i.clamp(0, n as isize - 1) as usize]
        }
    };
    let segments = if closed { n } else { n - 1 };
    let mut keys = Vec::new();
    for s in 0..segments as isize {
        let (p0, p1, p2, p3) = (at(s - 1), at(s), at(s + 1), at(s + 2));
        let steps = ((p2.0 - p1.0).hypot(p2.1 - p1.1) / STEP).ceil().max(1.0) as usize;
        for k in 0..steps {
            let t = k as f32 / steps as f32;
            let blend = |a: f32, b: f32, c: f32, d: f32| {
                0.5 * (2.0 * b + (c - a) * t + (2.0 * a - 5.0 * b + 4.0 * c - d) * t * t + (3.0 * b - a - 3.0 * c + d) * t * t * t)
            };
            keys.push((blend(p0.0, p1.0, p2.0, p3.0), blend(p0.1, p1.1, p2.1, p3.1)));
        }
    }
    if closed {
        // Past the start by a few points.
        let overshoot: Vec<_> = keys.iter().take(4).copied().collect();
        keys.extend(overshoot);
    } else {
        keys.push(points[n - 1]);
    }
    keys
}

/// A circle as a hand draws one: starting at the top left, a little more than
/// one turn, so the ends overlap.
fn hand_circle(cx: f32, cy: f32, rx: f32, ry: f32) -> Vec<(f32, f32)> {
    let steps = ((std::f32::consts::TAU * rx.max(ry)) / STEP).ceil().max(8.0) as usize;
    let start = -2.2f32;
    (0..=steps + steps / 12)
        .map(|i| {
            let a = start + std::f32::consts::TAU * i as f32 / steps as f32;
            (cx + rx * a.cos(), cy + ry * a.sin())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_set_parses_and_is_big_enough() {
        let set = parse(SET).unwrap();
        assert!(set.len() >= 30, "{} doodles", set.len());
        for doodle in &set {
            assert!(!doodle.strokes.is_empty() && !doodle.checks.is_empty(), "{}", doodle.name);
            assert!(doodle.checks.iter().all(|c| !c.note.is_empty()), "{}: every check says why", doodle.name);
        }
        let mut names: Vec<_> = set.iter().map(|d| &d.name).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), set.len(), "names are unique");
    }

    #[test]
    fn mistakes_name_their_line() {
        assert!(parse("line 1,2 3,4").unwrap_err().contains("line 1"));
        assert!(parse("doodle a\n\ncurve 1,2 x,4").unwrap_err().contains("line 3"));
        assert!(parse("doodle a\ncheck darker 1,2,3 4,5,6").unwrap_err().contains("no check"));
        assert!(parse("doodle a\ncheck like 1,2,3 lava sky").unwrap_err().contains("no element"));
        assert!(parse("doodle a\ncircle 1,2").unwrap_err().contains("circle"));
    }

    #[test]
    fn doodles_are_ink_where_they_were_drawn() {
        let set = parse("doodle a\nline 20,128 236,128\n").unwrap();
        let image = set[0].render();
        let at = |x: usize, y: usize| image.pixels[(y * image.width + x) * 3];
        assert!(at(128, 128) < 60, "on the line");
        assert_eq!(at(128, 100), 255, "paper elsewhere");
    }

    #[test]
    fn checks_measure_what_they_say() {
        // Left half blue, right half green.
        let mut painting = RgbImage { width: 256, height: 256, pixels: vec![0; 256 * 256 * 3] };
        for (i, px) in painting.pixels.chunks_exact_mut(3).enumerate() {
            px.copy_from_slice(if i % 256 < 128 { &[40, 60, 200] } else { &[60, 160, 60] });
        }
        let probe = |x| Probe { x, y: 128.0, r: 10.0 };
        let passes = |test| Check { test, note: String::new() }.passes(&painting, Style::OilDay);
        assert!(passes(Test::Bluer(probe(60.0), probe(200.0))));
        assert!(!passes(Test::Bluer(probe(200.0), probe(60.0))));
        assert!(passes(Test::Differs(probe(60.0), probe(200.0))));
        assert!(!passes(Test::Differs(probe(60.0), probe(70.0))));
        assert!(passes(Test::Brighter(probe(200.0), probe(60.0))));
        assert!(passes(Test::Like(probe(200.0), Element::Grass, Element::Water)));
        assert!(passes(Test::Like(probe(60.0), Element::Water, Element::Grass)));
        assert!(!passes(Test::Like(probe(60.0), Element::Grass, Element::Water)));
    }
}

/// The styles of the hand-drawn sheet; failures are listed for the first.
pub const SHEET_STYLES: [Style; 2] = [Style::OilDay, Style::Watercolour];

/// The set painted by one model in every style, with its checks' results.
pub struct Evaluation {
    pub doodles: Vec<Evaluated>,
    /// The styles whose paintings are kept (for the sheet), in this order.
    pub kept_styles: Vec<Style>,
}

pub struct Evaluated {
    pub doodle: HandDoodle,
    pub image: RgbImage,
    /// Checks passed, per style of [`Style::ALL`].
    pub passed: Vec<usize>,
    /// Paintings in the kept styles.
    pub kept: Vec<RgbImage>,
    /// Each failing check of the first kept style, and by how much it fails.
    pub failures: Vec<(f32, String)>,
}

impl Evaluation {
    /// Paints the set with `inference` in every style, keeping the paintings
    /// in `keep` (the first also has its failures listed).
    pub fn run(inference: &model::Inference, keep: &[Style]) -> Result<Self, String> {
        let mut doodles = Vec::new();
        for doodle in parse(SET)? {
            let image = doodle.render();
            let (mut passed, mut kept, mut failures) = (Vec::new(), Vec::new(), Vec::new());
            for style in Style::ALL {
                let painting = inference.paint(&image, style)?;
                let margins: Vec<f32> = doodle.checks.iter().map(|c| c.measure(&painting, style)).collect();
                // A check passes when its margin is positive (`Check::passes`).
                passed.push(margins.iter().filter(|&&margin| margin > 0.0).count());
                if keep.first() == Some(&style) {
                    for (check, margin) in doodle.checks.iter().zip(margins) {
                        if margin <= 0.0 {
                            failures.push((-margin, check.note.clone()));
                        }
                    }
                }
                if keep.contains(&style) {
                    kept.push(painting);
                }
            }
            doodles.push(Evaluated { doodle, image, passed, kept, failures });
        }
        Ok(Self { doodles, kept_styles: keep.to_vec() })
    }

    /// Checks in the set (per style).
    pub fn checks(&self) -> usize {
        self.doodles.iter().map(|d| d.doodle.checks.len()).sum()
    }

    /// Checks passed per style of [`Style::ALL`].
    pub fn passed(&self) -> Vec<usize> {
        (0..Style::ALL.len()).map(|i| self.doodles.iter().map(|d| d.passed[i]).sum()).collect()
    }

    /// A table of checks passed per doodle and style, each doodle's failures
    /// in the first kept style beneath it, and the totals.
    pub fn report(&self) -> String {
        let mut out = format!("{:28} {}\n", "doodle", Style::ALL.map(|s| format!("{:>11}", s.id())).join(""));
        let first = self.kept_styles.first().map_or("", |s| s.id());
        for evaluated in &self.doodles {
            out += &format!("{:28}", evaluated.doodle.name);
            for ok in &evaluated.passed {
                out += &format!("{:>11}", format!("{ok}/{}", evaluated.doodle.checks.len()));
            }
            out += "\n";
            for (by, note) in &evaluated.failures {
                out += &format!("    {first} fails by {by:.1}: {note}\n");
            }
        }
        let total = self.checks();
        let passed = self.passed();
        let summary: Vec<String> = Style::ALL.iter().zip(&passed).map(|(s, p)| format!("{} {p}/{total}", s.id())).collect();
        out += &format!("checks passed: {}\n", summary.join(", "));
        let all: usize = passed.iter().sum();
        let of = total * Style::ALL.len();
        out += &format!("in all: {all} of {of} ({:.0} %)\n", 100.0 * all as f64 / of as f64);
        out
    }

    /// Three doodles a row, each followed by its paintings in the kept styles; 128 px each.
    pub fn sheet(&self) -> Result<tiny_skia::Pixmap, String> {
        let groups: Vec<Vec<&RgbImage>> = self.doodles.iter().map(|d| std::iter::once(&d.image).chain(&d.kept).collect()).collect();
        let rows: Vec<Vec<Vec<&RgbImage>>> = groups.chunks(3).map(<[_]>::to_vec).collect();
        crate::sheet::sheet(&rows, 128, 4)
    }
}
