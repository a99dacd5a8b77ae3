//! How fast the procedural painter makes training pairs on one core.
//! `cargo xtask bench` runs it; it prints figures rather than asserting them.

use std::time::Instant;

use model::STYLES;
use model::scene::render_pair;

fn main() {
    let size = 256;
    // Warm-up, then time a fixed set of seeds and styles.
    render_pair(0, 0, size);
    let pairs = 300u64;
    let start = Instant::now();
    for seed in 0..pairs {
        std::hint::black_box(render_pair(seed, seed as usize % STYLES.len(), size));
    }
    let seconds = start.elapsed().as_secs_f64();
    println!(
        "procedural painter, {size}x{size}, one thread: {:.0} pairs/s ({:.2} ms a pair over {pairs} pairs)",
        pairs as f64 / seconds,
        seconds * 1000.0 / pairs as f64
    );
}
