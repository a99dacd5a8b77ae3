//! How close any generator could come to the painter's targets on the
//! held-out seeds: the part of a target that its scene does not fix (the
//! texture, dabs and grain drawn from the painting's seed) cannot be
//! predicted from a doodle, and caps the validation's PSNR.
//!
//! For each held-out scene and style it paints the scene again with other
//! painting seeds and scores the target against their mean (the best a
//! predictor of the texture could do, a little worse for the finite
//! number of seeds) and against one other painting (two samples).
//!
//! `cargo run -p scene --release --example ceiling [SCENES] [OTHER_SEEDS]`
//! (48 and 16 unless given, as the model card's validation).

use scene::{Scene, Style, VALIDATION_SEEDS, render_painting};

fn mse(prediction: &[f64], target: &[u8]) -> f64 {
    prediction.iter().zip(target).map(|(&p, &t)| (p - f64::from(t) / 255.0).powi(2)).sum::<f64>() / prediction.len() as f64
}

fn psnr(mse: f64) -> f64 {
    -10.0 * mse.max(1e-10).log10()
}

fn unit(pixels: &[u8]) -> Vec<f64> {
    pixels.iter().map(|&v| f64::from(v) / 255.0).collect()
}

fn main() {
    let mut args = std::env::args().skip(1).map(|a| a.parse::<u64>().unwrap_or_else(|_| panic!("{a}: a count")));
    let scenes = args.next().unwrap_or(48);
    let others = args.next().unwrap_or(16).max(1);
    println!("{scenes} held-out scenes, each target against {others} other paintings of its scene (mean PSNR over scenes, dB)");
    println!("  style        one other  their mean");
    let mut ceilings = Vec::new();
    for style in Style::ALL {
        let (mut one, mut mean) = (0.0, 0.0);
        for seed in VALIDATION_SEEDS.start..VALIDATION_SEEDS.start + scenes {
            let scene = Scene::sample(seed);
            let target = render_painting(&scene, style, seed, 256).pixels;
            let mut sum = vec![0.0; target.len()];
            for k in 1..=others {
                // Painting seeds far from any scene's own.
                let other = unit(&render_painting(&scene, style, seed ^ (k << 50), 256).pixels);
                if k == 1 {
                    one += psnr(mse(&other, &target));
                }
                sum.iter_mut().zip(&other).for_each(|(s, o)| *s += o);
            }
            let average: Vec<f64> = sum.iter().map(|s| s / others as f64).collect();
            mean += psnr(mse(&average, &target));
        }
        let n = scenes as f64;
        println!("  {:12} {:6.2}     {:6.2}", style.id(), one / n, mean / n);
        ceilings.push(mean / n);
    }
    println!("  mean                    {:6.2}", ceilings.iter().sum::<f64>() / ceilings.len() as f64);
}
