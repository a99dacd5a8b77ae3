//! The trainer learns, and a checkpoint resumes exactly where it stopped.

mod common;

use burn::prelude::Tensor;
use common::{initialising, resumed, seeded_trainer};
use model::{Device, Style};
use model::inference::scalar;
use trainer::train::{AVERAGE_FILE, Batch, Growth, Trainer, feature_matching, moved_towards};
use burn::module::{Module, ModuleVisitor, Param};

#[test]
fn training_steps_bring_the_painting_closer_to_the_target() {
    let device = Device::flex().autodiff();
    // Seeded, so the test does not hang on a lucky or unlucky initialisation.
    let mut trainer = seeded_trainer(7, &[device.clone()]);
    let batch = Batch::render(&[1, 2], Style::OilDay, 64, &device);
    let first = trainer.step(&batch);
    let mut last = first;
    for _ in 0..30 {
        last = trainer.step(&batch);
    }
    assert!(first.l1.is_finite() && last.discriminator.is_finite() && last.adversarial.is_finite());
    assert!(last.l1 < first.l1 * 0.8, "L1 went from {} to {}", first.l1, last.l1);
    assert_eq!(trainer.progress.step, 31);
    assert_eq!(trainer.progress.images_seen, 62);
}

#[test]
fn balanced_steps_weigh_each_pixel_by_its_element() {
    let device = Device::flex().autodiff();
    let batch = Batch::render(&[1, 2], Style::OilDay, 64, &device);
    let mut plain = seeded_trainer(7, &[device.clone()]);
    let mut balanced = seeded_trainer(7, &[device.clone()]);
    balanced.element_balance = 0.5;
    let (plain, balanced) = (plain.step(&batch), balanced.step(&batch));
    // The same first paintings and discriminator, another L1: the weighted one.
    assert!((plain.discriminator - balanced.discriminator).abs() < 1e-5);
    assert!(balanced.l1.is_finite() && (balanced.l1 - plain.l1).abs() > 1e-4, "{plain:?} against {balanced:?}");
}

#[test]
fn feature_matching_is_how_far_the_discriminators_levels_lie_apart() {
    let device = Device::flex().autodiff();
    let trainer = seeded_trainer(7, &[device.clone()]);
    let batch = Batch::render(&[1, 2], Style::OilDay, 64, &device);
    let doodles = batch.doodles.clone().narrow(1, 0, 3);
    let real = Tensor::cat(vec![doodles.clone(), batch.paintings.clone()], 1);
    let (scores, real_levels) = trainer.discriminator.forward_with_features(real.clone(), true);
    assert_eq!(real_levels.len(), 4, "one per level");
    assert_eq!((scores - trainer.discriminator.forward(real)).abs().max().into_scalar::<f32>(), 0.0);
    assert_eq!(scalar(feature_matching(&real_levels, &real_levels)), 0.0, "a pair matches itself");
    let (_, blank_levels) = trainer.discriminator.forward_with_features(Tensor::cat(vec![doodles, batch.paintings.zeros_like()], 1), true);
    let mean_of_levels = real_levels.iter().zip(&blank_levels).map(|(a, b)| scalar((a.clone() - b.clone()).abs().mean())).sum::<f32>() / 4.0;
    let distance = scalar(feature_matching(&real_levels, &blank_levels));
    assert!(distance > 1e-3 && (distance - mean_of_levels).abs() < 1e-6, "{distance} against {mean_of_levels}");
}

#[test]
fn steps_with_feature_matching_train_on_it_and_log_it() {
    let device = Device::flex().autodiff();
    let batch = Batch::render(&[1, 2], Style::OilDay, 64, &device);
    let mut plain = seeded_trainer(7, &[device.clone()]);
    let mut matched = seeded_trainer(7, &[device.clone()]);
    matched.feature_matching = 10.0;
    let (first_plain, first_matched) = (plain.step(&batch), matched.step(&batch));
    // The same discriminator step; the generator's loss has the new term.
    assert!((first_plain.discriminator - first_matched.discriminator).abs() < 1e-5);
    assert_eq!(first_plain.feature_matching, 0.0);
    assert!(first_matched.feature_matching > 0.0 && first_matched.feature_matching.is_finite(), "{first_matched:?}");
    assert!(distance(&weights_of(&plain.generator), &weights_of(&matched.generator)) > 0.0, "it moved the generator otherwise");
    let mut last = first_matched;
    for _ in 0..30 {
        last = matched.step(&batch);
    }
    assert!(last.l1 < first_matched.l1 * 0.8, "it still learns the painting: L1 {} to {}", first_matched.l1, last.l1);
}

