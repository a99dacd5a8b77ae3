//! The model card: what the shipped weights are, how they were trained and how
//! well they paint held-out scenes. `export` writes it as JSON (the app reads
//! it) and as Markdown (for people), from one [`ModelCard`].

use serde::{Deserialize, Serialize};

/// Scores of paintings against the painter's targets.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct Quality {
    /// Mean absolute difference on the `[-1, 1]` scale the model is trained on.
    pub l1: f32,
    /// Peak signal-to-noise ratio in dB (pixels in `[0, 1]`), averaged over images.
    pub psnr: f32,
    /// Structural similarity: a 7x7 uniform window per channel (as
    /// scikit-image's default), averaged over windows, channels and images.
    pub ssim: f32,
}

/// A learning rate falling linearly from the stage's to zero, from step
/// `from` to step `to` (pix2pix's second half): by absolute steps, so a run
/// stopped and resumed on the way goes on where it was.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq)]
pub struct Decay {
    pub from: u64,
    pub to: u64,
}

impl Decay {
    /// The learning rate of the step after `step`, from the stage's `rate`.
    pub fn rate(&self, rate: f64, step: u64) -> f64 {
        let left = self.to.saturating_sub(step.max(self.from));
        rate * left as f64 / self.to.saturating_sub(self.from).max(1) as f64
    }
}

/// Steps trained at one image size, batch size and learning rate.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Stage {
    pub size: u32,
    pub batch: u64,
    #[serde(default = "default_learning_rate")]
    pub learning_rate: f64,
    /// The stage ends after this step.
    pub until_step: u64,
    /// Wall-clock time of the stage.
    pub seconds: f64,
    /// What it ran on, as the trainer saw it (empty in runs from before
    /// stages recorded it: those trained on the exporting machine's CPU).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub hardware: String,
    /// The adversarial loss's weight: pix2pix's 1, or 0 where the
    /// discriminator sat out (written only when it is not 1, so older cards
    /// read and write the same).
    #[serde(default = "default_adversarial_weight", skip_serializing_if = "is_default_adversarial_weight")]
    pub adversarial_weight: f32,
    /// The L1 loss's weight against the adversarial loss's 1 (written only
    /// when it is not pix2pix's 100, so older cards read and write the same).
    #[serde(default = "default_l1_weight", skip_serializing_if = "is_default_l1_weight")]
    pub l1_weight: f32,
    /// The weight of the mean squared error against the target (written
    /// only when not 0).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub l2_weight: f32,
    /// How much more small things counted in the L1 loss (0: every pixel
    /// alike; written only when not 0, like the L1 weight).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub element_balance: f32,
    /// The generator's residual blocks in this stage (written only when
    /// there are some).
    #[serde(default, skip_serializing_if = "is_zero_count")]
    pub blocks: usize,
    /// The decoder level they followed (0, the first level up, is left out).
    #[serde(default, skip_serializing_if = "is_zero_count")]
    pub blocks_level: usize,
    /// The weight of the element head's cross-entropy (0: no head; written
    /// only when not 0).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub element_head: f32,
    /// How much more small things counted in the element head's
    /// cross-entropy, as `element_balance` in the L1 loss (written only when
    /// not 0).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub element_head_balance: f32,
    /// The weight of the feature-matching loss (the discriminator's
    /// activations on painted pairs against real ones; written only when not 0).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub feature_matching: f32,
    /// The weight of 1 - SSIM of the paintings against their targets
    /// (written only when not 0).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub ssim_weight: f32,
    /// Whether the generator read what the doodle's lines enclose (written
    /// only when it did).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub enclosure: bool,
    /// The learning rate's fall to zero, if it fell (written only then).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decay: Option<Decay>,
}

impl Stage {
    /// Whether `other` trained the same way (all but where it ended and how long it took).
    pub fn same_settings(&self, other: &Stage) -> bool {
        // Two tuples: the standard library compares tuples of up to 12.
        let settings = |s: &Stage| ((s.size, s.batch, s.learning_rate, s.adversarial_weight, s.l1_weight, s.element_balance, s.blocks, s.blocks_level), (s.l2_weight, s.element_head, s.element_head_balance, s.feature_matching, s.ssim_weight, s.enclosure, s.decay, s.hardware.clone()));
        settings(self) == settings(other)
    }
}

