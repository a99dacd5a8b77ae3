//! The painting of a scene: flat shapes back to front with light, atmosphere,
//! glow and reflections, then a painted surface (oil dabs or watercolour
//! washes) and canvas texture.

use rand::Rng;
use tiny_skia::{
    Color, FillRule, GradientStop, LinearGradient, Paint, PathBuilder, Pixmap, Point, RadialGradient,
    Shader, SpreadMode, Stroke, Transform,
};

use super::palette::{C, Palette, mix, palette, scale};
use super::{House, MountainRange, P, Rng64, Scene, Tree, TreeKind, Water, ellipse, river_banks, rng};
use art::{RgbImage, Style};

/// What a pixel of a painting shows: the element painted last over it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum Element {
    Sky,
    Orb,
    Cloud,
    Mountain,
    Hills,
    Grass,
    Field,
    Water,
    Road,
    Rock,
    Bush,
    House,
    Trunk,
    Tree,
    Flower,
}

impl Element {
    pub const ALL: [Element; 15] = [
        Element::Sky,
        Element::Orb,
        Element::Cloud,
        Element::Mountain,
        Element::Hills,
        Element::Grass,
        Element::Field,
        Element::Water,
        Element::Road,
        Element::Rock,
        Element::Bush,
        Element::House,
        Element::Trunk,
        Element::Tree,
        Element::Flower,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Element::Sky => "sky",
            Element::Orb => "sun or moon",
            Element::Cloud => "cloud",
            Element::Mountain => "mountain",
            Element::Hills => "hills",
            Element::Grass => "grass",
            Element::Field => "field",
            Element::Water => "water",
            Element::Road => "road",
            Element::Rock => "rock",
            Element::Bush => "bush",
            Element::House => "house",
            Element::Trunk => "trunk",
            Element::Tree => "tree",
            Element::Flower => "flower",
        }
    }
}

/// The pixmap a painting is laid on, addressed in unit coordinates.
struct Surface {
    pixmap: Pixmap,
    size: f32,
    /// Where each element lies, when asked for: the same shapes, each filled
    /// with its element's number in red, without anti-aliasing. Glow,
    /// reflections and brushwork are effects, not elements.
    elements: Option<Pixmap>,
    /// The element the shapes being painted belong to; `None` for effects.
    element: Option<Element>,
}

fn color(c: C, alpha: f32) -> Color {
    Color::from_rgba(c[0].clamp(0.0, 1.0), c[1].clamp(0.0, 1.0), c[2].clamp(0.0, 1.0), alpha.clamp(0.0, 1.0))
        .expect("clamped colour")
}

fn solid(c: C, alpha: f32) -> Paint<'static> {
    let mut paint = Paint::default();
    paint.set_color(color(c, alpha));
    paint.anti_alias = true;
    paint
}

impl Surface {
    fn path(&self, points: &[P]) -> Option<tiny_skia::Path> {
        let mut pb = PathBuilder::new();
        let (x0, y0) = points.first()?;
        pb.move_to(x0 * self.size, y0 * self.size);
        for (x, y) in &points[1..] {
            pb.line_to(x * self.size, y * self.size);
        }
        pb.close();
        pb.finish()
    }

    /// Marks `path`'s pixels as the current element's.
    fn mark(&mut self, path: &tiny_skia::Path, stroke: Option<&Stroke>) {
        let (Some(elements), Some(element)) = (&mut self.elements, self.element) else { return };
        let mut paint = Paint::default();
        paint.set_color_rgba8(element as u8, 0, 0, 255);
        paint.anti_alias = false;
        match stroke {
            None => elements.fill_path(path, &paint, FillRule::Winding, Transform::identity(), None),
            Some(stroke) => elements.stroke_path(path, &paint, stroke, Transform::identity(), None),
        }
    }

    fn poly(&mut self, points: &[P], paint: &Paint) {
        if let Some(path) = self.path(points) {
            self.pixmap.fill_path(&path, paint, FillRule::Winding, Transform::identity(), None);
            self.mark(&path, None);
        }
    }

