//! Time-lapses: a drawing played back stroke by stroke, its painting growing
//! beside it. The worker paints one frame per step (Replay shows them as they
//! come) and encodes them as an animated GIF (Save time-lapse), which every
//! browser and chat app plays.

use art::{IMAGE_SIZE, RgbImage};

/// At most this many steps of strokes, whatever their number, so a
/// time-lapse takes a few seconds to make and to watch.
pub const MAX_STEPS: usize = 36;
/// Hundredths of a second: the strokes play in about this long...
pub const PLAY_CENTIS: u16 = 300;
/// ...then the finished painting stays this long before the loop starts again.
pub const HOLD_CENTIS: u16 = 200;
/// A frame: the doodle on the left, its painting on the right.
pub const FRAME_WIDTH: usize = 2 * IMAGE_SIZE;
pub const FRAME_HEIGHT: usize = IMAGE_SIZE;

/// How many strokes each frame shows: the blank page, then steps evenly
/// spread up to every stroke (each stroke its own step when they are few).
pub fn stroke_counts(strokes: usize) -> Vec<usize> {
    let steps = strokes.min(MAX_STEPS);
    (0..=steps).map(|step| (step * strokes).div_ceil(steps.max(1))).collect()
}

/// Each frame's delay in hundredths of a second: the steps share
/// [`PLAY_CENTIS`] (at least 6 each: browsers slow down shorter delays), the
/// last frame holds for [`HOLD_CENTIS`].
pub fn delays(frames: usize) -> Vec<u16> {
    let step = (PLAY_CENTIS / frames.saturating_sub(1).max(1) as u16).max(6);
    (0..frames).map(|i| if i + 1 == frames { HOLD_CENTIS } else { step }).collect()
}

/// One frame, RGBA: the doodle (`IMAGE_SIZE` square RGBA) beside its painting.
pub fn frame(doodle_rgba: &[u8], painting: &RgbImage) -> Vec<u8> {
    let painting = painting.to_rgba();
    let row = IMAGE_SIZE * 4;
    let mut out = Vec::with_capacity(FRAME_WIDTH * FRAME_HEIGHT * 4);
    for (doodle_row, painting_row) in doodle_rgba.chunks_exact(row).zip(painting.chunks_exact(row)) {
        out.extend_from_slice(doodle_row);
        out.extend_from_slice(painting_row);
    }
    out
}

/// Writes frames (RGBA, [`FRAME_WIDTH`] x [`FRAME_HEIGHT`]) into a looping
/// animated GIF, one at a time so the worker can report progress.
pub struct GifWriter {
    encoder: gif::Encoder<Vec<u8>>,
}

impl GifWriter {
    pub fn new() -> Result<Self, String> {
        let mut encoder = gif::Encoder::new(Vec::new(), FRAME_WIDTH as u16, FRAME_HEIGHT as u16, &[]).map_err(|e| e.to_string())?;
        encoder.set_repeat(gif::Repeat::Infinite).map_err(|e| e.to_string())?;
        Ok(Self { encoder })
    }

    /// Adds a frame shown for `delay` hundredths of a second. Each frame
    /// gets its own 256-colour palette (NeuQuant at speed 10: what the eye
    /// cannot tell from the best, in a tenth of its time).
    pub fn add(&mut self, mut rgba: Vec<u8>, delay: u16) -> Result<(), String> {
        if rgba.len() != FRAME_WIDTH * FRAME_HEIGHT * 4 {
            return Err("a time-lapse frame has the wrong size".into());
        }
        let mut frame = gif::Frame::from_rgba_speed(FRAME_WIDTH as u16, FRAME_HEIGHT as u16, &mut rgba, 10);
        frame.delay = delay;
        self.encoder.write_frame(&frame).map_err(|e| e.to_string())
    }

    /// The GIF file.
    pub fn finish(self) -> Result<Vec<u8>, String> {
        self.encoder.into_inner().map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_few_strokes_play_one_by_one_and_many_in_at_most_max_steps() {
        assert_eq!(stroke_counts(0), [0]);
        assert_eq!(stroke_counts(3), [0, 1, 2, 3]);
        let many = stroke_counts(500);
        assert_eq!(many.len(), MAX_STEPS + 1);
        assert_eq!((many[0], many[MAX_STEPS]), (0, 500));
        assert!(many.windows(2).all(|w| w[1] > w[0]), "every frame adds strokes");
        // A time-lapse lasts a few seconds whatever the number of strokes.
        for strokes in [1, 3, 36, 500] {
            let total: u32 = delays(stroke_counts(strokes).len()).iter().map(|&d| u32::from(d)).sum();
            assert!((300..=600).contains(&total), "{strokes} strokes: {total} cs");
        }
    }

    #[test]
    fn frames_are_doodle_then_painting_and_the_gif_plays_them_in_a_loop() {
        let doodle = vec![255u8; IMAGE_SIZE * IMAGE_SIZE * 4];
        let painting = |shade: u8| RgbImage { width: IMAGE_SIZE, height: IMAGE_SIZE, pixels: vec![shade; IMAGE_SIZE * IMAGE_SIZE * 3] };
        let frames: Vec<Vec<u8>> = [30, 90, 200].into_iter().map(|shade| frame(&doodle, &painting(shade))).collect();
        assert_eq!(frames[0].len(), FRAME_WIDTH * FRAME_HEIGHT * 4);
        // Row 10: the doodle's white, then the painting.
        let at = |x: usize| &frames[1][(10 * FRAME_WIDTH + x) * 4..][..4];
        assert_eq!((at(IMAGE_SIZE - 1), at(IMAGE_SIZE)), (&[255, 255, 255, 255][..], &[90, 90, 90, 255][..]));

        let mut gif = GifWriter::new().unwrap();
        for (frame, delay) in frames.iter().zip(delays(3)) {
            gif.add(frame.clone(), delay).unwrap();
        }
        assert!(gif.add(vec![0; 16], 10).is_err());
        let bytes = gif.finish().unwrap();

        let mut options = gif::DecodeOptions::new();
        options.set_color_output(gif::ColorOutput::RGBA);
        let mut decoder = options.read_info(&bytes[..]).unwrap();
        assert_eq!((decoder.width() as usize, decoder.height() as usize), (FRAME_WIDTH, FRAME_HEIGHT));
        assert_eq!(decoder.repeat(), gif::Repeat::Infinite);
        let mut shown = Vec::new();
        while let Some(frame) = decoder.read_next_frame().unwrap() {
            let right = &frame.buffer[(10 * FRAME_WIDTH + 300) * 4..][..3];
            shown.push((frame.delay, right[0]));
        }
        assert_eq!(shown, [(150, 30), (150, 90), (HOLD_CENTIS, 200)]);
    }
}
