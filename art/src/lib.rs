//! What the generator, the scene painter and the page agree on: the one list
//! of painting styles, and the RGB image they pass around. No dependencies,
//! so every crate of the workspace can use it.

/// Side of the square images the generator takes and makes, in pixels: the
/// doodle's size in the page's units too.
pub const IMAGE_SIZE: usize = 256;

/// A painting style. Links, files and the manifest name it by [`Style::id`];
/// the generator knows it by [`Style::index`], its place in [`Style::ALL`],
/// so that order is part of the weights.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Style {
    OilDay,
    OilSunset,
    Watercolour,
    Night,
    Autumn,
    Winter,
}

impl Style {
    /// Every style, in the generator's order.
    pub const ALL: [Style; 6] = [
        Style::OilDay,
        Style::OilSunset,
        Style::Watercolour,
        Style::Night,
        Style::Autumn,
        Style::Winter,
    ];

    /// The stable id used in links, files and the manifest.
    pub fn id(self) -> &'static str {
        match self {
            Style::OilDay => "oil-day",
            Style::OilSunset => "oil-sunset",
            Style::Watercolour => "watercolour",
            Style::Night => "night",
            Style::Autumn => "autumn",
            Style::Winter => "winter",
        }
    }

    /// The name people see.
    pub fn label(self) -> &'static str {
        match self {
            Style::OilDay => "Oil, by day",
            Style::OilSunset => "Oil, at sunset",
            Style::Watercolour => "Watercolour",
            Style::Night => "Night",
            Style::Autumn => "Autumn",
            Style::Winter => "Winter",
        }
    }

    /// The style's index in the generator (its place in [`Style::ALL`]).
    pub fn index(self) -> usize {
        Style::ALL.iter().position(|&style| style == self).expect("every style is in ALL")
    }

    /// The style with this id, if there is one.
    pub fn from_id(id: &str) -> Option<Style> {
        Style::ALL.into_iter().find(|style| style.id() == id)
    }
}

/// An 8-bit RGB image, rows top to bottom, 3 bytes a pixel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RgbImage {
    pub width: usize,
    pub height: usize,
    pub pixels: Vec<u8>,
}

impl RgbImage {
    /// Drops the alpha channel of RGBA pixels (as a canvas gives them).
    pub fn from_rgba(width: usize, height: usize, rgba: &[u8]) -> Self {
        assert_eq!(rgba.len(), width * height * 4, "RGBA buffer size");
        let pixels = rgba.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
        Self { width, height, pixels }
    }

    /// Opaque RGBA pixels, as a canvas takes them.
    pub fn to_rgba(&self) -> Vec<u8> {
        self.pixels.chunks_exact(3).flat_map(|p| [p[0], p[1], p[2], 255]).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_name_their_style() {
        for (index, style) in Style::ALL.into_iter().enumerate() {
            assert_eq!(Style::from_id(style.id()), Some(style));
            assert_eq!(style.index(), index);
        }
        assert_eq!(Style::from_id("oil"), None);
    }
}
