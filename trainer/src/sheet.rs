//! Contact sheets: images side by side in a PNG, for people to look at.

use model::RgbImage;
use model::png::to_pixmap;
use tiny_skia::{Color, FilterQuality, Pixmap, PixmapPaint, Transform};

/// Lays out `rows`, each a list of groups of square images (a doodle and its
/// paintings, say), every image scaled to `size` px: `gap` px between images,
/// twice that between groups, on dark grey.
pub fn sheet(rows: &[Vec<Vec<&RgbImage>>], size: u32, gap: u32) -> Result<Pixmap, String> {
    let cell = size + gap;
    let widest = rows.iter().map(|groups| (groups.len() as u32, groups.iter().map(Vec::len).sum::<usize>() as u32)).max_by_key(|&(_, n)| n);
    let (groups, columns) = widest.unwrap_or((0, 0));
    let mut sheet = Pixmap::new(columns * cell + gap * groups.max(1), rows.len() as u32 * cell + gap).ok_or("sheet too large or empty")?;
    sheet.fill(Color::from_rgba8(50, 50, 50, 255));
    let paint = PixmapPaint { quality: FilterQuality::Bicubic, ..PixmapPaint::default() };
    for (row, groups) in rows.iter().enumerate() {
        let mut column = 0;
        for (group, images) in groups.iter().enumerate() {
            for image in images {
                let x = gap + column * cell + group as u32 * gap;
                let y = gap + row as u32 * cell;
                let scale = size as f32 / image.width as f32;
                let at = Transform::from_row(scale, 0.0, 0.0, scale, x as f32, y as f32);
                sheet.draw_pixmap(0, 0, to_pixmap(image).as_ref(), &paint, at, None);
                column += 1;
            }
        }
    }
    Ok(sheet)
}
