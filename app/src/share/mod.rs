//! Share links: the doodle, its style and its brushwork's seed in the URL
//! fragment, so a link reproduces the painting with no server (fragments
//! never leave the browser).
//!
//! `#v1.<style id>.<data>[.<seed>]`: the seed (decimal) only when it is not
//! 0, so links from before it open as they did. A blend of two styles makes a
//! `v2` link, whose style part is `<style id>~<blended style id>~<percent>`:
//! links without one stay `v1`, which every version reads, and a version from
//! before blends says a `v2` link needs a newer app rather than calling it
//! damaged. Data is base64url (no padding) of the
//! raw-deflated strokes: point coordinates in quarter units and pressure in
//! 64ths (the precision strokes are kept at), delta-coded as zigzag varints, stored column by column
//! (all x steps, then all y steps, then all pressure steps) since runs of
//! similar numbers compress best together.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::protocol::Blend;
use ink::{DOODLE_SIZE, MAX_BRUSH, MIN_BRUSH, POSITION_STEPS, PRESSURE_STEPS, Point, Stroke, Tool};

/// Longest link we make. Fragments never reach a server, but some apps that
/// carry links truncate very long ones; a typical doodle needs 1-4 KB.
pub const MAX_LINK_CHARS: usize = 16_000;

/// Limits on what a link may ask the decoder to build, so a crafted link can
/// neither exhaust memory nor freeze the page.
const MAX_STROKES: usize = 10_000;
const MAX_POINTS: usize = 200_000;
const MAX_INFLATED: usize = 4 * MAX_POINTS;
const MAX_STYLE_CHARS: usize = 40;

const WIDTH_STEPS: f32 = 4.0;

/// What a link carries.
#[derive(Clone, Debug, PartialEq)]
pub struct Shared {
    pub style: String,
    pub blend: Option<Blend>,
    pub strokes: Vec<Stroke>,
    /// The brushwork's seed (0 in links from before there was one).
    pub seed: u64,
}

/// Why a link could not be read. Each message says what a person can do.
#[derive(Clone, Debug, PartialEq)]
pub enum ShareError {
    /// Not a link of ours (another fragment, or none).
    NotAShareLink,
    UnknownVersion(String),
    Damaged(&'static str),
    TooBig { chars: usize },
}

impl std::fmt::Display for ShareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::NotAShareLink => write!(f, "this link does not hold a doodle"),
            Self::UnknownVersion(version) => write!(
                f,
                "this link was made by another version of the app ({version}); reload to get the newest and try again"
            ),
            Self::Damaged(why) => write!(
                f,
                "this share link is damaged ({why}): it may have been cut short when it was copied; ask for the whole link"
            ),
            Self::TooBig { chars } => write!(
                f,
                "this doodle is too detailed for a link ({chars} characters, at most {MAX_LINK_CHARS}): export it as a PNG instead"
            ),
        }
    }
}

fn zigzag(n: i32) -> u32 {
    ((n << 1) ^ (n >> 31)) as u32
}

fn unzigzag(n: u32) -> i32 {
    ((n >> 1) as i32) ^ -((n & 1) as i32)
}

fn put_varint(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

struct Reader<'a> {
    bytes: &'a [u8],
}

impl Reader<'_> {
    fn byte(&mut self) -> Result<u8, ShareError> {
        let (&first, rest) = self.bytes.split_first().ok_or(ShareError::Damaged("it ends too soon"))?;
        self.bytes = rest;
        Ok(first)
    }

    fn varint(&mut self) -> Result<u32, ShareError> {
        let mut n = 0u32;
        for shift in (0..35).step_by(7) {
            let byte = self.byte()?;
            n |= ((byte & 0x7f) as u32).checked_shl(shift).ok_or(ShareError::Damaged("a number is too long"))?;
            if byte & 0x80 == 0 {
                return Ok(n);
            }
        }
        Err(ShareError::Damaged("a number is too long"))
    }

    fn signed(&mut self) -> Result<i32, ShareError> {
        self.varint().map(unzigzag)
    }
}

fn quantise(value: f32, steps: f32) -> i32 {
    (value * steps).round().clamp(-1e6, 1e6) as i32
}

/// The link fragment (with its `#`) for `strokes` in `style`, maybe blended,
/// with the brushwork's `seed`, or [`ShareError::TooBig`] if it would be
/// longer than [`MAX_LINK_CHARS`].
pub fn encode(style: &str, blend: Option<&Blend>, strokes: &[Stroke], seed: u64) -> Result<String, ShareError> {
    let strokes: Vec<&Stroke> = strokes.iter().filter(|s| !s.points.is_empty()).collect();
    let mut head = Vec::new();
    put_varint(&mut head, strokes.len() as u32);
    let (mut xs, mut ys, mut pressures) = (Vec::new(), Vec::new(), Vec::new());
    let (mut x, mut y, mut pressure) = (0, 0, 0);
    for stroke in &strokes {
        head.push(u8::from(stroke.tool == Tool::Eraser));
        head.push(quantise(stroke.width, WIDTH_STEPS).clamp(0, 255) as u8);
        put_varint(&mut head, stroke.points.len() as u32);
        for point in &stroke.points {
            let (qx, qy, qp) = (
                quantise(point.x, POSITION_STEPS),
                quantise(point.y, POSITION_STEPS),
                quantise(point.pressure, PRESSURE_STEPS),
            );
            put_varint(&mut xs, zigzag(qx - x));
            put_varint(&mut ys, zigzag(qy - y));
            put_varint(&mut pressures, zigzag(qp - pressure));
            (x, y, pressure) = (qx, qy, qp);
        }
    }
    let payload = [head, xs, ys, pressures].concat();
    let data = URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&payload, 9));
    let mut fragment = match blend {
        None => format!("#v1.{style}.{data}"),
        Some(Blend { to, percent }) => format!("#v2.{style}~{to}~{percent}.{data}"),
    };
    if seed != 0 {
        fragment += &format!(".{seed}");
    }
    if fragment.len() > MAX_LINK_CHARS {
        return Err(ShareError::TooBig { chars: fragment.len() });
    }
    Ok(fragment)
}

