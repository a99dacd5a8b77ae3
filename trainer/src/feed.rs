//! Training pairs rendered ahead, on CPU threads of their own, so that a
//! step (on a GPU above all) never waits for the scene painter.

use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread;
use std::time::{Duration, Instant};

use crate::train::Pairs;

/// Batches painted ahead by each painter thread.
const AHEAD: usize = 2;

/// The pairs of step after step, from `painters` threads: painter `i` paints
/// the steps `first + i`, `first + i + painters`, …, so the order and the
/// pairs are those of painting them in turn.
pub struct Feed {
    painters: Vec<Receiver<Pairs>>,
    /// Steps handed out so far.
    taken: u64,
    /// Time spent waiting for the painters since the last [`Feed::waited`].
    waited: Duration,
}

impl Feed {
    pub fn start(first: u64, painters: usize, batch: u64, size: u32) -> Self {
        let painters = painters.max(1);
        let receivers = (0..painters as u64)
            .map(|offset| {
                let (sender, receiver) = sync_channel(AHEAD);
                thread::spawn(move || paint(sender, first + offset, painters as u64, batch, size));
                receiver
            })
            .collect();
        Self { painters: receivers, taken: 0, waited: Duration::ZERO }
    }

    /// The pairs of the next step.
    pub fn next(&mut self) -> Pairs {
        let started = Instant::now();
        let painter = &self.painters[(self.taken % self.painters.len() as u64) as usize];
        // A painter stops only when the feed is dropped, or if it panicked
        // (whose message is already on stderr).
        let pairs = painter.recv().expect("a scene painter thread stopped");
        self.waited += started.elapsed();
        self.taken += 1;
        pairs
    }

    /// How long training waited for pairs since the last call.
    pub fn waited(&mut self) -> Duration {
        std::mem::take(&mut self.waited)
    }
}

fn paint(sender: SyncSender<Pairs>, mut step: u64, stride: u64, batch: u64, size: u32) {
    // Sending fails once the feed is gone: then this thread ends.
    while sender.send(Pairs::of_step(step, batch, size)).is_ok() {
        step += stride;
    }
}