    fn ellipse(&mut self, cx: f32, cy: f32, rx: f32, ry: f32, paint: &Paint) {
        let s = self.size;
        if let Some(rect) = tiny_skia::Rect::from_xywh((cx - rx) * s, (cy - ry) * s, 2.0 * rx * s, 2.0 * ry * s) {
            if let Some(path) = PathBuilder::from_oval(rect) {
                self.pixmap.fill_path(&path, paint, FillRule::Winding, Transform::identity(), None);
                self.mark(&path, None);
            }
        }
    }

    fn line(&mut self, points: &[P], width: f32, paint: &Paint) {
        let mut pb = PathBuilder::new();
        let Some((x0, y0)) = points.first() else { return };
        pb.move_to(x0 * self.size, y0 * self.size);
        for (x, y) in &points[1..] {
            pb.line_to(x * self.size, y * self.size);
        }
        if let Some(path) = pb.finish() {
            let stroke = Stroke { width: width * self.size, line_cap: tiny_skia::LineCap::Round, ..Stroke::default() };
            self.pixmap.stroke_path(&path, paint, &stroke, Transform::identity(), None);
            self.mark(&path, Some(&stroke));
        }
    }

    fn vertical_gradient(&mut self, top: f32, bottom: f32, stops: &[(f32, C)], points: &[P]) {
        let stops = stops.iter().map(|(t, c)| GradientStop::new(*t, color(*c, 1.0))).collect();
        let shader = LinearGradient::new(
            Point::from_xy(0.0, top * self.size),
            Point::from_xy(0.0, bottom * self.size),
            stops,
            SpreadMode::Pad,
            Transform::identity(),
        );
        if let Some(shader) = shader {
            let paint = Paint { shader, anti_alias: true, ..Paint::default() };
            self.poly(points, &paint);
        }
    }

    fn glow(&mut self, x: f32, y: f32, radius: f32, c: C, alpha: f32) {
        let s = self.size;
        let shader = RadialGradient::new(
            Point::from_xy(x * s, y * s),
            Point::from_xy(x * s, y * s),
            radius * s,
            vec![GradientStop::new(0.0, color(c, alpha)), GradientStop::new(1.0, color(c, 0.0))],
            SpreadMode::Pad,
            Transform::identity(),
        );
        if let Some(shader @ Shader::RadialGradient(_)) = shader {
            let paint = Paint { shader, anti_alias: true, ..Paint::default() };
            let element = self.element.take();
            self.ellipse(x, y, radius, radius, &paint);
            self.element = element;
        }
    }
}

fn rect(x0: f32, y0: f32, x1: f32, y1: f32) -> Vec<P> {
    vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1)]
}

/// Paints `scene` in `style` at `size` x `size`. Deterministic for (scene, style, seed).
/// Elements are painted back to front, in a fixed order: it fixes the order of
/// the random numbers, so a seed always gives the same painting.
pub fn render_painting(scene: &Scene, style: Style, seed: u64, size: u32) -> RgbImage {
    paint(scene, style, seed, size, false).0
}

/// [`render_painting`], and the [`Element`] each pixel shows (row by row).
pub fn render_painting_and_elements(scene: &Scene, style: Style, seed: u64, size: u32) -> (RgbImage, Vec<Element>) {
    let (painting, elements) = paint(scene, style, seed, size, true);
    let elements = elements.expect("asked for").pixels().iter().map(|p| Element::ALL[usize::from(p.red())]).collect();
    (painting, elements)
}

