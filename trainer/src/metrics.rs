//! How close a painting is to the painter's target, for validation: L1, PSNR
//! and SSIM, on batches of images in `[-1, 1]` as the generator makes them.

use burn::prelude::*;

pub use model::card::Quality;
use model::RgbImage;
use model::inference::scalar;
use scene::Element;

/// Compares `painted` with `target`, both `[n, 3, h, w]` in `[-1, 1]`.
pub fn quality(painted: Tensor<4>, target: Tensor<4>) -> Quality {
    let [n, ..] = painted.dims();
    let (x, y) = ((painted.clamp(-1.0, 1.0) + 1.0) * 0.5, (target + 1.0) * 0.5);
    let l1 = scalar((x.clone() - y.clone()).abs().mean()) * 2.0;
    let mse = (x.clone() - y.clone()).square().reshape([n as i32, -1]).mean_dim(1).clamp_min(1e-10);
    let psnr = scalar((mse.log() * (-10.0 / std::f32::consts::LN_10)).mean());
    Quality { l1, psnr, ssim: scalar(ssim(x, y)) }
}

/// Mean SSIM of `x` against `y`, both `[n, 3, h, w]` in `[0, 1]`, over 7x7
/// windows (no padding): a tensor, so that training can differentiate it
/// (`Trainer::ssim_weight`) and validation scores the same quantity.
pub fn ssim(x: Tensor<4>, y: Tensor<4>) -> Tensor<1> {
    let (c1, c2) = (0.01f32.powi(2), 0.03f32.powi(2));
    let (mx, my) = (window_means(x.clone()), window_means(y.clone()));
    let vx = window_means(x.clone().square()) - mx.clone().square();
    let vy = window_means(y.clone().square()) - my.clone().square();
    let cov = window_means(x * y) - mx.clone() * my.clone();
    let top = (mx.clone() * my.clone() * 2.0 + c1) * (cov * 2.0 + c2);
    let bottom = (mx.square() + my.square() + c1) * (vx + vy + c2);
    (top / bottom).mean()
}

/// The mean of each 7x7 window of `t` (stride 1, no padding): `avg_pool2d`'s
/// result, as seven shifted copies summed along each axis in turn. burn's CPU
/// backend pools and unpools pixel by pixel, tap by tap: with the SSIM loss
/// on, that took a fifth of a training step; these sums take a third as long.
fn window_means(t: Tensor<4>) -> Tensor<4> {
    const SIDE: usize = 7;
    let along = |t: Tensor<4>, axis: usize| {
        let kept = t.dims()[axis] - (SIDE - 1);
        (1..SIDE).fold(t.clone().narrow(axis, 0, kept), |sum, shift| sum + t.clone().narrow(axis, shift, kept))
    };
    along(along(t, 2), 3) / (SIDE * SIDE) as f32
}

/// Squared error summed per scene element, to tell where a painting's error
/// lies (the held-out PSNR says how much there is).
#[derive(Clone, Debug, Default)]
pub struct ErrorByElement {
    /// Per [`Element`] (its number): summed squared error over RGB in
    /// `[0, 1]`, and pixels.
    sums: [(f64, u64); Element::ALL.len()],
}

impl ErrorByElement {
    /// Adds one painting against its target and element map.
    pub fn add(&mut self, painted: &RgbImage, target: &RgbImage, elements: &[Element]) {
        let pixels = painted.pixels.chunks_exact(3).zip(target.pixels.chunks_exact(3));
        for ((a, b), &element) in pixels.zip(elements) {
            let error: f64 = a.iter().zip(b).map(|(&a, &b)| ((f64::from(a) - f64::from(b)) / 255.0).powi(2)).sum::<f64>() / 3.0;
            let sum = &mut self.sums[element as usize];
            *sum = (sum.0 + error, sum.1 + 1);
        }
    }

    /// Per element seen: its share of the pixels, the PSNR over its pixels
    /// in dB, and its share of the whole squared error.
    pub fn rows(&self) -> Vec<(Element, f64, f64, f64)> {
        let (error, pixels) = self.sums.iter().fold((0.0, 0), |(e, n), &(se, sn)| (e + se, n + sn));
        Element::ALL
            .iter()
            .zip(&self.sums)
            .filter(|(_, (_, n))| *n > 0)
            .map(|(&element, &(e, n))| (element, n as f64 / pixels as f64, -10.0 * (e / n as f64).max(1e-10).log10(), e / error.max(1e-10)))
            .collect()
    }

