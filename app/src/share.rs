//! Share links: the doodle and its style in the URL fragment, so a link
//! reproduces the painting with no server (fragments never leave the browser).
//!
//! `#v1.<style id>.<data>`, where data is base64url (no padding) of the
//! raw-deflated strokes: point coordinates in quarter units and pressure in
//! 64ths (the precision strokes are kept at), delta-coded as zigzag varints, stored column by column
//! (all x steps, then all y steps, then all pressure steps) since runs of
//! similar numbers compress best together.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::doodle::{INK, MAX_BRUSH, MIN_BRUSH, PAPER, POSITION_STEPS, PRESSURE_STEPS, Point, Stroke};

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
    pub strokes: Vec<Stroke>,
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

/// The link fragment (with its `#`) for `strokes` in `style`, or
/// [`ShareError::TooBig`] if it would be longer than [`MAX_LINK_CHARS`].
pub fn encode(style: &str, strokes: &[Stroke]) -> Result<String, ShareError> {
    let strokes: Vec<&Stroke> = strokes.iter().filter(|s| !s.points.is_empty()).collect();
    let mut head = Vec::new();
    put_varint(&mut head, strokes.len() as u32);
    let (mut xs, mut ys, mut pressures) = (Vec::new(), Vec::new(), Vec::new());
    let (mut x, mut y, mut pressure) = (0, 0, 0);
    for stroke in &strokes {
        head.push(u8::from(stroke.colour == PAPER));
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
    let fragment = format!("#v1.{style}.{data}");
    if fragment.len() > MAX_LINK_CHARS {
        return Err(ShareError::TooBig { chars: fragment.len() });
    }
    Ok(fragment)
}

/// Reads a link fragment (with or without its `#`). Never panics, whatever
/// the input; anything malformed is a [`ShareError`].
pub fn decode(fragment: &str) -> Result<Shared, ShareError> {
    let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
    let mut parts = fragment.splitn(3, '.');
    let version = parts.next().unwrap_or_default();
    if !version.starts_with('v') || version.len() > 8 {
        return Err(ShareError::NotAShareLink);
    }
    if version != "v1" {
        return Err(ShareError::UnknownVersion(version.to_string()));
    }
    let (Some(style), Some(data)) = (parts.next(), parts.next()) else {
        return Err(ShareError::Damaged("parts are missing"));
    };
    if style.is_empty() || style.len() > MAX_STYLE_CHARS || !style.bytes().all(|b| b.is_ascii_lowercase() || b == b'-') {
        return Err(ShareError::Damaged("the style name is not one"));
    }
    if fragment.len() > MAX_LINK_CHARS + 1 {
        return Err(ShareError::TooBig { chars: fragment.len() });
    }
    let compressed = URL_SAFE_NO_PAD.decode(data).map_err(|_| ShareError::Damaged("it has characters a link of ours never has"))?;
    let payload = miniz_oxide::inflate::decompress_to_vec_with_limit(&compressed, MAX_INFLATED)
        .map_err(|_| ShareError::Damaged("the drawing data does not unpack"))?;
    let strokes = read_strokes(&payload)?;
    Ok(Shared { style: style.to_string(), strokes })
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
        let mut stroke = Stroke::new(width, if eraser { PAPER } else { INK });
        for _ in 0..points {
            x = x.saturating_add(dxs[next]);
            y = y.saturating_add(dys[next]);
            pressure = pressure.saturating_add(dps[next]);
            next += 1;
            let limit = (4.0 * crate::doodle::DOODLE_SIZE * POSITION_STEPS) as i32;
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A stroke as a hand with a mouse makes it: a point every few units along
    /// a wandering curve.
    fn hand_stroke(seed: u32, points: usize, width: f32, eraser: bool) -> Stroke {
        let mut stroke = Stroke::new(width, if eraser { PAPER } else { INK });
        let (mut x, mut y) = (20.0 + (seed * 37 % 200) as f32, 20.0 + (seed * 91 % 200) as f32);
        for i in 0..points {
            let turn = (i as f32 * 0.15 + seed as f32).sin();
            x += 2.5 * turn.cos() + 1.0;
            y += 2.5 * turn.sin();
            stroke.push(Point { x, y, pressure: 0.5 });
        }
        stroke
    }

    fn typical_doodle() -> Vec<Stroke> {
        // 40 strokes, 2,400 points: mountains, a sun, trees, a house, a shore.
        (0..40).map(|i| hand_stroke(i, 60, 4.0 + (i % 3) as f32, i % 10 == 9)).collect()
    }

    #[test]
    fn a_typical_doodle_fits_in_4_kb_and_comes_back() {
        let strokes = typical_doodle();
        let link = encode("watercolour", &strokes).unwrap();
        assert!(link.len() <= 4096, "{} characters", link.len());
        println!("typical doodle: {} points, link {} characters", strokes.iter().map(|s| s.points.len()).sum::<usize>(), link.len());
        let shared = decode(&link).unwrap();
        assert_eq!(shared.style, "watercolour");
        assert_eq!(shared.strokes.len(), strokes.len());
        for (a, b) in strokes.iter().zip(&shared.strokes) {
            assert_eq!((a.width, a.colour, a.points.len()), (b.width, b.colour, b.points.len()));
            for (p, q) in a.points.iter().zip(&b.points) {
                assert_eq!(p, q, "strokes made by Stroke::push come back exactly");
            }
        }
    }

    #[test]
    fn an_empty_doodle_makes_a_link_too() {
        let link = encode("night", &[]).unwrap();
        assert_eq!(decode(&link).unwrap(), Shared { style: "night".into(), strokes: vec![] });
    }

    #[test]
    fn a_doodle_too_big_for_a_link_says_so() {
        let strokes: Vec<Stroke> = (0..400).map(|i| hand_stroke(i, 300, 3.0, false)).collect();
        let Err(ShareError::TooBig { chars }) = encode("oil-day", &strokes) else { panic!("a huge doodle was encoded") };
        assert!(chars > MAX_LINK_CHARS);
        assert!(ShareError::TooBig { chars }.to_string().contains("PNG"));
    }

    #[test]
    fn malformed_links_are_refused_with_a_reason() {
        let good = encode("oil-day", &typical_doodle()).unwrap();
        assert_eq!(decode(""), Err(ShareError::NotAShareLink));
        assert_eq!(decode("#section-2"), Err(ShareError::NotAShareLink));
        assert!(matches!(decode("#v9.oil-day.AAAA"), Err(ShareError::UnknownVersion(v)) if v == "v9"));
        assert!(matches!(decode("#v1.oil-day"), Err(ShareError::Damaged(_))));
        assert!(matches!(decode("#v1.Oil Day!.AAAA"), Err(ShareError::Damaged(_))));
        assert!(matches!(decode("#v1.oil-day.@@@@"), Err(ShareError::Damaged(_))));
        // Cut short, as a chat app might.
        assert!(matches!(decode(&good[..good.len() / 2]), Err(ShareError::Damaged(_))));
        // Valid base64 and deflate, but not a drawing.
        let junk = URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&[200, 1, 7, 7, 7], 6));
        assert!(matches!(decode(&format!("#v1.oil-day.{junk}")), Err(ShareError::Damaged(_))));
        // A zip bomb: inflates past the limit.
        let bomb = URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&vec![0u8; MAX_INFLATED * 4], 9));
        assert!(matches!(decode(&format!("#v1.oil-day.{bomb}")), Err(ShareError::Damaged(_))));
    }

    /// The decoder never panics: a million inputs, half random text and half
    /// mutations of real links (flipped, inserted, deleted and truncated
    /// characters, and mutations of the inflated payload re-packed so they
    /// reach the stroke parser).
    #[test]
    fn fuzz_the_decoder_with_a_million_inputs() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let links: Vec<String> =
            (0..8).map(|i| encode(["oil-day", "night"][i % 2], &typical_doodle()[..i * 5]).unwrap()).collect();
        let payloads: Vec<Vec<u8>> = links
            .iter()
            .map(|link| {
                let data = link.rsplit('.').next().unwrap();
                miniz_oxide::inflate::decompress_to_vec(&URL_SAFE_NO_PAD.decode(data).unwrap()).unwrap()
            })
            .collect();
        let alphabet = b"v1.-_#abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789=%/";
        let (mut accepted, mut refused) = (0, 0);
        for i in 0..1_000_000u32 {
            let input: String = match i % 4 {
                0 => (0..next() % 64).map(|_| alphabet[(next() % alphabet.len() as u64) as usize] as char).collect(),
                1 => {
                    let mut bytes = links[(next() % 8) as usize].clone().into_bytes();
                    for _ in 0..1 + next() % 3 {
                        let at = (next() % bytes.len() as u64) as usize;
                        match next() % 3 {
                            0 => bytes[at] = alphabet[(next() % alphabet.len() as u64) as usize],
                            1 => bytes.insert(at, alphabet[(next() % alphabet.len() as u64) as usize]),
                            _ => bytes.truncate(at.max(1)),
                        }
                    }
                    String::from_utf8_lossy(&bytes).into_owned()
                }
                2 => format!("#v1.oil-day.{}", URL_SAFE_NO_PAD.encode((0..next() % 48).map(|_| next() as u8).collect::<Vec<_>>())),
                _ => {
                    let mut payload = payloads[(next() % 8) as usize].clone();
                    for _ in 0..1 + next() % 4 {
                        if payload.is_empty() {
                            break;
                        }
                        let at = (next() % payload.len() as u64) as usize;
                        match next() % 3 {
                            0 => payload[at] = next() as u8,
                            1 => payload.insert(at, next() as u8),
                            _ => payload.truncate(at),
                        }
                    }
                    format!("#v1.night.{}", URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&payload, 1)))
                }
            };
            match decode(&input) {
                Ok(_) => accepted += 1,
                Err(_) => refused += 1,
            }
        }
        println!("fuzz: {accepted} accepted, {refused} refused");
        // Both outcomes happen: the mutations reach past the first checks.
        assert!(accepted > 1000 && refused > 100_000, "accepted {accepted}, refused {refused}");
    }

    fn arbitrary_stroke() -> impl Strategy<Value = Stroke> {
        let point = (-300.0f32..600.0, -300.0f32..600.0, 0.0f32..=1.0).prop_map(|(x, y, pressure)| Point { x, y, pressure });
        (prop::collection::vec(point, 1..50), MIN_BRUSH..=MAX_BRUSH, any::<bool>()).prop_map(|(points, width, eraser)| {
            let mut stroke = Stroke::new(width, if eraser { PAPER } else { INK });
            stroke.points = points;
            stroke
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// Any doodle comes back within the quantisation steps, and a link of
        /// a decoded doodle is the same link.
        #[test]
        fn round_trip(strokes in prop::collection::vec(arbitrary_stroke(), 0..30), style in "[a-z]{1,12}(-[a-z]{1,8})?") {
            let link = encode(&style, &strokes).unwrap();
            let shared = decode(&link).unwrap();
            prop_assert_eq!(&shared.style, &style);
            prop_assert_eq!(shared.strokes.len(), strokes.len());
            for (a, b) in strokes.iter().zip(&shared.strokes) {
                prop_assert_eq!(a.colour, b.colour);
                prop_assert!((a.width - b.width).abs() <= 0.125);
                prop_assert_eq!(a.points.len(), b.points.len());
                for (p, q) in a.points.iter().zip(&b.points) {
                    prop_assert!((p.x - q.x).abs() <= 0.126 && (p.y - q.y).abs() <= 0.126);
                    prop_assert!((p.pressure - q.pressure).abs() <= 0.5 / 64.0 + 1e-6);
                }
            }
            prop_assert_eq!(encode(&style, &shared.strokes).unwrap(), link);
        }
    }
}