fn paint(scene: &Scene, style: Style, seed: u64, size: u32, with_elements: bool) -> (RgbImage, Option<Pixmap>) {
    let pal = palette(style);
    let blank = || Pixmap::new(size, size).expect("size > 0");
    let mut p = Surface { pixmap: blank(), size: size as f32, elements: with_elements.then(blank), element: None };
    let mut rng = rng(seed, 1 + style.index() as u64);
    // The sun's side is lit; without a sun the light comes from the upper left.
    let sun_x = scene.orb.as_ref().map_or(0.2, |o| o.x);
    paint_sky(&mut p, scene, &pal, &mut rng);
    p.element = Some(Element::Mountain);
    for range in &scene.ranges {
        paint_mountains(&mut p, range, scene.horizon, sun_x, &pal, &mut rng);
    }
    if let Some(hills) = &scene.hills {
        p.element = Some(Element::Hills);
        paint_hills(&mut p, hills, scene.horizon, &pal);
    }
    paint_ground(&mut p, scene, &pal);
    p.element = Some(Element::Water);
    paint_water(&mut p, scene, &pal, &mut rng);
    if let Some((left, right)) = &scene.road {
        let mut outline = left.clone();
        outline.extend(right.iter().rev());
        p.element = Some(Element::Road);
        p.poly(&outline, &solid(pal.road, 0.95));
    }
    paint_rocks_and_bushes(&mut p, scene, sun_x, &pal);
    p.element = Some(Element::House);
    for house in &scene.houses {
        paint_house(&mut p, house, sun_x, &pal);
    }
    for tree in &scene.trees {
        paint_tree(&mut p, tree, sun_x, &pal);
    }
    p.element = Some(Element::Flower);
    for (i, &(x, y)) in scene.flowers.iter().enumerate() {
        p.ellipse(x, y, 0.008, 0.008, &solid(pal.flowers[i % 3], 1.0));
    }
    p.element = None;
    if pal.watercolour {
        washes(&mut p, &mut rng);
    } else {
        dabs(&mut p, &mut rng, scene.horizon);
    }
    (canvas_texture(&p.pixmap, &mut rng, pal.watercolour), p.elements)
}

/// The sky's gradient, stars (a starry night has faint ones too), the sun or
/// moon with its glow, and clouds with shaded undersides.
fn paint_sky(p: &mut Surface, scene: &Scene, pal: &Palette, rng: &mut Rng64) {
    let h = scene.horizon;
    p.element = Some(Element::Sky);
    p.vertical_gradient(0.0, h, &[(0.0, pal.sky_top), (1.0, pal.sky_horizon)], &rect(0.0, 0.0, 1.0, h + 0.02));
    if pal.starry {
        for _ in 0..60 {
            let (x, y) = (rng.random_range(0.0..1.0), rng.random_range(0.0..h * 0.8));
            p.ellipse(x, y, 0.0025, 0.0025, &solid(pal.star, rng.random_range(0.2..0.7)));
        }
    }
    for &(x, y) in &scene.stars {
        p.glow(x, y, 0.02, pal.star, 0.5);
        p.ellipse(x, y, 0.005, 0.005, &solid(pal.star, 0.95));
    }
    if let Some(orb) = &scene.orb {
        p.glow(orb.x, orb.y, orb.r * 4.5, pal.glow, 0.55);
        p.element = Some(Element::Orb);
        p.ellipse(orb.x, orb.y, orb.r, orb.r, &solid(pal.orb, 1.0));
    }
    p.element = Some(Element::Cloud);
    for cloud in &scene.clouds {
        for &(x, y, r) in &cloud.puffs {
            p.ellipse(x + r * 0.1, y + r * 0.25, r, r * 0.8, &solid(pal.cloud_shade, 0.9));
        }
        for &(x, y, r) in &cloud.puffs {
            p.ellipse(x - r * 0.05, y - r * 0.05, r * 0.9, r * 0.72, &solid(pal.cloud, 0.95));
        }
    }
}

/// One range: far ranges fade into the sky (atmospheric perspective); faces
/// turned to the sun are lit, and some ranges have snow.
fn paint_mountains(p: &mut Surface, range: &MountainRange, h: f32, sun_x: f32, pal: &Palette, rng: &mut Rng64) {
    let haze = 0.65 * (1.0 - range.nearness);
    let body = mix(pal.mountain, pal.sky_horizon, haze);
    let mut outline = range.ridge.clone();
    outline.extend([(1.02, h + 0.02), (-0.02, h + 0.02)]);
    p.vertical_gradient(
        outline.iter().map(|q| q.1).fold(1.0, f32::min),
        h,
        &[(0.0, body), (1.0, mix(body, pal.sky_horizon, 0.35))],
        &outline,
    );
    light_peaks(p, &range.ridge, &outline, h, sun_x, body);
    if let Some(snowline) = range.snow_line(h) {
        let mut snow: Vec<P> = range.ridge.clone();
        let bottom: Vec<P> = range
            .ridge
            .iter()
            .map(|&(x, y)| (x, y.max(snowline + rng.random_range(-0.015..0.015))))
            .collect();
        snow.extend(bottom.into_iter().rev());
        p.poly(&snow, &solid(mix(pal.snow, pal.sky_horizon, haze * 0.5), 0.95));
    }
}