fn is_zero(value: &f32) -> bool {
    *value == 0.0
}

pub(crate) fn is_zero_count(count: &usize) -> bool {
    *count == 0
}

/// pix2pix's learning rate, the trainer's default.
pub fn default_learning_rate() -> f64 {
    2e-4
}

/// pix2pix's weight of the adversarial loss, the trainer's default.
pub fn default_adversarial_weight() -> f32 {
    1.0
}

fn is_default_adversarial_weight(weight: &f32) -> bool {
    *weight == default_adversarial_weight()
}

/// pix2pix's weight of the L1 loss, the trainer's default.
pub fn default_l1_weight() -> f32 {
    100.0
}

fn is_default_l1_weight(weight: &f32) -> bool {
    *weight == default_l1_weight()
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ModelCard {
    pub architecture: String,
    pub parameters: usize,
    pub file: String,
    pub bytes: u64,
    pub sha256: String,
    pub precision: String,
    pub styles: Vec<StyleScores>,
    /// The hand-drawn evaluation set's results (cards from before it have none).
    #[serde(default)]
    pub hand_drawn: Option<HandDrawn>,
    pub data: Data,
    pub training: Training,
    /// Commands, run in order from the repository root, that remake the file.
    pub reproduce: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct StyleScores {
    pub id: String,
    pub label: String,
    pub validation: Quality,
}

/// Checks passed on the hand-drawn evaluation set (`trainer/eval/hand-drawn.txt`).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct HandDrawn {
    pub doodles: usize,
    /// Checks per style.
    pub checks: usize,
    /// Checks passed, per style in the order of `ModelCard::styles`.
    pub passed: Vec<usize>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Data {
    pub source: String,
    /// Half-open seed ranges `[start, end)`.
    pub training_seeds: [u64; 2],
    pub validation_seeds: [u64; 2],
    /// Held-out seeds scored, at this size, in every style.
    pub validation_size: u32,
    pub augmentation: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Training {
    pub objective: String,
    /// Which of the run's weights are shipped (cards from before runs kept
    /// an average have none: the last step's).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub weights: String,
    pub steps: u64,
    pub images_seen: u64,
    pub stages: Vec<Stage>,
    pub hardware: String,
}

impl ModelCard {
    pub fn parse(json: &str) -> Result<Self, String> {
        serde_json::from_str(json).map_err(|e| format!("the model card could not be read: {e}"))
    }

    pub fn training_hours(&self) -> f64 {
        self.training.stages.iter().map(|s| s.seconds).sum::<f64>() / 3600.0
    }

    fn mean(&self, score: impl Fn(&Quality) -> f32) -> f32 {
        self.styles.iter().map(|s| score(&s.validation)).sum::<f32>() / self.styles.len().max(1) as f32
    }

    /// One line for the page.
    pub fn summary(&self) -> String {
        format!(
            "trained on {} generated scenes ({:.1} h, {}); held-out PSNR {:.1} dB, SSIM {:.2}",
            group_thousands(self.training.images_seen),
            self.training_hours(),
            self.training.hardware,
            self.mean(|q| q.psnr),
            self.mean(|q| q.ssim),
        )
    }

    /// The card for people.
    pub fn to_markdown(&self) -> String {
        let mut md = String::from("# Model card: the doodle-to-painting generator\n\n");
        md += "Turns a 256 x 256 doodle (dark lines on white) into a painting in one of the styles below. ";
        md += "It runs in the browser (WebGPU or CPU) and natively (`cargo run -p model --release --bin paint`).\n\n";
        md += &format!("- **Architecture:** {}\n", self.architecture);
        md += &format!("- **Parameters:** {}\n", group_thousands(self.parameters as u64));
        md += &format!("- **File:** `{}`, {} bytes, {}\n", self.file, group_thousands(self.bytes), self.precision);
        md += &format!("- **SHA-256:** `{}`\n\n", self.sha256);
        md += "## Validation\n\n";
        md += &format!(
            "Held-out seeds {} ({} scenes, never trained on), painted at {} x {} in every style and compared with the procedural painter's own painting of the scene. ",
            seeds(self.data.validation_seeds),
            self.data.validation_seeds[1] - self.data.validation_seeds[0],
            self.data.validation_size,
            self.data.validation_size
        );
        md += "L1 is on the model's [-1, 1] scale (lower is better); PSNR and SSIM on [0, 1] pixels (higher is better). ";
        md += "The targets are one plausible painting among many, so these scores favour safe, smooth guesses: read them beside the validation sheet (`docs/validation-sheet.png`).\n\n";
        md += "| style | L1 | PSNR (dB) | SSIM |\n| --- | --- | --- | --- |\n";
        for style in &self.styles {
            let q = style.validation;
            md += &format!("| {} (`{}`) | {:.3} | {:.2} | {:.3} |\n", style.label, style.id, q.l1, q.psnr, q.ssim);
        }
        md += &format!("| mean | {:.3} | {:.2} | {:.3} |\n\n", self.mean(|q| q.l1), self.mean(|q| q.psnr), self.mean(|q| q.ssim));
        if let Some(hand) = &self.hand_drawn {
            md += "## Hand-drawn doodles\n\n";
            md += &format!(
                "{} doodles drawn as a person draws them on the page (`trainer/eval/hand-drawn.txt`, never trained on), each with checks of what its painting must show where: {} checks per style. ",
                hand.doodles, hand.checks
            );
            md += "`cargo run -p trainer --release --bin hand-drawn` prints them per doodle; `docs/hand-drawn-sheet.png` shows the paintings.\n\n";
            md += "| style | checks passed |\n| --- | --- |\n";
            for (style, passed) in self.styles.iter().zip(&hand.passed) {
                md += &format!("| {} (`{}`) | {passed} of {} |\n", style.label, style.id, hand.checks);
            }
            let all: usize = hand.passed.iter().sum();
            let of = hand.checks * hand.passed.len();
            md += &format!("| all | {all} of {of} ({:.0} %) |\n\n", 100.0 * all as f64 / of.max(1) as f64);
        }
        md += "## Data\n\n";
        md += &format!("- **Source:** {}\n", self.data.source);
        md += &format!(
            "- **Training seeds:** {}; validation seeds {} are never trained on.\n",
            seeds(self.data.training_seeds),
            seeds(self.data.validation_seeds)
        );
        md += &format!("- **Augmentation:** {}\n\n", self.data.augmentation);
        md += "## Training\n\n";
        md += &format!("- **Objective:** {}\n", self.training.objective);
        if !self.training.weights.is_empty() {
            md += &format!("- **Weights:** {}\n", self.training.weights);
        }
        md += &format!(
            "- **Seen:** {} images in {} steps, {:.1} hours on {}\n\n",
            group_thousands(self.training.images_seen),
            group_thousands(self.training.steps),
            self.training_hours(),
            self.training.hardware
        );
        // Cards from before stages recorded their hardware have one line of it, above.
        let per_stage = self.training.stages.iter().any(|s| !s.hardware.is_empty());
        // Likewise the L1 weight, for runs that changed it.
        let l1_weights = self.training.stages.iter().any(|s| !is_default_l1_weight(&s.l1_weight));
        let adversarial = self.training.stages.iter().any(|s| !is_default_adversarial_weight(&s.adversarial_weight));
        let l2_weights = self.training.stages.iter().any(|s| s.l2_weight != 0.0);
        let balance = self.training.stages.iter().any(|s| s.element_balance != 0.0);
        let blocks = self.training.stages.iter().any(|s| s.blocks != 0);
        let element_head = self.training.stages.iter().any(|s| s.element_head != 0.0);
        let enclosure = self.training.stages.iter().any(|s| s.enclosure);
        let matching = self.training.stages.iter().any(|s| s.feature_matching != 0.0);
        let ssim = self.training.stages.iter().any(|s| s.ssim_weight != 0.0);
        md += "| stage | image size | batch | learning rate |";
        md += if adversarial { " adversarial weight |" } else { "" };
        md += if l1_weights { " L1 weight |" } else { "" };
        md += if l2_weights { " L2 weight |" } else { "" };
        md += if matching { " feature matching |" } else { "" };
        md += if ssim { " SSIM weight |" } else { "" };
        md += if balance { " element balance |" } else { "" };
        md += if blocks { " residual blocks |" } else { "" };
        md += if element_head { " element head |" } else { "" };
        md += if enclosure { " enclosure |" } else { "" };
        md += " steps | hours |";
        md += if per_stage { " on |" } else { "" };
        md += "\n|";
        let optional = [per_stage, adversarial, l1_weights, l2_weights, matching, ssim, balance, blocks, element_head, enclosure];
        md += &" --- |".repeat(6 + optional.iter().filter(|&&shown| shown).count());
        md += "\n";
        let mut from = 0;
        for (i, stage) in self.training.stages.iter().enumerate() {
            md += &format!(
                "| {} | {} | {} | {} |{}{}{}{}{}{}{}{}{} {}..{} | {:.2} |{}\n",
                i + 1,
                stage.size,
                stage.batch,
                match stage.decay {
                    None => format!("{:e}", stage.learning_rate),
                    Some(Decay { from, to }) => format!("{:e}, to 0 from {} to {}", stage.learning_rate, group_thousands(from), group_thousands(to)),
                },
                if adversarial { format!(" {} |", stage.adversarial_weight) } else { String::new() },
                if l1_weights { format!(" {} |", stage.l1_weight) } else { String::new() },
                if l2_weights { format!(" {} |", stage.l2_weight) } else { String::new() },
                if matching { format!(" {} |", stage.feature_matching) } else { String::new() },
                if ssim { format!(" {} |", stage.ssim_weight) } else { String::new() },
                if balance { format!(" {} |", stage.element_balance) } else { String::new() },
                if blocks { format!(" {} |", stage.blocks) } else { String::new() },
                match (element_head, stage.element_head_balance) {
                    (false, _) => String::new(),
                    (true, 0.0) => format!(" {} |", stage.element_head),
                    (true, balance) => format!(" {}, balance {balance} |", stage.element_head),
                },
                if enclosure { format!(" {} |", if stage.enclosure { "read" } else { "-" }) } else { String::new() },
                from,
                stage.until_step,
                stage.seconds / 3600.0,
                if per_stage { format!(" {} |", stage.hardware) } else { String::new() }
            );
            from = stage.until_step;
        }
        md += "\n## Limitations\n\n";
        md += "It knows the painter's landscapes only: sky, sun or moon, stars, clouds, mountains, hills, sea, lakes, rivers, trees, bushes, houses, roads, fields, rocks and flowers, drawn as dark lines on white. ";
        let on_a_gpu = self.training.stages.iter().any(|s| !s.hardware.is_empty() && !s.hardware.starts_with("CPU"));
        let trained = if on_a_gpu { "trained for hours rather than days" } else { "trained for hours on two CPU cores rather than days on a GPU" };
        md += &format!("Anything else is painted as the nearest of those. It paints at 256 x 256, and, {trained}, its paintings are softer and less detailed than the painter's.\n");
        md += "\n## Reproduce\n\nFrom the repository root, in order (a run resumes from its folder, so each stage continues the last):\n\n```sh\n";
        for command in &self.reproduce {
            md += command;
            md += "\n";
        }
        md += "```\n\n";
        md += "The same steps see the same pairs; results can still differ in the last bits, as multi-threaded float sums are not ordered.\n";
        md
    }
}

/// A half-open seed range, held-out ones written from 2^40 as they are chosen.
fn seeds([start, end]: [u64; 2]) -> String {
    const HELD_OUT: u64 = 1 << 40;
    match start.checked_sub(HELD_OUT) {
        Some(from) => format!("2^40 + {from} to 2^40 + {}", end - HELD_OUT),
        None => format!("{start} to {end}"),
    }
}

/// `n` with a comma between each three digits: 152,000.
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_decay_falls_linearly_to_zero_by_absolute_steps() {
        let decay = Decay { from: 1000, to: 2000 };
        assert_eq!(decay.rate(1e-4, 0), 1e-4, "before it starts");
        assert_eq!(decay.rate(1e-4, 1000), 1e-4);
        assert!((decay.rate(1e-4, 1500) - 5e-5).abs() < 1e-12, "halfway, half");
        assert!((decay.rate(1e-4, 1999) - 1e-7).abs() < 1e-12, "the last step's");
        assert_eq!(decay.rate(1e-4, 2000), 0.0);
        assert_eq!(decay.rate(1e-4, 5000), 0.0, "never below zero");
    }
}
