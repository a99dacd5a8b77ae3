//! The weights in `public/models` are trained, described truthfully by their
//! model card, and paint what the doodle drew: checked on held-out scenes.

use std::path::Path;

use model::card::ModelCard;
use model::{Device, Inference, RgbImage, Style, weights};
use scene::{VALIDATION_SEEDS, render_pair};

fn shipped() -> (weights::Manifest, Inference) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/models");
    let device = Device::flex();
    let (manifest, generator) = weights::load_dir(&dir, &device).expect("the shipped weights load and match their manifest");
    (manifest, Inference::new(generator, device))
}

fn l1(a: &RgbImage, b: &RgbImage) -> f32 {
    a.pixels.iter().zip(&b.pixels).map(|(x, y)| x.abs_diff(*y) as f32).sum::<f32>() / a.pixels.len() as f32
}

/// The image filled with its own mean colour: the best any painter can do
/// that knows the palette but not where things are.
fn flat(image: &RgbImage) -> RgbImage {
    let n = (image.width * image.height) as f32;
    let mean: Vec<u8> = (0..3)
        .map(|c| (image.pixels.iter().skip(c).step_by(3).map(|&v| v as f32).sum::<f32>() / n).round() as u8)
        .collect();
    RgbImage { pixels: mean.repeat(image.width * image.height), ..image.clone() }
}

#[test]
fn the_model_card_describes_the_shipped_file() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/models");
    let (manifest, _) = shipped();
    assert!(manifest.trained, "the shipped weights are marked trained");
    let card = ModelCard::parse(&std::fs::read_to_string(dir.join("model-card.json")).unwrap()).unwrap();
    assert_eq!((card.sha256.as_str(), card.bytes), (manifest.sha256.as_str(), manifest.bytes));
    let ids: Vec<&str> = card.styles.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, Style::ALL.iter().map(|s| s.id()).collect::<Vec<_>>());
    assert!(card.bytes <= 4_000_000, "at most 4 MB in half precision");
    assert!(card.training.images_seen > 10_000 && !card.reproduce.is_empty());
    let markdown = std::fs::read_to_string(dir.join("MODEL_CARD.md")).unwrap();
    assert_eq!(markdown, card.to_markdown(), "MODEL_CARD.md is the card's JSON, rendered");
}

#[test]
fn a_card_shows_l1_weights_and_element_balance_only_for_runs_that_changed_them() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../public/models");
    let json = std::fs::read_to_string(dir.join("model-card.json")).unwrap();
    let mut card = ModelCard::parse(&json).unwrap();
    // The shipped run's stages as pix2pix trained them: the default weights, no
    // L2, balance or SSIM loss.
    for stage in &mut card.training.stages {
        (stage.adversarial_weight, stage.l1_weight, stage.l2_weight, stage.element_balance, stage.ssim_weight) =
            (model::card::default_adversarial_weight(), model::card::default_l1_weight(), 0.0, 0.0, 0.0);
    }
    let json = serde_json::to_string(&card).unwrap();
    assert!(!json.contains("l1_weight") && !json.contains("element_balance"), "pix2pix's 100 and no balance are not written");
    let header = |markdown: &str| markdown.lines().find(|line| line.starts_with("| stage |")).unwrap_or_default().to_string();
    let plain = header(&card.to_markdown());
    assert!(!plain.contains("L1 weight") && !plain.contains("element balance"), "{plain}");
    let last = card.training.stages.last_mut().unwrap();
    (last.l1_weight, last.element_balance) = (1000.0, 0.5);
    let table = StageTable::of(&card);
    assert!(table.header.contains("| learning rate | L1 weight | element balance |"), "{}", table.header);
    assert!(table.first.contains("| 100 | 0 |") && table.last.contains("| 1000 | 0.5 |"), "{table:?}");
    assert!(survives_json(&card), "the weight and balance survive the JSON");
    // A learning rate decayed to zero says so in its stage's row.
    card.training.stages.last_mut().unwrap().decay = Some(model::card::Decay { from: 20_000, to: 30_000 });
    let markdown = card.to_markdown();
    assert!(markdown.lines().any(|line| line.contains(", to 0 from 20,000 to 30,000 |")), "{markdown}");
    assert!(survives_json(&card), "the decay survives the JSON");
    // Feature matching gets a column once a stage trained with it.
    assert!(!json.contains("feature_matching") && !markdown.contains("feature matching"));
    card.training.stages.last_mut().unwrap().feature_matching = 10.0;
    let table = StageTable::of(&card);
    assert!(table.header.contains("| L1 weight | feature matching | element balance |"), "{}", table.header);
    assert!(table.last.contains("| 1000 | 10 | 0.5 |") && table.first.contains("| 100 | 0 | 0 |"), "{table:?}");
    assert!(survives_json(&card), "the weight survives the JSON");
    // So does an SSIM loss, beside it.
    assert!(!table.header.contains("SSIM weight") && !serde_json::to_string(&card).unwrap().contains("ssim_weight"), "{}", table.header);
    card.training.stages.last_mut().unwrap().ssim_weight = 50.0;
    let table = StageTable::of(&card);
    assert!(table.header.contains("| feature matching | SSIM weight | element balance |"), "{}", table.header);
    assert!(table.last.contains("| 1000 | 10 | 50 | 0.5 |"), "{}", table.last);
    assert!(survives_json(&card), "the SSIM weight survives the JSON");
    // A stage without the discriminator shows its adversarial weight of 0, the others pix2pix's 1.
    assert!(!table.header.contains("adversarial weight") && !serde_json::to_string(&card).unwrap().contains("adversarial_weight"), "{}", table.header);
    card.training.stages.last_mut().unwrap().adversarial_weight = 0.0;
    let table = StageTable::of(&card);
    assert!(table.header.contains("| learning rate | adversarial weight | L1 weight |"), "{}", table.header);
    assert!(table.last.contains("| 0 | 1000 | 10 | 50 | 0.5 |") && table.first.contains("| 1 | 100 |"), "{table:?}");
    assert!(survives_json(&card), "the adversarial weight survives the JSON");
    // An L2 loss gets its column after the L1 weight's.
    assert!(!table.header.contains("L2 weight") && !serde_json::to_string(&card).unwrap().contains("l2_weight"), "{}", table.header);
    card.training.stages.last_mut().unwrap().l2_weight = 500.0;
    let table = StageTable::of(&card);
    assert!(table.header.contains("| L1 weight | L2 weight | feature matching |"), "{}", table.header);
    assert!(table.last.contains("| 0 | 1000 | 500 | 10 |"), "{}", table.last);
    assert!(survives_json(&card), "the L2 weight survives the JSON");
}

