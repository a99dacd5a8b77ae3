//! The doodle as data: strokes of points with pressure, their width and colour,
//! an undo/redo history, and rasterisation to pixels at any size.
//!
//! Coordinates are in doodle units: the doodle is [`DOODLE_SIZE`] units square,
//! one unit per pixel of the generator's input, whatever size it is shown at.

use perfect_freehand::{InputPoint, StrokeOptions, get_stroke};
use serde::{Deserialize, Serialize};
use tiny_skia::{Color, FillRule, Paint, PathBuilder, Pixmap, Transform};

/// Side of the doodle in doodle units (and of the generator's input in pixels).
pub const DOODLE_SIZE: f32 = 256.0;

/// Brush sizes the UI allows, in doodle units.
pub const MIN_BRUSH: f32 = 1.0;
pub const MAX_BRUSH: f32 = 32.0;

/// Points are kept at the precision a share link carries (a quarter unit;
/// pressure in 64ths, so a mouse's 0.5 is exact), so that a shared doodle is
/// exactly the drawn one and paints the same.
pub const POSITION_STEPS: f32 = 4.0;
pub const PRESSURE_STEPS: f32 = 64.0;

pub const INK: Rgb = Rgb(0, 0, 0);
pub const PAPER: Rgb = Rgb(255, 255, 255);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rgb(pub u8, pub u8, pub u8);

/// What a new stroke does: ink, or paper over ink.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Tool {
    Brush,
    Eraser,
}

