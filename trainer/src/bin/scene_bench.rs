//! How fast the scene painter makes training pairs on one core.
//! `cargo xtask bench` runs it; it prints figures rather than asserting them.

use std::time::Instant;

use scene::{Style, render_pair};

fn main() {
    let size = 256;
    // Warm-up, then time a fixed set of seeds and styles.
    render_pair(0, Style::OilDay, size);
    let pairs = 300u64;
    let start = Instant::now();
    for seed in 0..pairs {
        std::hint::black_box(render_pair(seed, Style::ALL[seed as usize % Style::ALL.len()], size));
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "scene painter, {size}x{size}, one thread: {:.0} pairs/s ({:.2} ms a pair over {pairs} pairs)",
        pairs as f64 / seconds,
        seconds * 1000.0 / pairs as f64
    );
}
