//! The painting styles the generator is conditioned on. The index of a style
//! here is the index the network sees, so the order is part of the weights.

/// A painting style: a stable id (used in links and files) and a label for people.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Style {
    pub id: &'static str,
    pub label: &'static str,
}

pub const STYLES: [Style; 6] = [
    Style { id: "oil-day", label: "Oil, by day" },
    Style { id: "oil-sunset", label: "Oil, at sunset" },
    Style { id: "watercolour", label: "Watercolour" },
    Style { id: "night", label: "Night" },
    Style { id: "autumn", label: "Autumn" },
    Style { id: "winter", label: "Winter" },
];

/// The index of the style with this id, if there is one.
pub fn style_index(id: &str) -> Option<usize> {
    STYLES.iter().position(|style| style.id == id)
}
