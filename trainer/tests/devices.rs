//! Training on several devices and on GPUs: a step split across devices is
//! the step on one, wgpu (here Mesa's software Vulkan, lavapipe) trains like
//! the CPU, a checkpoint moves between backends, and the painter threads
//! feed the steps' pairs in order.

mod common;

use std::path::PathBuf;

use common::seeded_trainer;
use model::{Device, Style};
use trainer::devices::{Backend, training_devices};
use trainer::feed::Feed;
use trainer::train::{Batch, Growth, Losses, Pairs, Trainer};

fn temp_dir(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("doodle-devices-{name}-{}", std::process::id()))
}

/// What `trainer`'s generator paints of `batch`'s doodles.
fn painting(trainer: &Trainer, batch: &Batch) -> burn::prelude::Tensor<4> {
    trainer.generator.forward(batch.doodles.clone(), batch.style.index()).detach()
}

/// The largest difference between two paintings.
fn largest_difference(a: burn::prelude::Tensor<4>, b: burn::prelude::Tensor<4>) -> f32 {
    model::inference::scalar((a - b).abs().max().reshape([1]))
}

/// Asserts the losses agree within `tolerance`, relative; prints how far apart they are.
fn assert_close(a: Losses, b: Losses, tolerance: f32, what: &str) {
    let apart = |x: f32, y: f32| (x - y).abs() / x.abs().max(y.abs()).max(1e-3);
    let largest = apart(a.l1, b.l1).max(apart(a.adversarial, b.adversarial)).max(apart(a.discriminator, b.discriminator));
    eprintln!("{what}: losses {largest:.1e} apart");
    assert!(largest <= tolerance, "{what}: {a:?} against {b:?} (tolerance {tolerance})");
}

#[test]
fn a_batch_split_across_devices_steps_as_on_one() {
    // Two shares on one device take the multi-device path (a thread and a
    // copy of the weights each, gradients summed by burn's optimiser)
    // without needing two GPUs. Three pairs: shares of two and one.
    let device = Device::flex().autodiff();
    let mut one = seeded_trainer(11, &[device.clone()]);
    let mut split = seeded_trainer(11, &[device.clone(), device.clone()]);
    let batch = Batch::render_augmented(&[3, 4, 5], Style::Autumn, 64, &device);
    assert_eq!(largest_difference(painting(&one, &batch), painting(&split, &batch)), 0.0, "the same start");
    for step in 0..3 {
        let (a, b) = (one.step(&batch), split.step(&batch));
        assert_close(a, b, 1e-4, &format!("step {step}"));
    }
    assert_eq!(split.progress, one.progress);
    // The weights after three steps paint alike (on a [-1, 1] scale).
    let largest = largest_difference(painting(&one, &batch), painting(&split, &batch));
    assert!(largest < 1e-3, "the paintings after three steps differ by up to {largest}");
}

#[test]
fn wgpu_trains_as_the_cpu_does_and_checkpoints_move_between_them() {
    let wgpu = match training_devices(Backend::Wgpu, Some(1)) {
        Ok(devices) => devices,
        Err(why) => {
            eprintln!("SKIPPED: no wgpu device ({why}); `cargo xtask test` installs Mesa's software Vulkan driver (mesa-vulkan-drivers)");
            return;
        }
    };
    eprintln!("wgpu device: {:?}", wgpu[0]);
    let flex = vec![Device::flex().autodiff()];
    let batch = Pairs::render_augmented(&[7, 8], Style::Winter, 64);
    let (on_flex, on_wgpu) = (batch.to_batch(&flex[0]), batch.to_batch(&wgpu[0]));

    // A run starts on the CPU and checkpoints with the optimisers' moments.
    let mut cpu = seeded_trainer(3, &flex);
    for _ in 0..2 {
        cpu.step(&on_flex);
    }
    let made_on_cpu = temp_dir("cpu");
    cpu.save(&made_on_cpu).unwrap();

    // It resumes on the GPU, and both go on alike.
    let mut gpu = Trainer::resume(8, &made_on_cpu, &wgpu, Growth::default()).unwrap();
    assert_eq!(gpu.progress, cpu.progress);
    for step in 0..3 {
        let (a, b) = (cpu.step(&on_flex), gpu.step(&on_wgpu));
        assert_close(a, b, TOLERANCE, &format!("flex and wgpu, step {step} after resuming"));
    }

    // And back: the GPU's checkpoint resumes on the CPU.
    let made_on_gpu = temp_dir("gpu");
    gpu.save(&made_on_gpu).unwrap();
    let mut back = Trainer::resume(8, &made_on_gpu, &flex, Growth::default()).unwrap();
    assert_eq!(back.progress, cpu.progress);
    let (a, b) = (cpu.step(&on_flex), back.step(&on_flex));
    assert_close(a, b, TOLERANCE, "flex, and flex resumed from wgpu's checkpoint");
    for dir in [made_on_cpu, made_on_gpu] {
        std::fs::remove_dir_all(dir).ok();
    }
}

/// How far wgpu's losses may be from flex's, relative: the two sum in other
/// orders (float rounding), and a GAN step feeds a difference forward.
const TOLERANCE: f32 = 1e-3;

#[test]
fn painter_threads_feed_each_steps_pairs_in_order() {
    let mut feed = Feed::start(5, 3, 2, 32);
    for step in 5..10 {
        let (fed, painted) = (feed.next(), Pairs::of_step(step, 2, 32));
        assert_eq!(fed.style, painted.style, "step {step}");
        assert!(fed.doodles == painted.doodles && fed.paintings == painted.paintings, "step {step}'s pairs");
    }
}