/// Reads a link fragment (with or without its `#`). Never panics, whatever
/// the input; anything malformed is a [`ShareError`].
pub fn decode(fragment: &str) -> Result<Shared, ShareError> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    // base64url has no '.', so the parts split unambiguously.
    let mut parts = fragment.splitn(4, '.');
    let version = parts.next().unwrap_or_default();
    if !version.starts_with('v') || version.len() > 8 {
        return Err(ShareError::NotAShareLink);
    }
    if version != "v1" && version != "v2" {
        return Err(ShareError::UnknownVersion(version.to_string()));
    }
    let (Some(look), Some(data)) = (parts.next(), parts.next()) else {
        return Err(ShareError::Damaged("parts are missing"));
    };
    let look: Vec<&str> = look.split('~').collect();
    let (style, blend) = match (version, &look[..]) {
        ("v1", [style]) => (*style, None),
        ("v2", [style, to, percent]) => {
            let percent = percent.parse().ok().filter(|p| (1..=100).contains(p));
            let percent = percent.ok_or(ShareError::Damaged("the blend's amount is not a percentage"))?;
            (*style, Some(Blend { to: style_id(to)?.to_string(), percent }))
        }
        _ => return Err(ShareError::Damaged("the style part is not one")),
    };
    let style = style_id(style)?;
    if fragment.len() > MAX_LINK_CHARS + 1 {
        return Err(ShareError::TooBig { chars: fragment.len() });
    }
    let compressed = URL_SAFE_NO_PAD.decode(data).map_err(|_| ShareError::Damaged("it has characters a link of ours never has"))?;
    let payload = miniz_oxide::inflate::decompress_to_vec_with_limit(&compressed, MAX_INFLATED)
        .map_err(|_| ShareError::Damaged("the drawing data does not unpack"))?;
    let strokes = read_strokes(&payload)?;
    let seed = match parts.next() {
        None => 0,
        Some(seed) => seed.parse().map_err(|_| ShareError::Damaged("the brushwork's seed is not a number"))?,
    };
    Ok(Shared { style: style.to_string(), blend, strokes, seed })
}

/// A style id as links write them (lower case and hyphens), whether or not
/// this version has that style: the page says so, not the codec.
fn style_id(id: &str) -> Result<&str, ShareError> {
    if id.is_empty() || id.len() > MAX_STYLE_CHARS || !id.bytes().all(|b| b.is_ascii_lowercase() || b == b'-') {
        return Err(ShareError::Damaged("the style name is not one"));
    }
    Ok(id)
}

fn read_strokes(payload: &[u8]) -> Result<Vec<Stroke>, ShareError> {
    let mut head = Reader { bytes: payload };
    let count = head.varint()? as usize;
    if count > MAX_STROKES {
        return Err(ShareError::Damaged("too many strokes"));
    }
    let mut shapes = Vec::with_capacity(count);
    let mut total = 0usize;
    for _ in 0..count {
        let eraser = match head.byte()? {
            0 => false,
            1 => true,
            _ => return Err(ShareError::Damaged("a stroke is neither ink nor eraser")),
        };
        let width = head.byte()? as f32 / WIDTH_STEPS;
        if !(MIN_BRUSH..=MAX_BRUSH).contains(&width) {
            return Err(ShareError::Damaged("a stroke's width is out of range"));
        }
        let points = head.varint()? as usize;
        total += points;
        if points == 0 || total > MAX_POINTS {
            return Err(ShareError::Damaged("a stroke has no points, or there are too many"));
        }
        shapes.push((eraser, width, points));
    }
    // The three columns follow the head; each holds one number per point.
    let mut columns = Reader { bytes: head.bytes };
    let mut column = |n: usize| -> Result<Vec<i32>, ShareError> { (0..n).map(|_| columns.signed()).collect() };
    let (dxs, dys, dps) = (column(total)?, column(total)?, column(total)?);
    if !columns.bytes.is_empty() {
        return Err(ShareError::Damaged("there is data after the drawing"));
    }
    let (mut x, mut y, mut pressure) = (0i32, 0i32, 0i32);
    let mut next = 0;
    let mut strokes = Vec::with_capacity(count);
    for (eraser, width, points) in shapes {
        let mut stroke = Stroke::new(width, if eraser { Tool::Eraser } else { Tool::Brush });
        for _ in 0..points {
            x = x.saturating_add(dxs[next]);
            y = y.saturating_add(dys[next]);
            pressure = pressure.saturating_add(dps[next]);
            next += 1;
            let limit = (4.0 * DOODLE_SIZE * POSITION_STEPS) as i32;
            if x.abs() > limit || y.abs() > limit || !(0..=PRESSURE_STEPS as i32).contains(&pressure) {
                return Err(ShareError::Damaged("a point lies far off the page"));
            }
            stroke.points.push(Point {
                x: x as f32 / POSITION_STEPS,
                y: y as f32 / POSITION_STEPS,
                pressure: pressure as f32 / PRESSURE_STEPS,
            });
        }
        strokes.push(stroke);
    }
    Ok(strokes)
}

#[cfg(target_arch = "wasm32")]
mod browser;
#[cfg(target_arch = "wasm32")]
pub use browser::{address_fragment, drop_address_fragment, link_with, share_or_copy};

#[cfg(test)]
mod tests;