/// Each peak has a face turned to the sun (lit) and one turned away
/// (shaded), clipped to the range's outline.
fn light_peaks(p: &mut Surface, ridge: &[P], outline: &[P], h: f32, sun_x: f32, body: C) {
    let Some(clip) = p.path(outline) else { return };
    let mut mask = tiny_skia::Mask::new(p.pixmap.width(), p.pixmap.height()).expect("size > 0");
    mask.fill_path(&clip, FillRule::Winding, true, Transform::identity());
    let side = if sun_x < 0.5 { -1.0 } else { 1.0 };
    for i in 1..ridge.len() - 1 {
        let (x, y) = ridge[i];
        let is_peak = ridge[i - 1].1 > y && ridge[i + 1].1 >= y;
        if !is_peak {
            continue;
        }
        let spread = (h - y) * 1.1;
        let lit = [(x, y), (x + side * spread, h + 0.02), (x + side * spread * 0.15, h + 0.02)];
        let dark = [(x, y), (x - side * spread, h + 0.02), (x - side * spread * 0.1, h + 0.02)];
        if let Some(path) = p.path(&lit) {
            p.pixmap.fill_path(&path, &solid(mix(body, [1.0, 1.0, 0.95], 0.25), 0.35), FillRule::Winding, Transform::identity(), Some(&mask));
        }
        if let Some(path) = p.path(&dark) {
            p.pixmap.fill_path(&path, &solid(scale(body, 0.7), 0.3), FillRule::Winding, Transform::identity(), Some(&mask));
        }
    }
}

fn paint_hills(p: &mut Surface, hills: &[P], h: f32, pal: &Palette) {
    let mut outline = hills.to_vec();
    outline.extend([(1.02, h + 0.03), (-0.02, h + 0.03)]);
    let top = hills.iter().map(|q| q.1).fold(1.0, f32::min);
    p.vertical_gradient(top, h + 0.03, &[(0.0, mix(pal.hill, [1.0, 1.0, 0.9], 0.12)), (1.0, scale(pal.hill, 0.85))], &outline);
}

/// Grass from the horizon down, and striped fields on it.
fn paint_ground(p: &mut Surface, scene: &Scene, pal: &Palette) {
    let h = scene.horizon;
    p.element = Some(Element::Grass);
    p.vertical_gradient(h, 1.0, &[(0.0, pal.grass_far), (1.0, pal.grass)], &rect(-0.01, h, 1.01, 1.01));
    p.element = Some(Element::Field);
    for &(top, bottom, stripes) in &scene.fields {
        for i in 0..stripes {
            let t0 = top + (bottom - top) * (i as f32 / stripes as f32).powf(0.8);
            let t1 = top + (bottom - top) * ((i + 1) as f32 / stripes as f32).powf(0.8);
            p.poly(&rect(-0.01, t0, 1.01, t1), &solid(pal.field[(i % 2) as usize], 0.85));
        }
    }
}

/// Rocks lit on the sun's side, and bushes of three rounded clumps.
fn paint_rocks_and_bushes(p: &mut Surface, scene: &Scene, sun_x: f32, pal: &Palette) {
    p.element = Some(Element::Rock);
    for rock in &scene.rocks {
        p.ellipse(rock.x, rock.y - rock.r * 0.4, rock.r, rock.r * 0.7, &solid(scale(pal.rock, 0.75), 1.0));
        let dx = if sun_x < rock.x { -0.3 } else { 0.3 } * rock.r;
        p.ellipse(rock.x + dx, rock.y - rock.r * 0.6, rock.r * 0.6, rock.r * 0.4, &solid(mix(pal.rock, [1.0; 3], 0.2), 0.9));
    }
    p.element = Some(Element::Bush);
    for bush in &scene.bushes {
        for (dx, dy, k) in [(-0.6, 0.0, 0.7), (0.6, 0.0, 0.7), (0.0, -0.35, 0.85)] {
            p.ellipse(bush.x + dx * bush.r, bush.y + (dy - 0.5) * bush.r, bush.r * k, bush.r * k * 0.8, &solid(scale(pal.broadleaf, 0.85), 1.0));
        }
        p.ellipse(bush.x - 0.2 * bush.r, bush.y - 0.8 * bush.r, bush.r * 0.45, bush.r * 0.3, &solid(mix(pal.broadleaf, [1.0, 1.0, 0.7], 0.2), 0.7));
    }
}

