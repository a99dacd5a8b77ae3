//! The share-link codec: round trips, limits, damaged and fuzzed links.

use super::*;
use proptest::prelude::*;

/// A stroke as a hand with a mouse makes it: a point every few units along
/// a wandering curve.
fn hand_stroke(seed: u32, points: usize, width: f32, eraser: bool) -> Stroke {
    let mut stroke = Stroke::new(width, if eraser { Tool::Eraser } else { Tool::Brush });
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

/// Links already shared must keep opening as the same doodle, and the same
/// doodle must keep making the same link.
#[test]
fn the_link_format_does_not_change() {
    let golden = include_str!("typical_doodle.link");
    assert_eq!(encode("watercolour", None, &typical_doodle(), 0).unwrap(), golden);
    assert_eq!(decode(golden).unwrap(), Shared { style: "watercolour".into(), blend: None, strokes: typical_doodle(), seed: 0 });
}

#[test]
fn a_typical_doodle_fits_in_4_kb_and_comes_back() {
    let strokes = typical_doodle();
    let link = encode("watercolour", None, &strokes, 0).unwrap();
    assert!(link.len() <= 4096, "{} characters", link.len());
    println!("typical doodle: {} points, link {} characters", strokes.iter().map(|s| s.points.len()).sum::<usize>(), link.len());
    let shared = decode(&link).unwrap();
    assert_eq!(shared.style, "watercolour");
    assert_eq!(shared.strokes.len(), strokes.len());
    for (a, b) in strokes.iter().zip(&shared.strokes) {
        assert_eq!((a.width, a.tool, a.points.len()), (b.width, b.tool, b.points.len()));
        for (p, q) in a.points.iter().zip(&b.points) {
            assert_eq!(p, q, "strokes made by Stroke::push come back exactly");
        }
    }
}

#[test]
fn the_brushwork_seed_travels_in_the_link_and_old_links_have_none() {
    let old = include_str!("typical_doodle.link");
    assert_eq!(decode(old).unwrap().seed, 0, "a link from before seeds opens with seed 0");
    let link = encode("watercolour", None, &typical_doodle(), 41).unwrap();
    assert_eq!(link, format!("{old}.41"));
    assert_eq!(decode(&link).unwrap(), Shared { style: "watercolour".into(), blend: None, strokes: typical_doodle(), seed: 41 });
    assert_eq!(decode(&format!("{old}.{}", u64::MAX)).unwrap().seed, u64::MAX);
    for bad in [".", ".x1", ".-1", ".1.2", ".18446744073709551616"] {
        assert_eq!(decode(&format!("{old}{bad}")), Err(ShareError::Damaged("the brushwork's seed is not a number")), "{bad}");
    }
}

/// A blend makes a v2 link; without one the link is v1 as before, so
/// versions from before blends still open it.
#[test]
fn a_style_blend_travels_in_a_v2_link() {
    let old = include_str!("typical_doodle.link");
    let blend = Blend { to: "night".into(), percent: 35 };
    let link = encode("watercolour", Some(&blend), &typical_doodle(), 41).unwrap();
    let data = old.rsplit('.').next().unwrap();
    assert_eq!(link, format!("#v2.watercolour~night~35.{data}.41"));
    let shared = decode(&link).unwrap();
    assert_eq!(shared, Shared { style: "watercolour".into(), blend: Some(blend), strokes: typical_doodle(), seed: 41 });
    for bad in ["v2.watercolour~night~0", "v2.watercolour~night~101", "v2.watercolour~night~x", "v2.watercolour~Night~5"] {
        assert!(matches!(decode(&format!("#{bad}.{data}")), Err(ShareError::Damaged(_))), "{bad}");
    }
    // Each version has its own style part.
    for bad in ["v2.watercolour", "v2.watercolour~night", "v1.watercolour~night~35", "v2.a~b~1~2"] {
        assert!(matches!(decode(&format!("#{bad}.{data}")), Err(ShareError::Damaged(_))), "{bad}");
    }
}

#[test]
fn an_empty_doodle_makes_a_link_too() {
    let link = encode("night", None, &[], 0).unwrap();
    assert_eq!(decode(&link).unwrap(), Shared { style: "night".into(), blend: None, strokes: vec![], seed: 0 });
}

#[test]
fn a_doodle_too_big_for_a_link_says_so() {
    let strokes: Vec<Stroke> = (0..400).map(|i| hand_stroke(i, 300, 3.0, false)).collect();
    let Err(ShareError::TooBig { chars }) = encode("oil-day", None, &strokes, 0) else { panic!("a huge doodle was encoded") };
    assert!(chars > MAX_LINK_CHARS);
    assert!(ShareError::TooBig { chars }.to_string().contains("PNG"));
}

#[test]
fn malformed_links_are_refused_with_a_reason() {
    let good = encode("oil-day", None, &typical_doodle(), 0).unwrap();
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
    let blend = Blend { to: "winter".into(), percent: 60 };
    let links: Vec<String> = (0..8)
        .map(|i| encode(["oil-day", "night"][i % 2], (i % 3 == 0).then_some(&blend), &typical_doodle()[..i * 5], 0).unwrap())
        .collect();
    let payloads: Vec<Vec<u8>> = links
        .iter()
        .map(|link| {
            let data = link.rsplit('.').next().unwrap();
            miniz_oxide::inflate::decompress_to_vec(&URL_SAFE_NO_PAD.decode(data).unwrap()).unwrap()
        })
        .collect();
    let alphabet = b"v12.~-_#abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789=%/";
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
        let mut stroke = Stroke::new(width, if eraser { Tool::Eraser } else { Tool::Brush });
        stroke.points = points;
        stroke
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Any doodle comes back within the quantisation steps, and a link of
    /// a decoded doodle is the same link.
    #[test]
    fn round_trip(strokes in prop::collection::vec(arbitrary_stroke(), 0..30), style in "[a-z]{1,12}(-[a-z]{1,8})?", seed in any::<u64>(), blend in prop::option::of(("[a-z]{1,12}", 1u8..=100))) {
        let blend = blend.map(|(to, percent)| Blend { to, percent });
        let link = encode(&style, blend.as_ref(), &strokes, seed).unwrap();
        let shared = decode(&link).unwrap();
        prop_assert_eq!(&shared.style, &style);
        prop_assert_eq!(&shared.blend, &blend);
        prop_assert_eq!(shared.seed, seed);
        prop_assert_eq!(shared.strokes.len(), strokes.len());
        for (a, b) in strokes.iter().zip(&shared.strokes) {
            prop_assert_eq!(a.tool, b.tool);
            prop_assert!((a.width - b.width).abs() <= 0.125);
            prop_assert_eq!(a.points.len(), b.points.len());
            for (p, q) in a.points.iter().zip(&b.points) {
                prop_assert!((p.x - q.x).abs() <= 0.126 && (p.y - q.y).abs() <= 0.126);
                prop_assert!((p.pressure - q.pressure).abs() <= 0.5 / 64.0 + 1e-6);
            }
        }
        prop_assert_eq!(encode(&style, blend.as_ref(), &shared.strokes, seed).unwrap(), link);
    }
}