    /// The rows as a table for people, largest share of the error first.
    pub fn report(&self) -> String {
        let mut rows = self.rows();
        rows.sort_by(|a, b| b.3.total_cmp(&a.3));
        let mut out = String::from("  element        pixels   PSNR     share of the error\n");
        for (element, pixels, psnr, share) in rows {
            out += &format!("  {:12} {:6.1} %  {:5.1} dB  {:5.1} %\n", element.name(), pixels * 100.0, psnr, share * 100.0);
        }
        out
    }
}

/// Which element the element head (training only) names each cell of its
/// quarter-size grid, against what the cell shows: whether the network
/// tells a house from a lake at all. A painting's error says how far off it
/// is, not whether it took the thing drawn for something else.
#[derive(Clone, Debug, Default)]
pub struct Recognition {
    /// Cells by [the element shown][the element named].
    cells: [[u64; Element::ALL.len()]; Element::ALL.len()],
}

impl Recognition {
    /// Adds one image: the element named for each cell, and the element
    /// each cell shows (`quarter_centres`), both row by row.
    pub fn add(&mut self, named: &[Element], shown: &[Element]) {
        assert_eq!(named.len(), shown.len(), "one named element per cell");
        for (&named, &shown) in named.iter().zip(shown) {
            self.cells[shown as usize][named as usize] += 1;
        }
    }

    /// Per element shown: the share of its cells named right, and the
    /// element most often named instead with its share (none if always
    /// right).
    pub fn rows(&self) -> Vec<(Element, f64, Option<(Element, f64)>)> {
        Element::ALL
            .iter()
            .zip(&self.cells)
            .filter_map(|(&shown, named)| {
                let total: u64 = named.iter().sum();
                (total > 0).then(|| {
                    let share = |n: u64| n as f64 / total as f64;
                    let instead = Element::ALL.iter().zip(named).filter(|(e, n)| **e != shown && **n > 0).max_by_key(|(_, n)| **n);
                    (shown, share(named[shown as usize]), instead.map(|(&e, &n)| (e, share(n))))
                })
            })
            .collect()
    }
}

/// `whole` and `sparse` side by side as a table for people, one row per
/// element either saw, in the painter's order.
pub fn recognition_report(whole: &Recognition, sparse: &Recognition) -> String {
    let cell = |rows: &[(Element, f64, Option<(Element, f64)>)], element: Element| {
        rows.iter().find(|row| row.0 == element).map_or("-".to_string(), |(_, right, instead)| match instead {
            Some((other, share)) => format!("{:3.0} % (else {} {:.0} %)", right * 100.0, other.name(), share * 100.0),
            None => format!("{:3.0} %", right * 100.0),
        })
    };
    let (whole_rows, sparse_rows) = (whole.rows(), sparse.rows());
    let mut out = format!("  {:12} {:30} {}\n", "element", "whole scenes", "sparse scenes");
    for &element in &Element::ALL {
        if whole_rows.iter().chain(&sparse_rows).any(|row| row.0 == element) {
            out += &format!("  {:12} {:30} {}\n", element.name(), cell(&whole_rows, element), cell(&sparse_rows, element));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use burn::tensor::Distribution;
    use burn::tensor::module::avg_pool2d;
    use burn::tensor::ops::AvgPoolOptions;

    #[test]
    fn window_means_are_seven_by_seven_average_pooling() {
        let device = Device::flex();
        // Rows and columns of different lengths, so that the axes cannot be mixed up.
        let t = Tensor::<4>::random([2, 3, 19, 12], Distribution::Uniform(0.0, 1.0), &device);
        let pooled = avg_pool2d(t.clone(), AvgPoolOptions::new([7, 7]).with_stride([1, 1]));
        let means = window_means(t);
        assert_eq!(means.dims(), pooled.dims());
        let difference = scalar((means - pooled).abs().max().reshape([1]));
        assert!(difference < 1e-6, "{difference}");
    }

    #[test]
    fn recognition_counts_cells_named_right_and_what_else() {
        let mut seen = Recognition::default();
        let shown = [Element::House, Element::House, Element::House, Element::House, Element::Sky];
        seen.add(&[Element::House, Element::Water, Element::Water, Element::Tree, Element::Sky], &shown);
        let rows = seen.rows();
        assert_eq!(rows.len(), 2, "only the elements shown have rows: {rows:?}");
        assert_eq!(rows[0], (Element::Sky, 1.0, None));
        assert_eq!(rows[1], (Element::House, 0.25, Some((Element::Water, 0.5))));
        let report = recognition_report(&seen, &Recognition::default());
        assert!(report.contains("house") && report.contains("25 % (else water 50 %)"), "{report}");
    }
}