/// Walls with a shaded side, a roof, a door and a lit window.
fn paint_house(p: &mut Surface, house: &House, sun_x: f32, pal: &Palette) {
    let (x, y, w, hh) = (house.x, house.y, house.width, house.height);
    p.poly(&rect(x, y - hh, x + w, y), &solid(pal.wall, 1.0));
    let shaded = if sun_x < x + w / 2.0 { (x + w * 0.6, x + w) } else { (x, x + w * 0.4) };
    p.poly(&rect(shaded.0, y - hh, shaded.1, y), &solid(scale(pal.wall, 0.8), 0.6));
    p.poly(&[(x - w * 0.08, y - hh), (x + w / 2.0, y - hh - house.roof), (x + w * 1.08, y - hh)], &solid(pal.roof, 1.0));
    p.poly(&rect(x + w * 0.4, y - hh * 0.55, x + w * 0.6, y), &solid(scale(pal.trunk, 0.9), 1.0));
    p.poly(&rect(x + w * 0.12, y - hh * 0.75, x + w * 0.3, y - hh * 0.5), &solid(mix(pal.glow, pal.sky_top, 0.3), 1.0));
}

/// A trunk, and three tiers of a pine or a round crown, lit on the sun's side.
fn paint_tree(p: &mut Surface, tree: &Tree, sun_x: f32, pal: &Palette) {
    let (x, y, t) = (tree.x, tree.y, tree.height);
    p.element = Some(Element::Trunk);
    p.poly(&rect(x - t * 0.04, y - t * 0.35, x + t * 0.04, y), &solid(pal.trunk, 1.0));
    p.element = Some(Element::Tree);
    let lit_dx = if sun_x < x { -1.0 } else { 1.0 };
    match tree.kind {
        TreeKind::Pine => {
            for tier in 0..3 {
                let top = y - t * (1.0 - tier as f32 * 0.22);
                let base = y - t * (0.2 + (2 - tier) as f32 * 0.16);
                let half = t * (0.16 + tier as f32 * 0.06);
                p.poly(&[(x, top), (x + half, base), (x - half, base)], &solid(pal.pine, 1.0));
                p.poly(&[(x, top), (x + lit_dx * half, base), (x, base)], &solid(mix(pal.pine, [0.9, 1.0, 0.7], 0.18), 0.8));
            }
        }
        TreeKind::Broadleaf => {
            let (cy, r) = (y - t * 0.65, t * 0.32);
            p.ellipse(x, cy, r, r * 0.95, &solid(scale(pal.broadleaf, 0.85), 1.0));
            p.ellipse(x + lit_dx * r * 0.3, cy - r * 0.25, r * 0.6, r * 0.55, &solid(mix(pal.broadleaf, [1.0, 1.0, 0.7], 0.2), 0.85));
        }
    }
}

