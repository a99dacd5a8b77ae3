//! PNG files in and out (feature `png`), for the native commands. A doodle
//! may come in any size, shape, colour or transparency: it becomes the
//! generator's input, dark lines on white, square and 256 x 256.

use std::path::Path;

use tiny_skia::{Color, FilterQuality, IntSize, Pixmap, PixmapPaint, Transform};

use crate::{IMAGE_SIZE, RgbImage};

/// Reads any PNG as a doodle: transparency over white paper, colours to grey
/// (the model knows ink, not colour), fitted into a white square without
/// stretching, and resized to the generator's input size.
pub fn read_doodle(path: &Path) -> Result<RgbImage, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let image = Pixmap::decode_png(&bytes).map_err(|e| format!("{}: not a PNG image we can read ({e})", path.display()))?;
    Ok(fit_doodle(&image, IMAGE_SIZE as u32))
}

/// `image` on white, centred in a `size` x `size` square, greyscale.
pub fn fit_doodle(image: &Pixmap, size: u32) -> RgbImage {
    let mut page = Pixmap::new(size, size).expect("size > 0");
    page.fill(Color::WHITE);
    let scale = size as f32 / image.width().max(image.height()) as f32;
    let (dx, dy) = ((size as f32 - image.width() as f32 * scale) / 2.0, (size as f32 - image.height() as f32 * scale) / 2.0);
    // Bicubic when shrinking keeps thin lines from breaking up.
    let paint = PixmapPaint { quality: FilterQuality::Bicubic, ..PixmapPaint::default() };
    page.draw_pixmap(0, 0, image.as_ref(), &paint, Transform::from_row(scale, 0.0, 0.0, scale, dx, dy), None);
    let pixels = page
        .pixels()
        .iter()
        .flat_map(|p| {
            let c = p.demultiply();
            let grey = (0.299 * c.red() as f32 + 0.587 * c.green() as f32 + 0.114 * c.blue() as f32).round() as u8;
            [grey; 3]
        })
        .collect();
    RgbImage { width: size as usize, height: size as usize, pixels }
}

/// `image` as a tiny-skia pixmap, for drawing sheets.
pub fn to_pixmap(image: &RgbImage) -> Pixmap {
    let size = IntSize::from_wh(image.width as u32, image.height as u32).expect("image is not empty");
    Pixmap::from_vec(image.to_rgba(), size).expect("the RGBA buffer matches the size")
}

/// Writes `image` as a PNG file.
pub fn write(image: &RgbImage, path: &Path) -> Result<(), String> {
    to_pixmap(image).save_png(path).map_err(|e| format!("{}: {e}", path.display()))
}
