//! Ships a training run: the generator of the checkpoint in RUN_DIR in half
//! precision, its manifest (`trained: true`), the model card (JSON and
//! Markdown) with validation scores per style on held-out seeds and the
//! hand-drawn set's checks, the validation sheet and the hand-drawn sheet.
//! Prints the hand-drawn checks per doodle, as `hand-drawn` does, where the
//! error lies per scene element and, from the training-only element head,
//! which element the network takes each one for.
//!
//! `cargo run -p trainer --release --bin export -- RUN_DIR [--out public/models] [--sheet docs/validation-sheet.png] [--hand-drawn-sheet docs/hand-drawn-sheet.png] [--seeds N]`
//!
//! The scores are of the half-precision weights as shipped, not of the checkpoint.

use std::path::{Path, PathBuf};

use clap::Parser;
use model::card::{Data, HandDrawn, ModelCard, Quality, Stage, StyleScores, Training, group_thousands};
use model::weights::{self, FILE_NAME, Manifest};
use model::{Device, Generator, GeneratorConfig, Inference, Module, RgbImage, Style};
use scene::{VALIDATION_SEEDS, render_pair};
use tiny_skia::Pixmap;
use trainer::hand_drawn::{Evaluation, SHEET_STYLES};
use trainer::metrics::{ErrorByElement, Recognition, recognition_report};
use trainer::train::{AVERAGE_DECAY, AVERAGE_FILE, Augmentation, GENERATOR_FILE, Pairs, Progress, load_generator_from, quarter_centres, run_config, validate, validate_sparse};

const RUN_NAME: &str = "runs/v2";

/// Ships the checkpoint of a training run: weights, manifest, model card and validation sheet.
#[derive(Parser)]
struct Args {
    /// The run's folder.
    run: PathBuf,
    /// Where the weights, manifest and model card go.
    #[arg(long, default_value = "public/models")]
    out: PathBuf,
    /// Where the validation sheet goes.
    #[arg(long, default_value = "docs/validation-sheet.png")]
    sheet: PathBuf,
    /// Where the hand-drawn sheet goes.
    #[arg(long, default_value = "docs/hand-drawn-sheet.png")]
    hand_drawn_sheet: PathBuf,
    /// Held-out seeds to score, in every style.
    #[arg(long, default_value_t = 48)]
    seeds: u64,
    /// Ship the last step's weights, not their moving average.
    #[arg(long)]
    latest: bool,
}

