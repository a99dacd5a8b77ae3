//! Strokes: points with pressure, a width and the tool that drew them, their
//! smoothed outlines (perfect_freehand), and rasterisation with tiny-skia at
//! any size. The same code draws the page's screen and the model's input, the
//! scene painter's training doodles and the hand-drawn evaluation set, so the
//! network never sees a line the page cannot make.
//!
//! Coordinates are in doodle units: the doodle is [`DOODLE_SIZE`] units square,
//! one unit per pixel of the generator's input, whatever size it is shown at.

use perfect_freehand::{InputPoint, StrokeOptions, get_stroke};
use serde::{Deserialize, Serialize};
use tiny_skia::{Color, FillRule, Paint, PathBuilder, Pixmap, Transform};

/// Side of the doodle in doodle units: the generator's input size in pixels.
pub const DOODLE_SIZE: f32 = art::IMAGE_SIZE as f32;

/// Brush sizes the UI allows, in doodle units.
pub const MIN_BRUSH: f32 = 1.0;
pub const MAX_BRUSH: f32 = 32.0;

/// Points are kept at the precision a share link carries (a quarter unit;
/// pressure in 64ths, so a mouse's 0.5 is exact), so that a shared doodle is
/// exactly the drawn one and paints the same.
pub const POSITION_STEPS: f32 = 4.0;
pub const PRESSURE_STEPS: f32 = 64.0;

/// What drew a stroke: the brush (ink) or the eraser (paper over ink).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Tool {
    Brush,
    Eraser,
}

