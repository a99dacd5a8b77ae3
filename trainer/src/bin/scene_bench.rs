//! How fast the scene painter makes training pairs on one core: plain pairs,
//! and the trainer's augmented batches (sampled doodlers, mirroring), which
//! is what each painter thread of `train` gives a GPU.
//! `cargo xtask bench` runs it; it prints figures rather than asserting them.

use std::time::Instant;

use scene::{Style, render_pair};
use trainer::train::Pairs;

fn main() {
    let size = 256;
    // Warm-up, then time a fixed set of seeds and styles.
    render_pair(0, Style::OilDay, size);
    let pairs = 300u64;
    let start = Instant::now();
    for seed in 0..pairs {
        std::hint::black_box(render_pair(seed, Style::ALL[seed as usize % Style::ALL.len()], size));
    }
    report("scene painter", size, pairs, start.elapsed().as_secs_f64());

    let (steps, batch) = (40u64, 8u64);
    let start = Instant::now();
    for step in 0..steps {
        std::hint::black_box(Pairs::of_step(step, batch, size));
    }
    report("training pairs (augmented)", size, steps * batch, start.elapsed().as_secs_f64());
}

fn report(what: &str, size: u32, pairs: u64, seconds: f64) {
    println!(
        "{what}, {size}x{size}, one thread: {:.0} pairs/s ({:.2} ms a pair over {pairs} pairs)",
        pairs as f64 / seconds,
        seconds * 1000.0 / pairs as f64
    );
}