fn paint_water(p: &mut Surface, scene: &Scene, pal: &Palette, rng: &mut Rng64) {
    let h = scene.horizon;
    let light = mix(pal.water, pal.sky_horizon, 0.45);
    let (outline, top, bottom): (Vec<P>, f32, f32) = match &scene.water {
        None => return,
        Some(Water::Sea { shore }) => {
            let mut outline = vec![(-0.02, h), (1.02, h)];
            outline.extend(shore.iter().rev());
            (outline, h, shore.iter().map(|q| q.1).fold(h, f32::max))
        }
        Some(Water::Lake { cx, cy, rx, ry }) => (ellipse(*cx, *cy, *rx, *ry, 40), cy - ry, cy + ry),
        Some(Water::River { centre, width }) => {
            let (mut outline, right) = river_banks(centre, *width, h);
            outline.extend(right.into_iter().rev());
            (outline, h, 1.02)
        }
    };
    p.vertical_gradient(top, bottom, &[(0.0, light), (1.0, pal.water)], &outline);
    // Reflections: the sun's column and the mountains' mirror image.
    if !matches!(scene.water, Some(Water::River { .. })) {
        let Some(clip) = p.path(&outline) else { return };
        let mut mask = tiny_skia::Mask::new(p.pixmap.width(), p.pixmap.height()).expect("size > 0");
        mask.fill_path(&clip, FillRule::Winding, true, Transform::identity());
        let mut layer = Surface { pixmap: Pixmap::new(p.pixmap.width(), p.pixmap.height()).expect("size > 0"), size: p.size, elements: None, element: None };
        for range in &scene.ranges {
            let mirrored: Vec<P> = range.ridge.iter().map(|&(x, y)| (x, 2.0 * h - y)).chain([(1.02, h), (-0.02, h)]).collect();
            layer.poly(&mirrored, &solid(mix(pal.mountain, pal.water, 0.5), 0.45));
        }
        if let Some(orb) = &scene.orb {
            let mut y = top + 0.005;
            while y < bottom {
                let w = orb.r * rng.random_range(0.5..1.4);
                layer.line(&[(orb.x - w, y), (orb.x + w, y)], 0.006, &solid(pal.glow, 0.55));
                y += rng.random_range(0.008..0.02);
            }
        }
        for _ in 0..40 {
            let (x, y) = (rng.random_range(0.0..1.0), rng.random_range(top..bottom));
            let w = rng.random_range(0.02..0.06);
            layer.line(&[(x, y), (x + w, y)], 0.003, &solid(mix(light, [1.0; 3], 0.3), 0.5));
        }
        p.pixmap.draw_pixmap(0, 0, layer.pixmap.as_ref(), &tiny_skia::PixmapPaint::default(), Transform::identity(), Some(&mask));
    }
    if let Some(Water::Sea { shore }) = &scene.water {
        p.line(shore, 0.006, &solid(mix(pal.road, [1.0; 3], 0.3), 0.7));
    }

}

fn pixel(pixmap: &Pixmap, x: f32, y: f32) -> C {
    let (w, h) = (pixmap.width() as i32, pixmap.height() as i32);
    let (xi, yi) = ((x as i32).clamp(0, w - 1), (y as i32).clamp(0, h - 1));
    let c = pixmap.pixel(xi as u32, yi as u32).expect("in bounds").demultiply();
    [c.red() as f32 / 255.0, c.green() as f32 / 255.0, c.blue() as f32 / 255.0]
}

/// Oil: short opaque dabs that take the colour beneath, slightly varied,
/// laid horizontally in sky and water and at random angles on the land.
fn dabs(p: &mut Surface, rng: &mut Rng64, horizon: f32) {
    let s = p.size;
    let count = (s * s / 46.0) as usize;
    for _ in 0..count {
        let (x, y) = (rng.random_range(0.0..s), rng.random_range(0.0..s));
        let c = scale(pixel(&p.pixmap, x, y), rng.random_range(0.9..1.1));
        let angle: f32 = if y < horizon * s { rng.random_range(-0.25..0.25) } else { rng.random_range(-1.2..1.2) };
        // Larger dabs in the foreground, finer ones far away.
        let near = 0.7 + 0.8 * y / s;
        let len = s * rng.random_range(0.012..0.03) * near;
        let (dx, dy) = (angle.cos() * len / 2.0, angle.sin() * len / 2.0);
        let mut pb = PathBuilder::new();
        pb.move_to(x - dx, y - dy);
        pb.line_to(x + dx, y + dy);
        if let Some(path) = pb.finish() {
            let stroke = Stroke { width: s * rng.random_range(0.006..0.012) * near, line_cap: tiny_skia::LineCap::Round, ..Stroke::default() };
            p.pixmap.stroke_path(&path, &solid(c, 0.55), &stroke, Transform::identity(), None);
        }
    }
}

/// Watercolour: soft translucent blooms of the colour beneath.
fn washes(p: &mut Surface, rng: &mut Rng64) {
    let s = p.size;
    for _ in 0..(s * s / 500.0) as usize {
        let (x, y) = (rng.random_range(0.0..s), rng.random_range(0.0..s));
        let c = scale(pixel(&p.pixmap, x, y), rng.random_range(0.85..1.05));
        let r = rng.random_range(0.015..0.05);
        p.ellipse(x / s, y / s, r, r * rng.random_range(0.6..1.0), &solid(c, 0.18));
    }
}