fn main() {
    if let Err(message) = run() {
        eprintln!("export: {message}");
        std::process::exit(1);
    }
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

/// The run's stages, each with its hardware: those from before stages
/// recorded it trained on this machine's CPU.
fn with_hardware(stages: &[Stage]) -> Vec<Stage> {
    let this_cpu = format!("CPU, {} (burn flex)", trainer::devices::cpu());
    stages
        .iter()
        .map(|stage| Stage { hardware: if stage.hardware.is_empty() { this_cpu.clone() } else { stage.hardware.clone() }, ..stage.clone() })
        .collect()
}

/// Where the run trained, in order, each kind of hardware once.
fn hardware(stages: &[Stage]) -> String {
    let mut all: Vec<&str> = Vec::new();
    for stage in stages {
        if !all.contains(&stage.hardware.as_str()) {
            all.push(&stage.hardware);
        }
    }
    all.join(", then ")
}

fn run() -> Result<(), String> {
    let args = Args::parse();
    let device = Device::flex();
    let run = run_config(&args.run)?;
    let progress = Progress::load(&args.run)?;
    // The moving average paints more steadily than any one step's weights.
    let average_from = progress.average_from.filter(|_| !args.latest && args.run.join(AVERAGE_FILE).exists());
    let file = if average_from.is_some() { AVERAGE_FILE } else { GENERATOR_FILE };
    let trained = load_generator_from(&run, &args.run, file, &device)?;
    let checkpoint = trained.clone().without_element_head();
    // The element head only teaches the network while it trains.
    let config = GeneratorConfig { element_head: 0, ..run };
    let bytes = weights::to_bytes(&checkpoint).map_err(|e| e.to_string())?;
    let shipped = weights::from_bytes(&config, bytes.clone(), &device).map_err(|e| e.to_string())?;

    let size = model::IMAGE_SIZE as u32;
    let seeds: Vec<u64> = (VALIDATION_SEEDS.start..VALIDATION_SEEDS.start + args.seeds).collect();
    let scores = validate(&[&shipped], &seeds, size, &device).remove(0);
    let sparse_scores = validate_sparse(&[&shipped], &seeds, size, &device).remove(0);

    let parameters = shipped.num_params();
    let inference = Inference::new(shipped, device.clone());
    let hand_drawn = Evaluation::run(&inference, &SHEET_STYLES)?;
    print!("{}", hand_drawn.report());

    let manifest = Manifest::new(&config, &bytes, true);
    // Step s trains on seeds s * batch .. (s + 1) * batch.
    let training_seeds_end = progress.stages.iter().map(|s| s.until_step * s.batch).max().unwrap_or(0);
    let train = "cargo run -p trainer --release --bin train --";
    let mut blocks_before = 0;
    let mut reproduce: Vec<String> = progress
        .stages
        .iter()
        .map(|s| {
            let adversarial = if s.adversarial_weight == model::card::default_adversarial_weight() { String::new() } else { format!(" --adversarial-weight {}", s.adversarial_weight) };
            let l1 = if s.l1_weight == model::card::default_l1_weight() { String::new() } else { format!(" --l1-weight {}", s.l1_weight) };
            let l2 = if s.l2_weight == 0.0 { String::new() } else { format!(" --l2-weight {}", s.l2_weight) };
            let balance = if s.element_balance == 0.0 { String::new() } else { format!(" --element-balance {}", s.element_balance) };
            let matching = if s.feature_matching == 0.0 { String::new() } else { format!(" --feature-matching {}", s.feature_matching) };
            let ssim = if s.ssim_weight == 0.0 { String::new() } else { format!(" --ssim-weight {}", s.ssim_weight) };
            // Blocks are kept on resuming: the flag says when they change.
            let blocks = match (s.blocks == blocks_before, s.blocks_level) {
                (true, _) => String::new(),
                (false, 0) => format!(" --blocks {}", s.blocks),
                (false, level) => format!(" --blocks {} --blocks-level {level}", s.blocks),
            };
            blocks_before = s.blocks;
            let head = match (s.element_head, s.element_head_balance) {
                (0.0, _) => String::new(),
                (weight, 0.0) => format!(" --element-head {weight}"),
                (weight, balance) => format!(" --element-head {weight} --element-head-balance {balance}"),
            };
            let enclosure = if s.enclosure { " --enclosure" } else { "" };
            let decay = s.decay.map_or(String::new(), |decay| format!(" --decay-from {} --decay-to {}", decay.from, decay.to));
            format!("{train} {RUN_NAME} --size {} --batch {} --learning-rate {:e}{adversarial}{l1}{l2}{matching}{ssim}{balance}{blocks}{head}{enclosure}{decay} --until-step {}", s.size, s.batch, s.learning_rate, s.until_step)
        })
        .collect();
    // Which weights it ships: the moving average, unless told the last step's.
    let latest = if args.latest { " --latest" } else { "" };
    reproduce.push(format!("cargo run -p trainer --release --bin export -- {RUN_NAME} --seeds {}{latest}", args.seeds));
    let stages = with_hardware(&progress.stages);
    let card = ModelCard {
        architecture: architecture(&config, size),
        parameters,
        file: FILE_NAME.into(),
        bytes: bytes.len() as u64,
        sha256: manifest.sha256.clone(),
        precision: "half precision (f16), cast back to f32 on load".into(),
        styles: Style::ALL
            .iter()
            .zip(&scores)
            .map(|(style, &validation)| StyleScores { id: style.id().into(), label: style.label().into(), validation })
            .collect(),
        hand_drawn: Some(HandDrawn { doodles: hand_drawn.doodles.len(), checks: hand_drawn.checks(), passed: hand_drawn.passed() }),
        data: Data {
            source: "this project's procedural scene painter (`scene/`): paired doodles and paintings rendered from a seed, on the fly".into(),
            training_seeds: [0, training_seeds_end],
            validation_seeds: [seeds[0], seeds[0] + args.seeds],
            validation_size: size,
            augmentation: format!(
                "two in three doodles drawn by a random doodler (stroke widths 1-10 px, more or less wobble, lines left out or gone over twice, stray scribbles, a small rotation, shear, scale and shift, some drawn at 96-512 px and resized); half of the pairs mirrored left to right; from step 9,000 one pair in four a close-up (a quarter of the scene drawn at twice the size), and from step 9,600 one in four a sparse scene (a few large things, as people sketch them); from step 15,400 every line where its element is painted (no rotation, shear, scale, shift or stray scribbles, nothing left out, wobble of at most 2 px, outlines simplified by at most a tenth of their size); from step 21,200 a sea drawn with a few short waves on it (as people mark open water), and sparse scenes' roads and rivers as wide as people draw them in perspective (up to 0.6 and 0.3 of the page at the bottom edge); before step 38,800 the doodlers that simplify outlines (two in five) dropped corners (a house's walls drawn as a slash, its roof as a line: a bug in the simplifier), from then on they keep them; from step 51,400 one doodler in two closes a bush's outline along its foot; from step 63,400 a line where a range's snow ends, as people draw a snow cap (snow had been on 45 % of the ranges with nothing in the doodle to tell it){}",
                if progress.step > 65_400 { "; from step 65,400 a far range drawn only where it shows above nearer ones and the hills" } else { "" }
            ),
        },
        training: Training {
            objective: objective(&progress.stages),
            weights: weights_shipped(average_from, progress.step),
            steps: progress.step,
            images_seen: progress.images_seen,
            hardware: hardware(&stages),
            stages,
        },
        reproduce,
    };

    write(&args.out.join(FILE_NAME), &bytes)?;
    write(&args.out.join("manifest.json"), (serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())? + "\n").as_bytes())?;
    write(&args.out.join("model-card.json"), (serde_json::to_string_pretty(&card).map_err(|e| e.to_string())? + "\n").as_bytes())?;
    write(&args.out.join("MODEL_CARD.md"), card.to_markdown().as_bytes())?;
    for (path, sheet) in [(&args.sheet, validation_sheet(&inference, &seeds[..seeds.len().min(2)])?), (&args.hand_drawn_sheet, hand_drawn.sheet()?)] {
        write(path, &sheet.encode_png().map_err(|e| format!("{}: {e}", path.display()))?)?;
    }
    println!("{}", card.summary());
    for style in &card.styles {
        let q = style.validation;
        println!("  {:12} L1 {:.3}  PSNR {:.2} dB  SSIM {:.3}", style.id, q.l1, q.psnr, q.ssim);
    }
    let mean = |score: fn(&Quality) -> f32| sparse_scores.iter().map(score).sum::<f32>() / sparse_scores.len() as f32;
    println!(
        "sparse held-out scenes (a few large things): PSNR {:.2} dB, SSIM {:.3}; per style {}",
        mean(|q| q.psnr),
        mean(|q| q.ssim),
        sparse_scores.iter().map(|q| format!("{:.1}/{:.2}", q.psnr, q.ssim)).collect::<Vec<_>>().join(" ")
    );
    println!("where the error lies on the held-out scenes, all styles:\n{}", error_by_element(&inference, &seeds)?.report());
    if let Some((whole, sparse)) = recognition(&trained, &seeds, &device)? {
        println!("what the element head (training only) names each element's cells on the held-out scenes, all styles:\n{}", recognition_report(&whole, &sparse));
    }
    let hand = card.hand_drawn.as_ref().map_or(0, |h| h.passed.iter().sum::<usize>());
    println!("hand-drawn checks passed: {hand} of {}", hand_drawn.checks() * Style::ALL.len());
    println!(
        "wrote {} ({} bytes, sha256 {}), the manifest and the model card, {} and {}",
        args.out.join(FILE_NAME).display(),
        bytes.len(),
        card.sha256,
        args.sheet.display(),
        args.hand_drawn_sheet.display()
    );
    Ok(())
}

