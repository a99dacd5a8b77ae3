//! Messages between the page and the painting worker.

use serde::{Deserialize, Serialize};

/// Which backend the worker should use. `Auto` tries WebGPU, then the CPU.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BackendChoice {
    Auto,
    Cpu,
    WebGpu,
}

impl BackendChoice {
    /// From the page's `?backend=` query value.
    pub fn from_query(value: Option<&str>) -> Self {
        match value {
            Some("cpu") => Self::Cpu,
            Some("webgpu") => Self::WebGpu,
            _ => Self::Auto,
        }
    }

    /// From a URL's search part (`?backend=cpu&x=1`); page and worker both use it.
    pub fn from_search(search: &str) -> Self {
        Self::from_query(
            search
                .trim_start_matches('?')
                .split('&')
                .find_map(|pair| pair.strip_prefix("backend=")),
        )
    }

    /// The query value that [`Self::from_query`] reads back.
    pub fn as_query(self) -> &'static str {
        match self {
            Self::Auto => "auto",
            Self::Cpu => "cpu",
            Self::WebGpu => "webgpu",
        }
    }
}

/// The worker starts loading as soon as it boots, reading the backend
/// choice from its own URL (`worker_loader.js?backend=cpu`), so no message can
/// arrive before it listens.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ToWorker {
    /// Paint a 256x256 RGB doodle in a style (its id).
    Paint {
        job: u64,
        style: String,
        #[serde(with = "serde_bytes")]
        rgb: Vec<u8>,
    },
    /// Re-paint painting `job` with brush strokes on a `size` px canvas, for
    /// the screen or for a saved file (`export`, echoed in the reply). Only
    /// the last painting is kept: an older job is ignored.
    Brush { job: u64, seed: u64, size: u32, export: bool },
}

/// A style as the page's picker shows it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StyleOption {
    pub id: String,
    pub label: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum FromWorker {
    /// Weight download progress; `total` is unknown without Content-Length.
    Progress { loaded: u64, total: Option<u64> },
    /// Ready to paint. `backend` is a name for people.
    Ready {
        backend: String,
        trained: bool,
        /// The styles the weights paint (checked against this version's).
        styles: Vec<StyleOption>,
        /// The model card's one-line summary, when the card could be read.
        about: Option<String>,
    },
    Painted {
        job: u64,
        #[serde(with = "serde_bytes")]
        rgb: Vec<u8>,
        millis: f64,
    },
    /// The brushwork of painting `job`, `size` px square, RGB.
    Brushed {
        job: u64,
        seed: u64,
        size: u32,
        export: bool,
        #[serde(with = "serde_bytes")]
        rgb: Vec<u8>,
        millis: f64,
    },
    /// Start-up or painting failed; the message is for people.
    Failed { job: Option<u64>, message: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_backend_choice_survives_the_url() {
        for choice in [BackendChoice::Auto, BackendChoice::Cpu, BackendChoice::WebGpu] {
            assert_eq!(BackendChoice::from_search(&format!("?x=1&backend={}", choice.as_query())), choice);
        }
        assert_eq!(BackendChoice::from_search(""), BackendChoice::Auto);
        assert_eq!(BackendChoice::from_search("?backend=quantum"), BackendChoice::Auto);
    }
}
