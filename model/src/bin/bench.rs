//! Native CPU inference speed of the generator (burn's flex backend).
//! `cargo xtask bench` runs it; it prints figures rather than asserting them.

use std::time::Instant;

use model::{Device, IMAGE_SIZE, Inference, Module, RgbImage, Style};

fn main() {
    let device = Device::flex();
    // The shipped weights: the speed is the network's, but this is what users run.
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/models");
    let (manifest, generator) = match model::weights::load_dir(&dir, &device) {
        Ok(loaded) => loaded,
        Err(message) => {
            eprintln!("bench: {message}");
            std::process::exit(1);
        }
    };
    let params = generator.num_params();
    let size = manifest.bytes;
    let inference = Inference::new(generator, device);
    let doodle = RgbImage {
        width: IMAGE_SIZE,
        height: IMAGE_SIZE,
        pixels: (0..IMAGE_SIZE * IMAGE_SIZE * 3).map(|i| if i % 97 < 3 { 0 } else { 255 }).collect(),
    };

    // Warm-up: first runs allocate and pick kernels.
    for _ in 0..3 {
        inference.paint(&doodle, Style::OilDay).expect("paint");
    }
    let runs = 20;
    let mut millis: Vec<f64> = (0..runs)
        .map(|i| {
            let start = Instant::now();
            inference.paint(&doodle, Style::ALL[i % Style::ALL.len()]).expect("paint");
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    millis.sort_by(f64::total_cmp);
    println!("generator: {params} parameters, {size} bytes in half precision (bar: at most 4 MB)");
    println!(
        "native CPU (flex) inference, {IMAGE_SIZE}x{IMAGE_SIZE}, {runs} runs: median {:.1} ms, min {:.1} ms, max {:.1} ms (bar: at most 80 ms)",
        millis[runs / 2],
        millis[0],
        millis[runs - 1]
    );
}
