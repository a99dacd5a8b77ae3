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

/// On `Auto`, which backend paints: WebGPU only where its warm paintings
/// (median, in ms, read-back included) beat the CPU's. A software adapter
/// takes seconds where the CPU takes a tenth of one, so it never wins.
/// Returns whether WebGPU won, and the page's name for it, saying why.
pub fn faster_backend(webgpu_ms: &[f64], cpu_ms: &[f64]) -> (bool, String) {
    let median = |times: &[f64]| {
        let mut sorted = times.to_vec();
        sorted.sort_by(f64::total_cmp);
        sorted.get(sorted.len() / 2).copied().unwrap_or(f64::INFINITY)
    };
    let (webgpu, cpu) = (median(webgpu_ms), median(cpu_ms));
    if webgpu < cpu {
        (true, format!("WebGPU (faster here: {webgpu:.0} ms a painting; the CPU {cpu:.0} ms)"))
    } else {
        (false, format!("CPU (faster here: {cpu:.0} ms a painting; WebGPU {webgpu:.0} ms)"))
    }
}

/// A second style mixed into the painting's style, `percent` of the way to
/// it: the network's per-style scales and shifts are mixed, so the painting
/// moves smoothly from one style to the other. Share links, autosave and
/// painting requests carry it by the style's id, like the style itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Blend {
    pub to: String,
    /// 1 to 100: how far towards `to`.
    pub percent: u8,
}

/// The worker starts loading as soon as it boots, reading the backend
/// choice from its own URL (`worker_loader.js?backend=cpu`), so no message can
/// arrive before it listens.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ToWorker {
    /// Paint a 256x256 RGB doodle in a style (its id), blended or not.
    Paint {
        job: u64,
        style: String,
        #[serde(default)]
        blend: Option<Blend>,
        #[serde(with = "serde_bytes")]
        rgb: Vec<u8>,
    },
    /// Re-paint painting `job` with brush strokes on a `size` px canvas, for
    /// the screen or for a saved file (`export`, echoed in the reply). Only
    /// the last painting is kept: an older job is ignored.
    Brush { job: u64, seed: u64, size: u32, export: bool },
    /// Paint the strokes' time-lapse (`timelapse`): each frame is posted as
    /// it is painted, and with `save` the frames are also encoded as a GIF.
    /// A newer time-lapse replaces an older one.
    TimeLapse {
        job: u64,
        style: String,
        #[serde(default)]
        blend: Option<Blend>,
        strokes: Vec<ink::Stroke>,
        save: bool,
    },
    /// Stop painting time-lapse `job` (the page closed it).
    StopTimeLapse { job: u64 },
    /// Find the strokes of a sketch in a photo (`import`), RGBA.
    Import {
        job: u64,
        width: u32,
        height: u32,
        #[serde(with = "serde_bytes")]
        rgba: Vec<u8>,
    },
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
    /// The brushwork of painting `job`, `size` px square.
    Brushed {
        job: u64,
        seed: u64,
        size: u32,
        export: bool,
        /// RGBA, ready for the canvas: converted in the worker rather than
        /// on the page's main thread (a million bytes at 512 px).
        #[serde(with = "serde_bytes")]
        rgba: Vec<u8>,
        millis: f64,
    },
    /// Frame `index` of `frames` of time-lapse `job`: RGBA, the doodle beside
    /// its painting, shown for `delay` hundredths of a second.
    TimeLapseFrame {
        job: u64,
        index: u32,
        frames: u32,
        delay: u16,
        #[serde(with = "serde_bytes")]
        rgba: Vec<u8>,
    },
    /// The time-lapse as an animated GIF file.
    TimeLapseSaved {
        job: u64,
        #[serde(with = "serde_bytes")]
        gif: Vec<u8>,
    },
    /// A time-lapse could not be made; the message is for people.
    TimeLapseFailed { job: u64, message: String },
    /// The strokes found in import `job`'s photo, or why there are none.
    Imported { job: u64, strokes: Result<Vec<ink::Stroke>, String> },
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

    #[test]
    fn the_faster_backend_wins_and_says_so() {
        // A software adapter: seconds a painting against a tenth of one.
        let (webgpu, why) = faster_backend(&[2400.0], &[110.0]);
        assert!(!webgpu);
        assert_eq!(why, "CPU (faster here: 110 ms a painting; WebGPU 2400 ms)");
        // A real GPU; one slow outlier does not decide.
        let (webgpu, why) = faster_backend(&[12.0, 90.0, 11.0], &[60.0, 55.0, 58.0]);
        assert!(webgpu);
        assert_eq!(why, "WebGPU (faster here: 12 ms a painting; the CPU 58 ms)");
        // No WebGPU timing at all: the CPU.
        assert!(!faster_backend(&[], &[50.0]).0);
    }
}