impl Tool {
    pub fn colour(self) -> Rgb {
        match self {
            Self::Brush => INK,
            Self::Eraser => PAPER,
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
    /// The eraser draws in [`PAPER`].
    pub colour: Rgb,
}

impl Stroke {
    pub fn new(width: f32, colour: Rgb) -> Self {
        Self {
            points: Vec::new(),
            width: width.clamp(MIN_BRUSH, MAX_BRUSH),
            colour,
        }
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

/// One undoable change to the doodle.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
enum Edit {
    Draw(Stroke),
    /// Holds the strokes that were cleared away.
    Clear(Vec<Stroke>),
    /// A whole doodle put in place of the page (opening a share link).
    Replace { before: Vec<Stroke>, after: Vec<Stroke> },
}

/// The strokes on the page and the history to undo and redo them.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Doodle {
    strokes: Vec<Stroke>,
    undo: Vec<Edit>,
    redo: Vec<Edit>,
}

impl Doodle {
    pub fn strokes(&self) -> &[Stroke] {
        &self.strokes
    }

    pub fn is_empty(&self) -> bool {
        self.strokes.is_empty()
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Adds a finished stroke. A new edit ends the redo history.
    pub fn add(&mut self, stroke: Stroke) {
        if stroke.points.is_empty() {
            return;
        }
        self.commit(Edit::Draw(stroke));
    }

    /// Clears the page, undoably. Clearing a blank page does nothing.
    pub fn clear(&mut self) {
        if !self.strokes.is_empty() {
            self.commit(Edit::Clear(self.strokes.clone()));
        }
    }

    /// Puts `strokes` in place of the page, undoably, so opening a shared
    /// doodle never loses the one that was there.
    pub fn replace(&mut self, strokes: Vec<Stroke>) {
        if strokes != self.strokes {
            self.commit(Edit::Replace { before: self.strokes.clone(), after: strokes });
        }
    }

    /// Returns whether anything was undone.
    pub fn undo(&mut self) -> bool {
        let Some(edit) = self.undo.pop() else {
            return false;
        };
        match &edit {
            Edit::Draw(_) => {
                self.strokes.pop();
            }
            Edit::Clear(before) | Edit::Replace { before, .. } => self.strokes = before.clone(),
        }
        self.redo.push(edit);
        true
    }

    /// Returns whether anything was redone.
    pub fn redo(&mut self) -> bool {
        let Some(edit) = self.redo.pop() else {
            return false;
        };
        self.apply(&edit);
        self.undo.push(edit);
        true
    }

    fn commit(&mut self, edit: Edit) {
        self.apply(&edit);
        self.undo.push(edit);
        self.redo.clear();
    }

    fn apply(&mut self, edit: &Edit) {
        match edit {
            Edit::Draw(stroke) => self.strokes.push(stroke.clone()),
            Edit::Clear(_) => self.strokes.clear(),
            Edit::Replace { after, .. } => self.strokes = after.clone(),
        }
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
        let Rgb(r, g, b) = stroke.colour;
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

    fn line(from: (f32, f32), to: (f32, f32), width: f32, colour: Rgb) -> Stroke {
        let mut stroke = Stroke::new(width, colour);
        for i in 0..=20 {
            let t = i as f32 / 20.0;
            stroke.push(Point {
                x: from.0 + (to.0 - from.0) * t,
                y: from.1 + (to.1 - from.1) * t,
                pressure: 0.5,
            });
        }
        stroke
    }

    fn pixel(rgba: &[u8], size: u32, x: u32, y: u32) -> [u8; 4] {
        let i = ((y * size + x) * 4) as usize;
        rgba[i..i + 4].try_into().unwrap()
    }

    fn ink_count(rgba: &[u8]) -> usize {
        rgba.chunks_exact(4).filter(|p| p[0] < 128).count()
    }

    #[test]
    fn replacing_the_page_is_undoable() {
        let mut doodle = Doodle::default();
        let mine = line((10.0, 10.0), (100.0, 10.0), 4.0, INK);
        let shared = line((10.0, 90.0), (200.0, 90.0), 6.0, INK);
        doodle.add(mine.clone());
        doodle.replace(vec![shared.clone()]);
        assert_eq!(doodle.strokes(), [shared.clone()]);
        assert!(doodle.undo());
        assert_eq!(doodle.strokes(), [mine.clone()], "undo brings my doodle back");
        assert!(doodle.redo());
        assert_eq!(doodle.strokes(), [shared.clone()]);
        // The same doodle again is no new edit.
        doodle.replace(vec![shared]);
        assert!(doodle.undo() && doodle.strokes() == [mine]);
    }

    #[test]
    fn undo_and_redo_walk_the_history() {
        let mut doodle = Doodle::default();
        let a = line((10.0, 10.0), (100.0, 10.0), 4.0, INK);
        let b = line((10.0, 50.0), (100.0, 50.0), 4.0, INK);
        doodle.add(a.clone());
        doodle.add(b.clone());
        assert_eq!(doodle.strokes(), [a.clone(), b.clone()]);

        assert!(doodle.undo());
        assert_eq!(doodle.strokes(), [a.clone()]);
        assert!(doodle.redo());
        assert_eq!(doodle.strokes(), [a.clone(), b.clone()]);
        assert!(!doodle.redo(), "nothing left to redo");

        assert!(doodle.undo());
        assert!(doodle.undo());
        assert!(doodle.is_empty());
        assert!(!doodle.undo(), "nothing left to undo");
        assert!(doodle.can_redo());
    }

    #[test]
    fn a_new_stroke_ends_the_redo_history() {
        let mut doodle = Doodle::default();
        doodle.add(line((0.0, 0.0), (9.0, 9.0), 3.0, INK));
        doodle.undo();
        doodle.add(line((5.0, 0.0), (9.0, 9.0), 3.0, INK));
        assert!(!doodle.can_redo());
        assert_eq!(doodle.strokes().len(), 1);
    }

    #[test]
    fn clear_is_undoable() {
        let mut doodle = Doodle::default();
        let a = line((10.0, 10.0), (100.0, 10.0), 4.0, INK);
        doodle.add(a.clone());
        doodle.clear();
        assert!(doodle.is_empty());
        doodle.undo();
        assert_eq!(doodle.strokes(), [a.clone()]);
        doodle.redo();
        assert!(doodle.is_empty());
        // Clearing a blank page adds nothing to undo.
        doodle.clear();
        doodle.undo();
        assert_eq!(doodle.strokes(), [a]);
    }

    #[test]
    fn empty_strokes_and_repeated_points_are_dropped() {
        let mut doodle = Doodle::default();
        doodle.add(Stroke::new(4.0, INK));
        assert!(!doodle.can_undo());
        let mut stroke = Stroke::new(4.0, INK);
        let p = Point { x: 3.0, y: 4.0, pressure: 0.5 };
        stroke.push(p);
        stroke.push(p);
        assert_eq!(stroke.points.len(), 1);
    }

    #[test]
    fn strokes_rasterise_where_they_were_drawn() {
        let stroke = line((20.0, 128.0), (236.0, 128.0), 6.0, INK);
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
        let stroke = line((20.0, 128.0), (236.0, 128.0), 6.0, INK);
        let small = ink_count(&rasterise([&stroke], 256));
        let large = ink_count(&rasterise(&[stroke], 512));
        let ratio = large as f32 / small as f32;
        assert!((3.6..4.4).contains(&ratio), "area ratio {ratio}");
    }

    #[test]
    fn a_single_tap_leaves_a_dot() {
        let mut dot = Stroke::new(8.0, INK);
        dot.push(Point { x: 64.0, y: 64.0, pressure: 0.5 });
        let rgba = rasterise(&[dot], 256);
        assert_eq!(pixel(&rgba, 256, 64, 64)[0], 0);
        assert!(ink_count(&rgba) > 20);
    }

    #[test]
    fn the_eraser_paints_paper_over_ink() {
        let ink = line((20.0, 128.0), (236.0, 128.0), 6.0, INK);
        let eraser = line((128.0, 100.0), (128.0, 156.0), 12.0, PAPER);
        let rgba = rasterise(&[ink, eraser], 256);
        assert_eq!(pixel(&rgba, 256, 128, 128), [255, 255, 255, 255], "erased");
        assert_eq!(pixel(&rgba, 256, 60, 128), [0, 0, 0, 255], "kept");
    }

    #[test]
    fn pen_pressure_changes_the_width() {
        let mut light = line((20.0, 128.0), (236.0, 128.0), 8.0, INK);
        let mut heavy = light.clone();
        light.points.iter_mut().for_each(|p| p.pressure = 0.1);
        heavy.points.iter_mut().for_each(|p| p.pressure = 1.0);
        let light_ink = ink_count(&rasterise(&[light], 256));
        let heavy_ink = ink_count(&rasterise(&[heavy], 256));
        assert!(heavy_ink > light_ink * 3 / 2, "{light_ink} vs {heavy_ink}");
    }

    #[test]
    fn brush_width_is_clamped() {
        assert_eq!(Stroke::new(1000.0, INK).width, MAX_BRUSH);
        assert_eq!(Stroke::new(0.0, INK).width, MIN_BRUSH);
    }
}
