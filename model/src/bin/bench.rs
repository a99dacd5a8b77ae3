//! Native CPU inference speed of the generator (burn's flex backend).
//! `cargo xtask bench` runs it; it prints figures rather than asserting them.
//!
//! It times the shipped weights, an untrained network of the shape in
//! training (`checkpoints/v2`) when that differs, and an untrained network
//! of version 1's shape (the speed budget's reference: at most 1.2x its
//! time) in the same run, so they compare on the same machine at the same
//! moment (absolute times vary threefold between machines of the same kind).
//! The doodle is a hand-drawn one (`bench-doodle.png`, "pines-by-a-lake",
//! which `onnx-weights` hands onnxruntime): what a network's input planes
//! cost to find depends on the drawing.
//!
//! `bench [JSON]`: also writes the figures there (for docs/benchmarks.md).
//! `RAYON_NUM_THREADS` sets the threads.

use std::time::Instant;

use model::{Device, Generator, GeneratorConfig, IMAGE_SIZE, Inference, Module, Style};

fn main() {
    let device = Device::flex();
    // The shipped weights: the speed is the network's, but this is what users run.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/models");
    let (manifest, shipped) = match model::weights::load_dir(&dir, &device) {
        Ok(loaded) => loaded,
        Err(message) => {
            eprintln!("bench: {message}");
            std::process::exit(1);
        }
    };
    // The next network is the one in training: its checkpoint's shape, less
    // the training-only element head.
    let run = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../checkpoints/v2/config.json");
    let current = match std::fs::read_to_string(&run).map_err(|e| e.to_string()).and_then(|json| GeneratorConfig::from_run_json(&json)) {
        Ok(config) => GeneratorConfig { element_head: 0, ..config },
        Err(message) => {
            eprintln!("bench: {}: {message}; timing this version's default shape", run.display());
            GeneratorConfig::new(Style::ALL.len())
        }
    };
    let mut networks = vec![(format!("shipped (version {})", manifest.config.version), shipped)];
    if manifest.generator_config() != current {
        let at = current.blocks_size(IMAGE_SIZE);
        let blocks = if current.blocks == 0 { String::new() } else { format!(", {} residual block{} at {at}x{at}", current.blocks, if current.blocks == 1 { "" } else { "s" }) };
        let enclosure = if current.enclosure { ", reads the enclosure" } else { "" };
        networks.push((format!("the run's shape (version {}{blocks}{enclosure}, untrained)", current.version), current.init(&device)));
    }
    let reference = GeneratorConfig::new(Style::ALL.len()).with_version(1);
    networks.push(("version 1's shape (the speed budget's reference, untrained)".to_string(), reference.init(&device)));
    let Ok(drawing) = tiny_skia::Pixmap::decode_png(include_bytes!("bench-doodle.png")) else {
        eprintln!("bench: bench-doodle.png is not a PNG");
        std::process::exit(1);
    };
    let doodle = model::png::fit_doodle(&drawing, IMAGE_SIZE as u32);
    let runs = 30;
    let inferences: Vec<(String, usize, usize, Inference)> = networks
        .into_iter()
        .map(|(name, generator): (String, Generator)| {
            let params = generator.num_params();
            let bytes = model::weights::to_bytes(&generator).map(|b| b.len()).unwrap_or(0);
            (name, params, bytes, Inference::new(generator, device.clone()))
        })
        .collect();
    for (_, _, _, inference) in &inferences {
        // Warm-up: first runs allocate and pick kernels.
        for _ in 0..3 {
            inference.paint(&doodle, Style::OilDay).expect("paint");
        }
    }
    // Interleaved rounds, so a busy moment of the machine falls on both.
    let mut millis = vec![Vec::new(); inferences.len()];
    for i in 0..runs {
        for (k, (_, _, _, inference)) in inferences.iter().enumerate() {
            let start = Instant::now();
            inference.paint(&doodle, Style::ALL[i % Style::ALL.len()]).expect("paint");
            millis[k].push(start.elapsed().as_secs_f64() * 1000.0);
        }
    }
    let threads = std::env::var("RAYON_NUM_THREADS")
        .ok()
        .and_then(|n| n.parse::<usize>().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let mut medians = Vec::new();
    let mut figures = Vec::new();
    for ((name, params, bytes, _), mut millis) in inferences.iter().zip(millis) {
        millis.sort_by(f64::total_cmp);
        println!("{name}: {params} parameters, {bytes} bytes in half precision (bar: at most 4 MB)");
        println!(
            "  native CPU (flex) inference, {IMAGE_SIZE}x{IMAGE_SIZE}, {runs} runs: median {:.1} ms, min {:.1} ms, max {:.1} ms",
            millis[runs / 2],
            millis[0],
            millis[runs - 1]
        );
        medians.push(millis[runs / 2]);
        figures.push(serde_json::json!({
            "network": name, "parameters": params, "bytes": bytes, "n": runs,
            "median": millis[runs / 2], "min": millis[0], "p90": millis[runs * 9 / 10], "max": millis[runs - 1],
        }));
    }
    if let Some(path) = std::env::args().nth(1) {
        let json = serde_json::json!({ "runtime": "burn 0.22.1 (flex)", "threads": threads, "results": figures });
        if let Err(e) = std::fs::write(&path, json.to_string()) {
            eprintln!("bench: {path}: {e}");
            std::process::exit(1);
        }
    }
    let (names, reference) = (&inferences[..inferences.len() - 1], medians[medians.len() - 1]);
    for ((name, _, _, _), median) in names.iter().zip(&medians) {
        println!("{name} / version 1's shape: {:.2}x (bar: at most 1.2x)", median / reference);
    }
}
