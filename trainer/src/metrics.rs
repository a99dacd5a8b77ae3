//! How close a painting is to the painter's target, for validation: L1, PSNR
//! and SSIM, on batches of images in `[-1, 1]` as the generator makes them.

use burn::prelude::*;
use burn::tensor::module::avg_pool2d;
use burn::tensor::ops::AvgPoolOptions;

pub use model::card::Quality;
use model::inference::scalar;

/// Compares `painted` with `target`, both `[n, 3, h, w]` in `[-1, 1]`.
pub fn quality(painted: Tensor<4>, target: Tensor<4>) -> Quality {
    let [n, ..] = painted.dims();
    let (x, y) = ((painted.clamp(-1.0, 1.0) + 1.0) * 0.5, (target + 1.0) * 0.5);
    let l1 = scalar((x.clone() - y.clone()).abs().mean()) * 2.0;
    let mse = (x.clone() - y.clone()).square().reshape([n as i32, -1]).mean_dim(1).clamp_min(1e-10);
    let psnr = scalar((mse.log() * (-10.0 / std::f32::consts::LN_10)).mean());
    Quality { l1, psnr, ssim: ssim(x, y) }
}

fn ssim(x: Tensor<4>, y: Tensor<4>) -> f32 {
    let window = |t: Tensor<4>| avg_pool2d(t, AvgPoolOptions::new([7, 7]).with_stride([1, 1]));
    let (c1, c2) = (0.01f32.powi(2), 0.03f32.powi(2));
    let (mx, my) = (window(x.clone()), window(y.clone()));
    let vx = window(x.clone().square()) - mx.clone().square();
    let vy = window(y.clone().square()) - my.clone().square();
    let cov = window(x * y) - mx.clone() * my.clone();
    let top = (mx.clone() * my.clone() * 2.0 + c1) * (cov * 2.0 + c2);
    let bottom = (mx.square() + my.square() + c1) * (vx + vy + c2);
    scalar((top / bottom).mean())
}