#[test]
fn steps_with_an_ssim_loss_train_on_it_and_log_it() {
    let device = Device::flex().autodiff();
    let batch = Batch::render(&[1, 2], Style::OilDay, 64, &device);
    let mut plain = seeded_trainer(7, &[device.clone()]);
    let mut structured = seeded_trainer(7, &[device.clone()]);
    structured.ssim_weight = 100.0;
    let (first_plain, first) = (plain.step(&batch), structured.step(&batch));
    // The same discriminator step; the generator's loss has the new term.
    assert!((first_plain.discriminator - first.discriminator).abs() < 1e-5);
    assert_eq!(first_plain.ssim, 0.0);
    assert!(first.ssim > 0.0 && first.ssim <= 2.0, "1 - SSIM: {first:?}");
    assert!(distance(&weights_of(&plain.generator), &weights_of(&structured.generator)) > 0.0, "it moved the generator otherwise");
    let mut last = first;
    for _ in 0..30 {
        plain.step(&batch);
        last = structured.step(&batch);
    }
    assert!(last.l1 < first.l1 * 0.8, "it still learns the painting: L1 {} to {}", first.l1, last.l1);
    // After the same steps, its paintings are more like the targets in SSIM.
    let ssim = |trainer: &Trainer| trainer::metrics::quality(trainer.generator.forward(batch.doodles.clone(), Style::OilDay), batch.paintings.clone()).ssim;
    let (plain_ssim, structured_ssim) = (ssim(&plain), ssim(&structured));
    assert!(structured_ssim > plain_ssim + 0.02, "SSIM {structured_ssim} with the loss against {plain_ssim} without");
}

#[test]
fn steps_without_the_adversarial_loss_leave_the_discriminator_out_and_still_learn() {
    let device = Device::flex().autodiff();
    let batch = Batch::render(&[1, 2], Style::OilDay, 64, &device);
    let mut plain = seeded_trainer(7, &[device.clone()]);
    let mut alone = seeded_trainer(7, &[device.clone()]);
    alone.adversarial_weight = 0.0;
    let discriminator = weights_of(&alone.discriminator);
    let (first_plain, first) = (plain.step(&batch), alone.step(&batch));
    assert!(first_plain.discriminator > 0.0 && first_plain.adversarial > 0.0, "{first_plain:?}");
    assert_eq!((first.discriminator, first.adversarial), (0.0, 0.0), "neither run nor trained: {first:?}");
    assert_eq!(distance(&discriminator, &weights_of(&alone.discriminator)), 0.0, "the discriminator did not move");
    assert!((first.l1 - first_plain.l1).abs() < 1e-6, "the same first painting: {first:?} against {first_plain:?}");
    assert!(distance(&weights_of(&plain.generator), &weights_of(&alone.generator)) > 0.0, "without the adversarial gradient the generator moved otherwise");
    let mut last = first;
    for _ in 0..30 {
        last = alone.step(&batch);
    }
    assert!(last.l1 < first.l1 * 0.8, "it learns the painting: L1 {} to {}", first.l1, last.l1);
}

#[test]
fn steps_with_an_l2_loss_train_on_the_squared_error_and_log_it() {
    let device = Device::flex().autodiff();
    let batch = Batch::render(&[1, 2], Style::OilDay, 64, &device);
    let mut plain = seeded_trainer(7, &[device.clone()]);
    let mut squared = seeded_trainer(7, &[device.clone()]);
    squared.l2_weight = 500.0;
    let painted = squared.generator.forward(batch.doodles.clone(), Style::OilDay.index());
    let mse = scalar((painted - batch.paintings.clone()).square().mean());
    let (first_plain, first) = (plain.step(&batch), squared.step(&batch));
    assert_eq!(first_plain.l2, 0.0, "not logged without it");
    assert!((first.l2 - mse).abs() < 1e-5 * mse.max(1.0), "the squared error of the painting before the step: {} against {mse}", first.l2);
    assert!(distance(&weights_of(&plain.generator), &weights_of(&squared.generator)) > 0.0, "it moved the generator otherwise");
    let mut last = first;
    for _ in 0..30 {
        last = squared.step(&batch);
    }
    assert!(last.l2 < first.l2 * 0.8, "it learns the painting: squared error {} to {}", first.l2, last.l2);
}