/// The model card's table of stages: its header, and its first and last
/// stages' rows.
#[derive(Debug)]
struct StageTable {
    header: String,
    first: String,
    last: String,
}

impl StageTable {
    /// `card`'s, once its Markdown has one rule per column.
    fn of(card: &ModelCard) -> Self {
        let markdown = card.to_markdown();
        let mut lines = markdown.lines().skip_while(|line| !line.starts_with("| stage |"));
        let (header, rule) = (lines.next().unwrap(), lines.next().unwrap());
        assert_eq!(rule.matches("---").count(), header.matches('|').count() - 1, "one rule per column");
        let row = |stage: usize| markdown.lines().find(|line| line.starts_with(&format!("| {stage} |"))).unwrap().to_string();
        StageTable { header: header.to_string(), first: row(1), last: row(card.training.stages.len()) }
    }
}

/// Whether `card` reads back from its JSON unchanged.
fn survives_json(card: &ModelCard) -> bool {
    ModelCard::parse(&serde_json::to_string(card).unwrap()).unwrap() == *card
}

#[test]
fn paintings_follow_the_doodle_on_held_out_scenes() {
    let (_, inference) = shipped();
    let seeds: Vec<u64> = (0..6).map(|i| VALIDATION_SEEDS.start + 1000 + i).collect();
    for style in Style::ALL {
        let pairs: Vec<(RgbImage, RgbImage)> = seeds.iter().map(|&seed| render_pair(seed, style, 256)).collect();
        let (mut model, mut palette_only, mut wrong_scene) = (0.0, 0.0, 0.0);
        for (i, (doodle, target)) in pairs.iter().enumerate() {
            let painting = inference.paint(doodle, style).unwrap();
            model += l1(&painting, target);
            palette_only += l1(&flat(target), target);
            wrong_scene += l1(&painting, &pairs[(i + 1) % pairs.len()].1);
        }
        let id = style.id();
        // Closer to its own scene than a flat fill of the target's own mean
        // colour, and than to another scene: the layout comes from the doodle.
        assert!(model < palette_only, "{id}: L1 {model:.1} is not below a flat fill's {palette_only:.1}");
        assert!(model < wrong_scene * 0.9, "{id}: L1 {model:.1} to its own scene, {wrong_scene:.1} to another");
    }
}

#[test]
fn a_blank_page_paints_one_flat_colour_in_every_style() {
    // No frame along the borders and no pattern in flat sky: every pixel the same.
    let (_, inference) = shipped();
    let blank = RgbImage { width: 256, height: 256, pixels: vec![255; 256 * 256 * 3] };
    for style in Style::ALL {
        let painting = inference.paint(&blank, style).unwrap();
        let first = &painting.pixels[..3];
        let off = painting.pixels.chunks(3).filter(|pixel| pixel != &first).count();
        assert_eq!(off, 0, "{}: {off} pixels differ from the first", style.id());
    }
}

#[test]
fn styles_differ_visibly_on_the_same_doodle() {
    let (_, inference) = shipped();
    let (doodle, _) = render_pair(VALIDATION_SEEDS.start + 7, Style::OilDay, 256);
    let paintings: Vec<RgbImage> = Style::ALL.iter().map(|&style| inference.paint(&doodle, style).unwrap()).collect();
    for a in 0..Style::ALL.len() {
        for b in a + 1..Style::ALL.len() {
            let difference = l1(&paintings[a], &paintings[b]);
            assert!(difference > 8.0, "{} and {} differ by only {difference:.1} / 255", Style::ALL[a].id(), Style::ALL[b].id());
        }
    }
}
