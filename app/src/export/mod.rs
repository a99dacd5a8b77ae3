//! Saved files: their names, and the share link written into a saved PNG
//! so the file says which doodle, style and blend it shows (and an import
//! can reopen it). The browser side (`browser.rs`) draws and downloads them.

use crate::protocol::Blend;

/// The PNG text chunk's keyword for the drawing's share link.
pub const LINK_KEYWORD: &str = "doodle-paint:link";

/// A file name that says what the painting is in: `painting-watercolour.png`,
/// or with a blend `painting-watercolour-35-night.png`.
pub fn file_name(what: &str, style: &str, blend: Option<&Blend>, extension: &str) -> String {
    match blend {
        None => format!("{what}-{style}.{extension}"),
        Some(Blend { to, percent }) => format!("{what}-{style}-{percent}-{to}.{extension}"),
    }
}

/// `png` with a `tEXt` chunk (`keyword`, `text`) right after its header, or
/// why not: not a PNG, or text a PNG cannot hold (Latin-1 without NUL).
pub fn with_text(png: &[u8], keyword: &str, text: &str) -> Result<Vec<u8>, String> {
    const SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";
    // The signature, then IHDR: length (13), type, 13 bytes, CRC.
    let header_end = SIGNATURE.len() + 4 + 4 + 13 + 4;
    if png.len() < header_end || !png.starts_with(SIGNATURE) || &png[12..16] != b"IHDR" {
        return Err("the browser's PNG is not one".into());
    }
    let printable = |s: &str| !s.is_empty() && s.bytes().all(|b| (32..127).contains(&b));
    if !printable(keyword) || keyword.len() > 79 || !printable(text) {
        return Err("the text cannot go in a PNG".into());
    }
    let mut data = b"tEXt".to_vec();
    data.extend(keyword.as_bytes());
    data.push(0);
    data.extend(text.as_bytes());
    let mut out = Vec::with_capacity(png.len() + data.len() + 8);
    out.extend(&png[..header_end]);
    out.extend(((data.len() - 4) as u32).to_be_bytes());
    out.extend(&data);
    out.extend(crc32fast::hash(&data).to_be_bytes());
    out.extend(&png[header_end..]);
    Ok(out)
}

/// The text of the first `tEXt` chunk with `keyword`, if `png` has one.
pub fn text_of(png: &[u8], keyword: &str) -> Option<String> {
    let mut rest = png.get(8..)?;
    while rest.len() >= 12 {
        let length = u32::from_be_bytes(rest[..4].try_into().ok()?) as usize;
        let (kind, body) = (&rest[4..8], rest.get(8..8 + length)?);
        if kind == b"tEXt" {
            if let Some((key, text)) = body.split_at_checked(keyword.len()) {
                if key == keyword.as_bytes() && text.first() == Some(&0) {
                    return String::from_utf8(text[1..].to_vec()).ok();
                }
            }
        }
        if kind == b"IEND" {
            return None;
        }
        rest = rest.get(8 + length + 4..)?;
    }
    None
}

#[cfg(target_arch = "wasm32")]
mod browser;
#[cfg(target_arch = "wasm32")]
pub use browser::{Saving, canvas_of, download_bytes, save};

#[cfg(test)]
mod tests {
    use super::*;

    /// A 1x1 grey PNG as a browser writes one.
    fn tiny_png() -> Vec<u8> {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut chunk = |kind: &[u8], body: &[u8]| {
            let mut data = kind.to_vec();
            data.extend(body);
            png.extend((body.len() as u32).to_be_bytes());
            png.extend(&data);
            png.extend(crc32fast::hash(&data).to_be_bytes());
        };
        chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
        chunk(b"IDAT", &miniz_oxide::deflate::compress_to_vec_zlib(&[0, 128], 6));
        chunk(b"IEND", &[]);
        png
    }

    #[test]
    fn a_saved_png_carries_its_link_and_stays_a_png() {
        let png = tiny_png();
        let link = "https://example.org/app/#v2.watercolour~night~35.AAAA.7";
        let tagged = with_text(&png, LINK_KEYWORD, link).unwrap();
        assert_eq!(text_of(&tagged, LINK_KEYWORD).as_deref(), Some(link));
        assert_eq!(text_of(&png, LINK_KEYWORD), None);
        // Every chunk's CRC still holds, and the image chunks are untouched.
        let mut rest = &tagged[8..];
        let mut kinds = Vec::new();
        while !rest.is_empty() {
            let length = u32::from_be_bytes(rest[..4].try_into().unwrap()) as usize;
            let crc = u32::from_be_bytes(rest[8 + length..12 + length].try_into().unwrap());
            assert_eq!(crc32fast::hash(&rest[4..8 + length]), crc);
            kinds.push(String::from_utf8(rest[4..8].to_vec()).unwrap());
            rest = &rest[12 + length..];
        }
        assert_eq!(kinds, ["IHDR", "tEXt", "IDAT", "IEND"]);
        assert_eq!(&tagged[tagged.len() - (png.len() - 33)..], &png[33..]);
    }

    #[test]
    fn what_cannot_be_tagged_says_why() {
        assert!(with_text(b"GIF89a", LINK_KEYWORD, "x").is_err());
        assert!(with_text(&tiny_png(), LINK_KEYWORD, "caf\u{e9}").is_err());
        assert!(with_text(&tiny_png(), "", "x").is_err());
        assert_eq!(text_of(b"\x89PNG\r\n\x1a\n\0\0\xff\xffjunk", LINK_KEYWORD), None);
    }

    #[test]
    fn file_names_say_the_style_and_blend() {
        assert_eq!(file_name("painting", "night", None, "png"), "painting-night.png");
        let blend = Blend { to: "oil-day".into(), percent: 35 };
        assert_eq!(file_name("time-lapse", "night", Some(&blend), "gif"), "time-lapse-night-35-oil-day.gif");
    }
}