#[test]
fn augmented_pairs_mirror_doodle_and_painting_together() {
    let device = Device::flex();
    // Seed 7 is a whole scene, mirrored and drawn by a sampled doodler; seed 6
    // drawn by the painter's hand, so the plain batch gives its exact doodle.
    let plain = Batch::render(&[7, 6], Style::Watercolour, 64, &device);
    let augmented = Batch::render_augmented(&[7, 6], Style::Watercolour, 64, &device);
    let first = |t: &Tensor<4>| t.clone().slice([0..1]);
    let mirrored_painting = first(&plain.paintings).flip([3]);
    assert_eq!(first(&augmented.paintings).into_data(), mirrored_painting.into_data());
    // The augmented doodle is closer to the mirrored plain doodle than to the unmirrored one.
    let distance = |a: Tensor<4>, b: Tensor<4>| model::inference::scalar((a - b).abs().mean());
    let doodle = first(&augmented.doodles);
    assert!(distance(doodle.clone(), first(&plain.doodles).flip([3])) < distance(doodle, first(&plain.doodles)));
    // Seed 6: neither mirrored nor redrawn.
    assert_eq!(augmented.doodles.slice([1..2]).into_data(), plain.doodles.slice([1..2]).into_data());
}

#[test]
fn a_checkpoint_resumes_the_same_run() {
    let device = Device::flex().autodiff();
    let dir = std::env::temp_dir().join(format!("doodle-train-test-{}", std::process::id()));
    let batch = Batch::render(&[5], Style::Night, 64, &device);
    let mut trainer = seeded_trainer(5, &[device.clone()]);
    for _ in 0..3 {
        trainer.step(&batch);
    }
    trainer.save(&dir).unwrap();
    let mut resumed = resumed(&dir, &[device.clone()], Growth::default()).unwrap();
    assert_eq!(resumed.progress, trainer.progress);
    assert_eq!(resumed.config, trainer.config);
    // The same steps from the same state give the same losses. The second
    // step's losses depend on the optimisers' restored moments too.
    for _ in 0..2 {
        let a = trainer.step(&batch);
        let b = resumed.step(&batch);
        assert!((a.l1 - b.l1).abs() < 1e-5 && (a.discriminator - b.discriminator).abs() < 1e-4, "{a:?} vs {b:?}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// All of `module`'s weights in one list, in the network's order.
fn weights_of(module: &impl Module) -> Vec<f32> {
    struct Gather(Vec<f32>);
    impl ModuleVisitor for Gather {
        fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
            self.0.extend(param.val().into_data().iter::<f32>());
        }
    }
    let mut gather = Gather(Vec::new());
    module.visit(&mut gather);
    gather.0
}

fn distance(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| (x - y).abs()).sum()
}

#[test]
fn moving_towards_a_generator_mixes_each_weight() {
    let device = Device::flex();
    let (a, b) = (seeded_trainer(1, &[device.clone()]).generator, seeded_trainer(2, &[device]).generator);
    let (wa, wb) = (weights_of(&a), weights_of(&b));
    let half = weights_of(&moved_towards(a.clone(), &b, 0.5));
    let all = weights_of(&moved_towards(a.clone(), &b, 1.0));
    assert!(distance(&wa, &wb) > 1.0, "two seeds draw different weights");
    for i in 0..wa.len() {
        assert!((half[i] - (wa[i] + wb[i]) / 2.0).abs() < 1e-6 && (all[i] - wb[i]).abs() < 1e-6, "weight {i}");
    }
}

#[test]
fn the_average_trails_the_weights_and_resumes_with_the_run() {
    let device = Device::flex().autodiff();
    let dir = std::env::temp_dir().join(format!("doodle-average-test-{}", std::process::id()));
    let batch = Batch::render(&[3], Style::Autumn, 64, &device);
    let mut trainer = seeded_trainer(3, &[device.clone()]);
    let start = weights_of(&trainer.generator);
    for _ in 0..3 {
        trainer.step(&batch);
    }
    // Each step moves the average a thousandth of the way to the weights.
    let (weights, average) = (weights_of(&trainer.generator), weights_of(&trainer.average));
    let (went, followed) = (distance(&start, &weights), distance(&start, &average));
    assert!(followed > 0.0 && followed < went * 0.005, "the weights went {went}, the average {followed}");

    trainer.save(&dir).unwrap();
    let resumed_run = resumed(&dir, &[device.clone()], Growth::default()).unwrap();
    assert_eq!(weights_of(&resumed_run.average), average);
    assert_eq!(resumed_run.progress.average_from, Some(0));
    // A checkpoint from before runs kept an average starts one where it is.
    std::fs::remove_file(dir.join(AVERAGE_FILE)).unwrap();
    let older = resumed(&dir, &[device], Growth::default()).unwrap();
    assert_eq!(weights_of(&older.average), weights);
    assert_eq!(older.progress.average_from, Some(3));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn residual_blocks_added_to_a_run_start_as_the_identity_and_then_learn() {
    let device = Device::flex().autodiff();
    let dir = std::env::temp_dir().join(format!("doodle-blocks-test-{}", std::process::id()));
    // At 128 px the first level up is 4 x 4: at 64 px its 2 x 2 comes from
    // one pixel, flat, and an instance norm of a flat map is zero.
    let batch = Batch::render(&[3], Style::Autumn, 128, &device);
    let mut trainer = seeded_trainer(3, &[device.clone()]);
    trainer.step(&batch);
    trainer.save(&dir).unwrap();
    let mut grown = resumed(&dir, &[device.clone()], Growth { blocks: Some(2), ..Growth::default() }).unwrap();
    assert_eq!(grown.config.blocks, 2);
    let paint = |trainer: &Trainer| trainer.generator.forward(batch.doodles.clone(), Style::Autumn.index());
    let difference = |a: Tensor<4>, b: Tensor<4>| model::inference::scalar((a - b).abs().max());
    assert!(difference(paint(&grown), paint(&trainer)) < 1e-6, "the blocks change the painting before training");
    for _ in 0..3 {
        grown.step(&batch);
        trainer.step(&batch);
    }
    // The same three steps from the same state: only the blocks can differ.
    let learnt = difference(paint(&grown), paint(&trainer));
    assert!(learnt > 1e-3, "the blocks never learn: {learnt}");
    // Blocks the run's config.json names must be in its file: only growing excuses them.
    std::fs::write(dir.join("config.json"), serde_json::to_string(&grown.config).unwrap()).unwrap();
    assert!(resumed(&dir, &[device.clone()], Growth::default()).is_err(), "blocks missing from the file were made up");
    // Saved with the blocks, the run resumes with them.
    grown.save(&dir).unwrap();
    let again = resumed(&dir, &[device.clone()], Growth::default()).unwrap();
    assert_eq!(again.config.blocks, 2);
    assert!(difference(paint(&again), paint(&grown)) < 1e-6);
    // Taken away, a block no longer paints.
    let fewer = resumed(&dir, &[device.clone()], Growth { blocks: Some(1), ..Growth::default() }).unwrap();
    assert_eq!(fewer.config.blocks, 1);
    assert!(difference(paint(&fewer), paint(&grown)) > 1e-4, "the second block still paints");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn residual_blocks_can_follow_a_larger_decoder_level_but_not_move_there_later() {
    let device = Device::flex().autodiff();
    let dir = std::env::temp_dir().join(format!("doodle-blocks-level-test-{}", std::process::id()));
    let batch = Batch::render(&[5], Style::Night, 128, &device);
    let mut trainer = seeded_trainer(5, &[device.clone()]);
    trainer.step(&batch);
    trainer.save(&dir).unwrap();
    let deeper = Growth { blocks: Some(1), blocks_level: Some(4), ..Growth::default() };
    let mut grown = resumed(&dir, &[device.clone()], deeper).unwrap();
    assert_eq!((grown.config.blocks, grown.config.blocks_level), (1, 4));
    let paint = |trainer: &Trainer| trainer.generator.forward(batch.doodles.clone(), Style::Night.index());
    let difference = |a: Tensor<4>, b: Tensor<4>| scalar((a - b).abs().max());
    assert!(difference(paint(&grown), paint(&trainer)) < 1e-6, "the block changes the painting before training");
    // Its convolutions are the fifth level up's width (8 channels at 64 px
    // here), not the first's (16 at 4 px).
    let first_block = Growth { blocks: Some(1), ..Growth::default() };
    let at_first_level = resumed(&dir, &[device.clone()], first_block).unwrap();
    let added = |t: &Trainer| t.generator.num_params() - trainer.generator.num_params();
    assert!(added(&grown) * 3 < added(&at_first_level), "{} against {}", added(&grown), added(&at_first_level));
    for _ in 0..2 {
        grown.step(&batch);
        trainer.step(&batch);
    }
    assert!(difference(paint(&grown), paint(&trainer)) > 1e-4, "the block never learns");
    // Saved there, its weights cannot be read as another level's.
    grown.save(&dir).unwrap();
    assert_eq!(resumed(&dir, &[device.clone()], Growth::default()).unwrap().config.blocks_level, 4);
    assert!(resumed(&dir, &[device.clone()], Growth { blocks_level: Some(0), ..Growth::default() }).is_err());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn an_enclosure_added_to_a_run_starts_silent_and_then_learns() {
    let device = Device::flex().autodiff();
    let dir = std::env::temp_dir().join(format!("doodle-enclosure-test-{}", std::process::id()));
    let batch = Batch::render(&[3, 4], Style::Autumn, 64, &device);
    let enclosed = model::inference::scalar(batch.doodles.clone().narrow(1, 3, 1).sum());
    assert!(enclosed > 10.0, "the test's doodles enclose {enclosed} pixels");
    let mut trainer = seeded_trainer(4, &[device.clone()]);
    trainer.step(&batch);
    trainer.save(&dir).unwrap();
    let mut grown = resumed(&dir, &[device.clone()], Growth { enclosure: true, ..Growth::default() }).unwrap();
    assert!(grown.config.enclosure && grown.generator.reads_enclosure());
    let paint = |trainer: &Trainer| trainer.generator.forward(batch.doodles.clone(), Style::Autumn.index());
    let difference = |a: Tensor<4>, b: Tensor<4>| model::inference::scalar((a - b).abs().max());
    assert!(difference(paint(&grown), paint(&trainer)) < 1e-6, "the enclosure changes the painting before training");
    for _ in 0..3 {
        grown.step(&batch);
        trainer.step(&batch);
    }
    // The same three steps from the same state: only the enclosure's weights can differ.
    let learnt = difference(paint(&grown), paint(&trainer));
    assert!(learnt > 1e-3, "the enclosure is never read: {learnt}");
    // Saved with it, the run resumes reading it.
    grown.save(&dir).unwrap();
    let again = resumed(&dir, &[device.clone()], Growth::default()).unwrap();
    assert!(again.config.enclosure);
    assert!(difference(paint(&again), paint(&grown)) < 1e-6);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn an_element_head_learns_what_each_pixel_shows_and_is_left_out_of_the_painting() {
    use model::weights::{from_bytes, to_bytes};
    let device = Device::flex().autodiff();
    let batch = Batch::render(&[3, 8], Style::Night, 128, &device);
    let mut trainer = {
        let _only_us = initialising();
        device.seed(11);
        let config = common::config().with_element_head(scene::Element::ALL.len());
        let trainer = Trainer::new(&config, 8, &[device.clone()]);
        let _ = to_bytes(&trainer.generator);
        trainer
    };
    trainer.element_head = 1.0;
    let first = trainer.step(&batch);
    let mut last = first;
    for _ in 0..15 {
        last = trainer.step(&batch);
    }
    // At the network's own pace the head's cross-entropy fell 2 % in these
    // steps; at its faster pace (`HEAD_PACE`) about 10 %.
    assert!(first.elements > 1.0 && last.elements < first.elements * 0.95, "cross-entropy {} then {}", first.elements, last.elements);
    // What ships has no head and paints exactly as the network that has one.
    let shipped = trainer.generator.clone().without_element_head();
    let config = model::GeneratorConfig { element_head: 0, ..trainer.config.clone() };
    let reloaded = from_bytes(&config, to_bytes(&shipped).unwrap(), &device).unwrap();
    let painted = trainer.generator.forward(batch.doodles.clone(), Style::Night.index());
    let difference = (reloaded.forward(batch.doodles.clone(), Style::Night.index()) - painted).abs().max();
    // Half precision on the way.
    assert!(model::inference::scalar(difference) < 0.02);
    assert!(from_bytes(&trainer.config, to_bytes(&shipped).unwrap(), &device).is_err(), "a file without the head loads into a network with one");
}

#[test]
fn the_element_heads_target_is_the_centre_of_each_block() {
    use scene::Element;
    let size = 8;
    let mut elements = vec![Element::Sky; size * size];
    // Block (1, 0) has a house at its centre, block (0, 1) a house off centre.
    elements[2 * size + 6] = Element::House;
    elements[4 * size + 1] = Element::House;
    let one_hot = trainer::train::quarter_one_hot(&elements, size, 0.0);
    let at = |element: Element, y: usize, x: usize| one_hot[(element as usize * 2 + y) * 2 + x];
    assert_eq!(one_hot.len(), Element::ALL.len() * 4);
    assert_eq!(one_hot.iter().sum::<f32>(), 4.0);
    assert_eq!((at(Element::House, 0, 1), at(Element::Sky, 0, 1)), (1.0, 0.0));
    assert_eq!((at(Element::House, 1, 0), at(Element::Sky, 1, 0)), (0.0, 1.0));
    assert_eq!(at(Element::Sky, 0, 0) + at(Element::Sky, 1, 1), 2.0);

    // Balanced (power 1), the one house cell (a quarter of the grid) weighs
    // three times each of the three sky cells, the weights averaging 1.
    let balanced = trainer::train::quarter_one_hot(&elements, size, 1.0);
    let at = |element: Element, y: usize, x: usize| balanced[(element as usize * 2 + y) * 2 + x];
    assert!((balanced.iter().sum::<f32>() - 4.0).abs() < 1e-5);
    assert!((at(Element::House, 0, 1) / at(Element::Sky, 0, 0) - 3.0).abs() < 1e-5, "{balanced:?}");
    assert_eq!(at(Element::Sky, 0, 1), 0.0);
}

#[test]
fn quality_metrics_match_their_definitions() {
    use trainer::metrics::quality;
    let device = Device::flex();
    let target = Batch::render(&[4, 5], Style::OilDay, 64, &device).paintings;
    let same = quality(target.clone(), target.clone());
    assert_eq!(same.l1, 0.0);
    assert!(same.psnr >= 99.0 && (same.ssim - 1.0).abs() < 1e-4, "{same:?}");
    // Brighter by 0.1 of the range everywhere (0.2 on the model's [-1, 1] scale):
    // MSE 0.01, so 20 dB; SSIM barely changes, since structure is kept.
    let half = target.clone() * 0.5;
    let brighter = quality(half.clone() + 0.1, half - 0.1);
    assert!((brighter.l1 - 0.2).abs() < 1e-3 && (brighter.psnr - 20.0).abs() < 0.01, "{brighter:?}");
    assert!(brighter.ssim > 0.9, "{brighter:?}");
    // A flat grey has the right mean but no structure.
    let grey = quality(target.clone().zeros_like(), target);
    assert!(grey.ssim < brighter.ssim - 0.3, "{grey:?} against {brighter:?}");
}

#[test]
fn close_ups_cut_doodle_and_painting_from_the_same_window() {
    use scene::{Doodler, Scene, render_doodle_by, render_painting};
    use trainer::train::{CloseUp, Pairs, close_up};
    // Seed 2 is a close-up, drawn by a sampled doodler, not mirrored.
    let (seed, size) = (2, 64);
    let CloseUp { zoom, x, y } = close_up(seed, size);
    let pairs = Pairs::render_augmented(&[seed], Style::Autumn, size);
    let scene = Scene::sample(seed);
    let large = size * zoom;
    let window = |image: &model::RgbImage| -> Vec<u8> {
        (y..y + size).flat_map(|row| image.pixels[((row * large + x) * 3) as usize..((row * large + x + size) * 3) as usize].to_vec()).collect()
    };
    assert_eq!(pairs.paintings[0].pixels, window(&render_painting(&scene, Style::Autumn, seed, large)));
    assert_eq!(pairs.doodles[0].pixels, window(&render_doodle_by(&Doodler::sample(seed).zoomed(zoom as f32), &scene, seed, large)));
    // The element map is cut from the same window.
    let (_, elements) = scene::render_painting_and_elements(&scene, Style::Autumn, seed, large);
    let elements: Vec<_> = (y..y + size).flat_map(|row| elements[(row * large + x) as usize..(row * large + x + size) as usize].to_vec()).collect();
    assert_eq!(pairs.elements[0], elements);
    // Close-ups are anywhere in the scene, a quarter of the pairs.
    let windows: Vec<CloseUp> = (0..400).filter(|s| matches!(s % 8, 2 | 5)).map(|s| close_up(s, 256)).collect();
    assert_eq!(windows.len(), 100);
    assert!(windows.iter().all(|w| w.x <= 256 && w.y <= 256));
    for (axis, at) in [("x", windows.iter().map(|w| w.x).collect::<Vec<_>>()), ("y", windows.iter().map(|w| w.y).collect())] {
        let (least, most, mean) = (at.iter().min(), at.iter().max(), at.iter().sum::<u32>() / at.len() as u32);
        assert!(least < Some(&26) && most > Some(&230) && (100..156).contains(&mean), "{axis} from {least:?} to {most:?}, mean {mean}");
    }
}

#[test]
fn a_quarter_of_the_pairs_are_sparse_scenes_and_a_quarter_close_ups() {
    use scene::{Scene, render_painting};
    use trainer::train::{Augmentation, Pairs};
    let all: Vec<Augmentation> = (0..800).map(|seed| Augmentation::of_seed(seed, 256)).collect();
    let sparse = all.iter().filter(|a| a.sparse).count();
    let close_ups = all.iter().filter(|a| a.close_up.is_some()).count();
    assert_eq!((sparse, close_ups), (200, 200));
    assert!(all.iter().all(|a| !(a.sparse && a.close_up.is_some())), "a close-up of a sparse scene is mostly empty");
    assert!(all.iter().filter(|a| a.sparse).any(|a| a.mirror) && all.iter().filter(|a| a.sparse).any(|a| !a.mirror));
    // Seed 4 is sparse and not mirrored: its painting is the sparse scene's.
    let pairs = Pairs::render_augmented(&[4], Style::Night, 64);
    assert_eq!(pairs.paintings[0], render_painting(&Scene::sample_sparse(4), Style::Night, 4, 64));
}

#[test]
fn mirrored_pairs_mirror_their_element_maps_too() {
    use scene::{Scene, render_painting_and_elements};
    use trainer::train::Pairs;
    // Seed 7 is a whole scene, mirrored.
    let size = 64;
    let pairs = Pairs::render_augmented(&[7], Style::OilDay, size);
    let (_, elements) = render_painting_and_elements(&Scene::sample(7), Style::OilDay, 7, size);
    let flipped: Vec<_> = elements.chunks_exact(size as usize).flat_map(|row| row.iter().rev().copied()).collect();
    assert_eq!(pairs.elements[0], flipped);
    assert_ne!(pairs.elements[0], elements, "the scene is not symmetric");
}

#[test]
fn balanced_l1_weights_count_small_things_more() {
    use scene::Element;
    use trainer::train::l1_weights;
    // 90 pixels of sky, 10 of a tree.
    let elements: Vec<Element> = [Element::Sky; 90].into_iter().chain([Element::Tree; 10]).collect();
    assert!(l1_weights(&elements, 0.0).iter().all(|&w| (w - 1.0).abs() < 1e-6), "0: every pixel alike");
    let weights = l1_weights(&elements, 0.5);
    let mean = weights.iter().sum::<f32>() / weights.len() as f32;
    assert!((mean - 1.0).abs() < 1e-5, "mean {mean}");
    // share^-0.5: a tree pixel counts sqrt(9) = 3 times a sky pixel.
    assert!((weights[95] / weights[0] - 3.0).abs() < 1e-4, "{} against {}", weights[95], weights[0]);
}
