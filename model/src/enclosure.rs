//! What a doodle's lines enclose: the inside of a house's walls, a crown's
//! outline, a lake's shore. A convolution sees a few pixels around it, so
//! deep in a large shape nothing tells it that it is inside one, and a
//! network painted outlines with the background inside them (ghosts). Which
//! pixels no path from the page's edge reaches without crossing a line is a
//! question of the whole page: it is answered here, once per doodle, and
//! handed to the network beside the doodle.

use art::RgbImage;

/// Pixels darker than this (0-255, the mean of the channels) are ink.
const INK_BELOW: u16 = 128;

/// Gaps in a line up to twice this many pixels wide are closed: a hand
/// lifts the pen, or ends a shape a little short of where it began.
const CLOSING: usize = 3;

/// One value per pixel, row by row: 1 where the doodle's lines enclose the
/// pixel (the lines themselves excluded), 0 elsewhere.
pub fn enclosed(doodle: &RgbImage) -> Vec<f32> {
    let (width, height) = (doodle.width, doodle.height);
    let ink: Vec<bool> = doodle
        .pixels
        .chunks_exact(3)
        .map(|rgb| rgb.iter().map(|&v| u16::from(v)).sum::<u16>() < 3 * INK_BELOW)
        .collect();
    // Lines thickened so small gaps close, then the paper the page's edge
    // reaches around them, then that grown back to the lines.
    let walls = dilated(&ink, width, height, CLOSING);
    let outside = dilated(&reached_from_edge(&walls, width, height), width, height, CLOSING);
    ink.iter()
        .zip(&outside)
        .map(|(&ink, &outside)| if ink || outside { 0.0 } else { 1.0 })
        .collect()
}

/// `mask` grown by `radius` pixels in every direction (a square): a pixel
/// is set where its row's window holds one, in the rows' window of that.
/// Windows keep running counts, so the radius costs nothing.
fn dilated(mask: &[bool], width: usize, height: usize, radius: usize) -> Vec<bool> {
    let mut rows = vec![false; mask.len()];
    for y in 0..height {
        let row = &mask[y * width..(y + 1) * width];
        // Set pixels in the window x - radius ..= x + radius.
        let mut count = row[..radius.min(width)].iter().filter(|&&m| m).count();
        for x in 0..width {
            if x + radius < width && row[x + radius] {
                count += 1;
            }
            if x > radius && row[x - radius - 1] {
                count -= 1;
            }
            rows[y * width + x] = count > 0;
        }
    }
    let mut out = vec![false; mask.len()];
    let mut counts = vec![0u32; width];
    for y in 0..radius.min(height) {
        for (count, &m) in counts.iter_mut().zip(&rows[y * width..(y + 1) * width]) {
            *count += u32::from(m);
        }
    }
    for y in 0..height {
        if y + radius < height {
            for (count, &m) in counts.iter_mut().zip(&rows[(y + radius) * width..(y + radius + 1) * width]) {
                *count += u32::from(m);
            }
        }
        if y > radius {
            for (count, &m) in counts.iter_mut().zip(&rows[(y - radius - 1) * width..(y - radius) * width]) {
                *count -= u32::from(m);
            }
        }
        for (o, &count) in out[y * width..(y + 1) * width].iter_mut().zip(&counts) {
            *o = count > 0;
        }
    }
    out
}

/// The pixels outside `walls` that a path from the page's edge reaches
/// (steps up, down, left and right).
fn reached_from_edge(walls: &[bool], width: usize, height: usize) -> Vec<bool> {
    let mut reached = vec![false; walls.len()];
    let mut pending: Vec<usize> = (0..width)
        .flat_map(|x| [x, (height - 1) * width + x])
        .chain((0..height).flat_map(|y| [y * width, y * width + width - 1]))
        .collect();
    while let Some(i) = pending.pop() {
        if reached[i] || walls[i] {
            continue;
        }
        reached[i] = true;
        let (x, y) = (i % width, i / width);
        if x > 0 {
            pending.push(i - 1);
        }
        if x + 1 < width {
            pending.push(i + 1);
        }
        if y > 0 {
            pending.push(i - width);
        }
        if y + 1 < height {
            pending.push(i + width);
        }
    }
    reached
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIZE: usize = 64;

    /// A white page with black pixels where `ink` says.
    fn page(ink: impl Fn(usize, usize) -> bool) -> RgbImage {
        let pixels = (0..SIZE * SIZE).flat_map(|i| [if ink(i % SIZE, i / SIZE) { 0 } else { 255 }; 3]).collect();
        RgbImage { width: SIZE, height: SIZE, pixels }
    }

    /// A square outline two pixels wide from 10 to 50, with a gap of `gap`
    /// pixels in its top side.
    fn square(gap: usize) -> RgbImage {
        page(|x, y| {
            let on_side = |v: usize| (10..12).contains(&v) || (48..50).contains(&v);
            let within = |v: usize| (10..50).contains(&v);
            let in_gap = (y < 12) && (30..30 + gap).contains(&x);
            within(x) && within(y) && (on_side(x) || on_side(y)) && !in_gap
        })
    }

    fn at(values: &[f32], x: usize, y: usize) -> f32 {
        values[y * SIZE + x]
    }

    #[test]
    fn a_closed_outline_encloses_its_inside_and_nothing_else() {
        let inside = enclosed(&square(0));
        assert_eq!(at(&inside, 30, 30), 1.0, "the middle");
        assert_eq!(at(&inside, 13, 13), 1.0, "just inside a corner");
        assert_eq!(at(&inside, 5, 30), 0.0, "outside");
        assert_eq!(at(&inside, 10, 30), 0.0, "the line itself");
        assert_eq!(inside.iter().sum::<f32>(), 36.0 * 36.0, "exactly the inside");
    }

    #[test]
    fn a_gap_a_hand_leaves_is_closed_but_an_open_shape_stays_open() {
        let small_gap = enclosed(&square(5));
        assert_eq!(at(&small_gap, 30, 30), 1.0);
        // Paper just inside the gap is still inside, not a notch of outside.
        assert_eq!(at(&small_gap, 32, 14), 1.0);
        let open = enclosed(&square(12));
        assert_eq!(open.iter().sum::<f32>(), 0.0, "a side a third missing encloses nothing");
    }

    #[test]
    fn a_line_from_edge_to_edge_or_a_blank_page_encloses_nothing() {
        assert_eq!(enclosed(&page(|_, _| false)).iter().sum::<f32>(), 0.0);
        // A horizon cuts the page in two, but both halves touch its edge.
        assert_eq!(enclosed(&page(|_, y| y == 30)).iter().sum::<f32>(), 0.0);
    }
}