/// A coarse grid of random values, smoothly interpolated: the uneven density
/// of a watercolour wash.
fn blotches(rng: &mut Rng64, width: usize) -> impl Fn(usize, usize) -> f32 + use<> {
    const CELLS: usize = 9;
    let grid: Vec<f32> = (0..(CELLS + 1) * (CELLS + 1)).map(|_| rng.random_range(-1.0..1.0)).collect();
    let cell = width as f32 / CELLS as f32;
    move |x, y| {
        let (fx, fy) = (x as f32 / cell, y as f32 / cell);
        let (ix, iy) = ((fx as usize).min(CELLS - 1), (fy as usize).min(CELLS - 1));
        let (tx, ty) = (fx - ix as f32, fy - iy as f32);
        let (tx, ty) = (tx * tx * (3.0 - 2.0 * tx), ty * ty * (3.0 - 2.0 * ty));
        let g = |i: usize, j: usize| grid[j * (CELLS + 1) + i];
        let top = g(ix, iy) + (g(ix + 1, iy) - g(ix, iy)) * tx;
        let bottom = g(ix, iy + 1) + (g(ix + 1, iy + 1) - g(ix, iy + 1)) * tx;
        top + (bottom - top) * ty
    }
}

/// Soft edges for watercolour: each pixel averaged with its four neighbours,
/// and darker where two washes meet (pigment gathers at a wash's wet edge).
fn soften(rgb: &[[f32; 3]], width: usize) -> Vec<[f32; 3]> {
    (0..rgb.len())
        .map(|i| {
            let (x, y) = (i % width, i / width);
            let mut sum = rgb[i];
            for (nx, ny) in [(x.wrapping_sub(1), y), (x + 1, y), (x, y.wrapping_sub(1)), (x, y + 1)] {
                let n = if nx < width && ny < width { rgb[ny * width + nx] } else { rgb[i] };
                for k in 0..3 {
                    sum[k] += n[k];
                }
            }
            let soft = sum.map(|v| v / 5.0);
            let edge = (0..3).map(|k| (rgb[i][k] - soft[k]).abs()).fold(0.0, f32::max);
            soft.map(|v| v * (1.0 - (edge * 1.5).min(0.25)))
        })
        .collect()
}

/// Canvas weave (oil) or soft, blotchy washes on grained paper (watercolour),
/// and the final RGB image.
fn canvas_texture(pixmap: &Pixmap, rng: &mut Rng64, paper: bool) -> RgbImage {
    let width = pixmap.width() as usize;
    let mut rgb: Vec<[f32; 3]> = pixmap
        .pixels()
        .iter()
        .map(|px| {
            let c = px.demultiply();
            [c.red() as f32 / 255.0, c.green() as f32 / 255.0, c.blue() as f32 / 255.0]
        })
        .collect();
    if paper {
        rgb = soften(&rgb, width);
    }
    let wash = blotches(rng, width);
    let mut pixels = Vec::with_capacity(width * width * 3);
    let mut noise = rng.random::<u32>() | 1;
    for (i, c) in rgb.iter().enumerate() {
        let (x, y) = (i % width, i / width);
        // xorshift: cheap per-pixel grain, deterministic from the seed.
        noise ^= noise << 13;
        noise ^= noise >> 17;
        noise ^= noise << 5;
        let grain = (noise & 255) as f32 / 255.0 - 0.5;
        let weave = if paper { 0.0 } else { ((x % 3 == 0) as u8 as f32 + (y % 3 == 0) as u8 as f32) * 0.025 - 0.017 };
        let k = 1.0 + weave + grain * if paper { 0.07 } else { 0.04 };
        // Where the wash is thin, more of the white paper shows through.
        let paper_through = if paper { 0.12 + 0.1 * wash(x, y) } else { 0.0 };
        for v in c {
            let v = v * (1.0 - paper_through) + paper_through;
            pixels.push((v * k * 255.0).round().clamp(0.0, 255.0) as u8);
        }
    }
    RgbImage { width, height: width, pixels }
}