/// The training objective, for the model card: pix2pix's, and what the run changed of it.
fn objective(stages: &[Stage]) -> String {
    let mut objective = String::from("pix2pix: 70x70 PatchGAN discriminator (LSGAN) plus ");
    objective += if stages.iter().all(|s| s.l1_weight == model::card::default_l1_weight()) {
        "100 x L1"
    } else {
        "L1, weighted per stage below (pix2pix's is 100)"
    };
    if stages.iter().any(|s| s.element_balance != 0.0) {
        objective += ", in stages with an element balance B each pixel's L1 weighted by its element's share of the image to the power -B (trees, houses and lakes count more than sky and grass)";
    }
    if stages.iter().any(|s| s.element_head != 0.0) {
        objective += ", in stages with an element head W plus W x the cross-entropy of a training-only 1x1 convolution that tells from the decoder's quarter-size features which of the painter's elements each pixel shows (not in the shipped file)";
    }
    if stages.iter().any(|s| s.feature_matching != 0.0) {
        objective += ", in stages with a feature-matching weight W plus W x the mean distance of the discriminator's activations on the painted pair from those on the real one (pix2pixHD)";
    }
    if stages.iter().any(|s| s.l2_weight != 0.0) {
        objective += ", in stages with an L2 weight W plus W x the mean squared error against the target (every pixel alike: what PSNR measures)";
    }
    if stages.iter().any(|s| s.ssim_weight != 0.0) {
        objective += ", in stages with an SSIM weight W plus W x (1 - SSIM of the painting against its target, 7x7 windows)";
    }
    if stages.iter().any(|s| s.adversarial_weight != model::card::default_adversarial_weight()) {
        objective += ", the adversarial loss weighted per stage below (at 0 the discriminator sat out)";
    }
    objective + "; Adam with betas (0.5, 0.999), learning rate per stage below; one style per batch, in turn"
}