impl Tool {
    /// The colour its strokes paint, as RGB.
    pub fn colour(self) -> (u8, u8, u8) {
        match self {
            Self::Brush => (0, 0, 0),
            Self::Eraser => (255, 255, 255),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Point {
    pub x: f32,
    pub y: f32,
    /// 0..=1; mice report 0.5 while a button is down.
    pub pressure: f32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stroke {
    pub points: Vec<Point>,
    /// Diameter in doodle units at pressure 0.5.
    pub width: f32,
    /// Stored as the colour it paints, as autosaves always have.
    #[serde(rename = "colour", with = "tool_as_colour")]
    pub tool: Tool,
}

/// Autosaves keep a stroke's colour (`[0,0,0]` ink, `[255,255,255]` paper),
/// which names its tool.
mod tool_as_colour {
    use serde::{Deserialize, Deserializer, Serialize, Serializer, de::Error};

    use super::Tool;

    pub fn serialize<S: Serializer>(tool: &Tool, serializer: S) -> Result<S::Ok, S::Error> {
        tool.colour().serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Tool, D::Error> {
        let colour = <(u8, u8, u8)>::deserialize(deserializer)?;
        [Tool::Brush, Tool::Eraser]
            .into_iter()
            .find(|tool| tool.colour() == colour)
            .ok_or_else(|| D::Error::custom("a stroke is neither ink nor paper"))
    }
}

impl Stroke {
    pub fn new(width: f32, tool: Tool) -> Self {
        Self {
            points: Vec::new(),
            width: width.clamp(MIN_BRUSH, MAX_BRUSH),
            tool,
        }
    }

    /// A stroke through `points` (doodle units), all at `pressure`, as the
    /// page records a drag: at its precision, repeats dropped.
    pub fn through(width: f32, tool: Tool, pressure: f32, points: impl IntoIterator<Item = (f32, f32)>) -> Self {
        let mut stroke = Self::new(width, tool);
        for (x, y) in points {
            stroke.push(Point { x, y, pressure });
        }
        stroke
    }

    /// Adds a point at the stored precision, skipping repeats (pointer
    /// events often send them).
    pub fn push(&mut self, point: Point) {
        let step = |v: f32, steps: f32| (v * steps).round() / steps;
        let point = Point {
            x: step(point.x, POSITION_STEPS),
            y: step(point.y, POSITION_STEPS),
            pressure: step(point.pressure.clamp(0.0, 1.0), PRESSURE_STEPS),
        };
        if self.points.last().is_some_and(|last| last.x == point.x && last.y == point.y) {
            return;
        }
        self.points.push(point);
    }

    /// The smoothed outline polygon of the stroke, in doodle units.
    pub fn outline(&self) -> Vec<[f64; 2]> {
        let points: Vec<InputPoint> = self
            .points
            .iter()
            .map(|p| InputPoint::Struct {
                x: p.x as f64,
                y: p.y as f64,
                pressure: Some(p.pressure as f64),
            })
            .collect();
        let options = StrokeOptions {
            size: Some(self.width as f64),
            // Pressure changes the width by up to half either way; mice and
            // fingers report a constant 0.5 and so draw an even line.
            thinning: Some(0.5),
            smoothing: Some(0.5),
            streamline: Some(0.4),
            simulate_pressure: Some(false),
            last: Some(true),
            ..StrokeOptions::default()
        };
        get_stroke(&points, &options)
    }
}

/// A blank page of `size` x `size` pixels.
pub fn blank_page(size: u32) -> Pixmap {
    let mut pixmap = Pixmap::new(size, size).expect("page size is not zero");
    pixmap.fill(Color::WHITE);
    pixmap
}

/// Paints `strokes` onto `pixmap`, scaling doodle units to its width.
pub fn paint_strokes<'a>(pixmap: &mut Pixmap, strokes: impl IntoIterator<Item = &'a Stroke>) {
    let scale = pixmap.width() as f32 / DOODLE_SIZE;
    let transform = Transform::from_scale(scale, scale);
    for stroke in strokes {
        let outline = stroke.outline();
        let mut path = PathBuilder::new();
        for (i, [x, y]) in outline.iter().enumerate() {
            if i == 0 {
                path.move_to(*x as f32, *y as f32);
            } else {
                path.line_to(*x as f32, *y as f32);
            }
        }
        path.close();
        let Some(path) = path.finish() else { continue };
        let mut paint = Paint::default();
        let (r, g, b) = stroke.tool.colour();
        paint.set_color_rgba8(r, g, b, 255);
        paint.anti_alias = true;
        pixmap.fill_path(&path, &paint, FillRule::Winding, transform, None);
    }
}

/// The doodle as opaque RGBA pixels, `size` x `size`.
pub fn rasterise<'a>(strokes: impl IntoIterator<Item = &'a Stroke>, size: u32) -> Vec<u8> {
    let mut pixmap = blank_page(size);
    paint_strokes(&mut pixmap, strokes);
    // Every pixel is opaque (white page), so premultiplied RGBA is plain RGBA.
    pixmap.take()
}


#[cfg(test)]
mod tests {
    use super::*;

    /// A straight stroke of 21 points at mouse pressure.
    fn line(from: (f32, f32), to: (f32, f32), width: f32, tool: Tool) -> Stroke {
        let along = |t: f32| (from.0 + (to.0 - from.0) * t, from.1 + (to.1 - from.1) * t);
        Stroke::through(width, tool, 0.5, (0..=20).map(|i| along(i as f32 / 20.0)))
    }

    fn pixel(rgba: &[u8], size: u32, x: u32, y: u32) -> [u8; 4] {
        let i = ((y * size + x) * 4) as usize;
        rgba[i..i + 4].try_into().unwrap()
    }

    fn ink_count(rgba: &[u8]) -> usize {
        rgba.chunks_exact(4).filter(|p| p[0] < 128).count()
    }

    #[test]
    fn repeated_points_are_dropped() {
        let mut stroke = Stroke::new(4.0, Tool::Brush);
        let p = Point { x: 3.0, y: 4.0, pressure: 0.5 };
        stroke.push(p);
        stroke.push(p);
        assert_eq!(stroke.points.len(), 1);
    }

    #[test]
    fn strokes_rasterise_where_they_were_drawn() {
        let stroke = line((20.0, 128.0), (236.0, 128.0), 6.0, Tool::Brush);
        let rgba = rasterise(&[stroke], 256);
        assert_eq!(rgba.len(), 256 * 256 * 4);
        assert_eq!(pixel(&rgba, 256, 128, 128), [0, 0, 0, 255], "on the line");
        assert_eq!(pixel(&rgba, 256, 128, 120), [255, 255, 255, 255], "above it");
        assert_eq!(pixel(&rgba, 256, 5, 128), [255, 255, 255, 255], "before its start");
        // Roughly 216 px long and 6 px wide.
        let ink = ink_count(&rgba);
        assert!((216 * 5..216 * 7).contains(&ink), "{ink} ink pixels");
    }

    #[test]
    fn rasterising_scales_with_the_output_size() {
        let stroke = line((20.0, 128.0), (236.0, 128.0), 6.0, Tool::Brush);
        let small = ink_count(&rasterise([&stroke], 256));
        let large = ink_count(&rasterise(&[stroke], 512));
        let ratio = large as f32 / small as f32;
        assert!((3.6..4.4).contains(&ratio), "area ratio {ratio}");
    }

    #[test]
    fn a_single_tap_leaves_a_dot() {
        let mut dot = Stroke::new(8.0, Tool::Brush);
        dot.push(Point { x: 64.0, y: 64.0, pressure: 0.5 });
        let rgba = rasterise(&[dot], 256);
        assert_eq!(pixel(&rgba, 256, 64, 64)[0], 0);
        assert!(ink_count(&rgba) > 20);
    }

    #[test]
    fn the_eraser_paints_paper_over_ink() {
        let ink = line((20.0, 128.0), (236.0, 128.0), 6.0, Tool::Brush);
        let eraser = line((128.0, 100.0), (128.0, 156.0), 12.0, Tool::Eraser);
        let rgba = rasterise(&[ink, eraser], 256);
        assert_eq!(pixel(&rgba, 256, 128, 128), [255, 255, 255, 255], "erased");
        assert_eq!(pixel(&rgba, 256, 60, 128), [0, 0, 0, 255], "kept");
    }

    #[test]
    fn pen_pressure_changes_the_width() {
        let mut light = line((20.0, 128.0), (236.0, 128.0), 8.0, Tool::Brush);
        let mut heavy = light.clone();
        light.points.iter_mut().for_each(|p| p.pressure = 0.1);
        heavy.points.iter_mut().for_each(|p| p.pressure = 1.0);
        let light_ink = ink_count(&rasterise(&[light], 256));
        let heavy_ink = ink_count(&rasterise(&[heavy], 256));
        assert!(heavy_ink > light_ink * 3 / 2, "{light_ink} vs {heavy_ink}");
    }

    #[test]
    fn brush_width_is_clamped() {
        assert_eq!(Stroke::new(1000.0, Tool::Brush).width, MAX_BRUSH);
        assert_eq!(Stroke::new(0.0, Tool::Brush).width, MIN_BRUSH);
    }
}