/// Which of the run's weights the card describes.
fn weights_shipped(average_from: Option<u64>, step: u64) -> String {
    match average_from {
        Some(from) => format!(
            "the moving average of the generator's weights from step {} to {} (each step keeps {AVERAGE_DECAY} of the average and adds {:.3} of its weights), which paints more steadily than any one step's",
            group_thousands(from),
            group_thousands(step),
            1.0 - AVERAGE_DECAY
        ),
        None => format!("the generator's weights after step {}", group_thousands(step)),
    }
}

/// The paintings of the held-out `seeds` in every style (the pairs
/// `validate` scores), their error summed per scene element.
fn error_by_element(inference: &Inference, seeds: &[u64]) -> Result<ErrorByElement, String> {
    let mut errors = ErrorByElement::default();
    for &style in &Style::ALL[..inference.styles()] {
        let pairs = Pairs::render(seeds, style, model::IMAGE_SIZE as u32);
        for ((doodle, target), elements) in pairs.doodles.iter().zip(&pairs.paintings).zip(&pairs.elements) {
            errors.add(&inference.paint(doodle, style)?, target, elements);
        }
    }
    Ok(errors)
}

/// Which element the checkpoint's element head names each cell of the
/// held-out `seeds`, whole scenes and sparse ones, in every style; none if
/// the run trained no head.
fn recognition(trained: &Generator, seeds: &[u64], device: &Device) -> Result<Option<(Recognition, Recognition)>, String> {
    let size = model::IMAGE_SIZE as u32;
    let mut seen = (Recognition::default(), Recognition::default());
    for &style in &Style::ALL[..trained.styles()] {
        for (sparse, recognition) in [(false, &mut seen.0), (true, &mut seen.1)] {
            for chunk in seeds.chunks(8) {
                let pairs = Pairs::render_by(chunk, style, size, |_| Augmentation { sparse, ..Augmentation::default() });
                let (_, logits) = trained.forward_with_elements(pairs.to_batch(device).doodles, style);
                let Some(logits) = logits else { return Ok(None) };
                let named: Vec<i64> = logits.argmax(1).into_data().convert::<i64>().try_to_vec::<i64>().map_err(|e| format!("the element head's verdicts: {e:?}"))?;
                let cells = named.len() / chunk.len();
                for (named, shown) in named.chunks(cells).zip(&pairs.elements) {
                    let named: Vec<_> = named.iter().map(|&i| scene::Element::ALL[i as usize]).collect();
                    recognition.add(&named, &quarter_centres(shown, size as usize));
                }
            }
        }
    }
    Ok(Some(seen))
}

/// What the network is, for the model card.
fn architecture(config: &GeneratorConfig, size: u32) -> String {
    let up = if config.version == 1 {
        "transposed 4x4 convolutions up"
    } else {
        "resize-convolutions up (1x1 convolution, nearest upsampling, 3x3 convolution; the last also sees the doodle)"
    };
    let padding = if config.version == 1 { "zero padding" } else { "reflection padding (blank paper around the doodle)" };
    let blocks = match config.blocks {
        0 => String::new(),
        n => {
            let at = config.blocks_size(size as usize);
            let level = if config.blocks_level == 0 { "the first level up".to_string() } else { format!("the level up to {at}x{at}") };
            let blocks = if n == 1 { "1 residual block".to_string() } else { format!("{n} residual blocks") };
            format!(", {blocks} (two 3x3 convolutions each) at {at}x{at} after {level}")
        }
    };
    let input = if config.enclosure { "the doodle and what its lines enclose (pixels no path from the page's edge reaches without crossing a line, gaps up to 6 px closed) in" } else { "the doodle in" };
    format!(
        "pix2pix U-Net, layers version {}: {input}, {} strided 4x4 convolutions down ({size} to {}), {up} with skip connections{blocks}, {padding}, instance norm with a learnt scale and shift per style (conditional instance norm), tanh output; widths {:?}",
        config.version,
        config.widths.len(),
        size >> config.widths.len(),
        config.widths
    )
}

/// One row per style: for each seed, the doodle, the model's painting and the
/// painter's target. The same seeds in every row, so styles compare directly.
/// Shown at 192 px, which keeps the texture visible and the file small.
fn validation_sheet(inference: &Inference, seeds: &[u64]) -> Result<Pixmap, String> {
    let mut rows = Vec::new();
    for style in Style::ALL {
        let mut groups: Vec<[RgbImage; 3]> = Vec::new();
        for &seed in seeds {
            let (doodle, target) = render_pair(seed, style, model::IMAGE_SIZE as u32);
            let painting = inference.paint(&doodle, style)?;
            groups.push([doodle, painting, target]);
        }
        rows.push(groups);
    }
    let rows: Vec<Vec<Vec<&RgbImage>>> = rows.iter().map(|groups| groups.iter().map(|g| g.iter().collect()).collect()).collect();
    trainer::sheet::sheet(&rows, 192, 6)
}
