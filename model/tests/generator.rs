use burn::prelude::*;
use model::weights::{self, Manifest, ManifestConfig, sha256_hex};
use model::{GeneratorConfig, IMAGE_SIZE, Inference, RgbImage, Style, WeightsError};

fn device() -> Device {
    Device::flex()
}

/// burn's seed is global to the process and tests run on parallel threads:
/// seeding and initialising must not interleave with another test's.
static SEEDED_INIT: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn generator(seed: u64) -> model::Generator {
    generator_of(&GeneratorConfig::new(Style::ALL.len()), seed)
}

fn generator_of(config: &GeneratorConfig, seed: u64) -> model::Generator {
    let _only_us = SEEDED_INIT.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let device = device();
    device.seed(seed);
    let generator = config.init(&device);
    // Parameters initialise lazily: make them real while the lock is held.
    let _ = weights::to_bytes(&generator);
    generator
}

/// A doodle-like test image: white with a black diagonal band and a box.
fn doodle() -> RgbImage {
    let mut pixels = vec![255u8; IMAGE_SIZE * IMAGE_SIZE * 3];
    for y in 0..IMAGE_SIZE {
        for x in 0..IMAGE_SIZE {
            let ink = (x as i64 - y as i64).abs() < 3 || (x > 40 && x < 90 && (y == 60 || y == 61));
            if ink {
                let i = (y * IMAGE_SIZE + x) * 3;
                pixels[i..i + 3].fill(0);
            }
        }
    }
    RgbImage { width: IMAGE_SIZE, height: IMAGE_SIZE, pixels }
}

#[test]
fn painting_has_the_doodle_shape_and_range() {
    let generator = generator(1);
    let input = Tensor::<4>::zeros([2, 3, IMAGE_SIZE, IMAGE_SIZE], &device());
    let out = generator.forward(input, 0);
    assert_eq!(out.dims(), [2, 3, IMAGE_SIZE, IMAGE_SIZE]);
    let values = out.into_data().try_to_vec::<f32>().unwrap();
    assert!(values.iter().all(|v| (-1.0..=1.0).contains(v)), "tanh output");
}

/// How far the painting of a blank page is from one flat colour: the largest
/// spread of any channel over the picture.
fn spread_on_a_blank_page(generator: &model::Generator) -> f32 {
    let blank = Tensor::<4>::ones([1, 3, IMAGE_SIZE, IMAGE_SIZE], &device());
    let painting = generator.forward(blank, 3);
    let spread = painting.clone().max_dim(2).max_dim(3) - painting.min_dim(2).min_dim(3);
    spread.max().into_scalar()
}

#[test]
fn a_blank_page_paints_no_frame_and_no_checkerboard_whatever_the_weights() {
    // Padding with blank paper and by reflection, and nearest upsampling before
    // each convolution, keep a flat input flat through every layer: nothing
    // can tell a pixel by the border it is near or by its place on a 2x2 grid.
    for seed in [1, 2] {
        let spread = spread_on_a_blank_page(&generator(seed));
        assert!(spread < 1e-4, "seed {seed}: a blank page painted with a spread of {spread}");
    }
    // Version 1's zero padding and transposed convolutions paint a frame.
    let version_1 = GeneratorConfig::new(Style::ALL.len()).with_version(1);
    assert!(spread_on_a_blank_page(&generator_of(&version_1, 1)) > 0.01);
}

#[test]
fn same_weights_and_input_give_the_same_painting() {
    let inference = Inference::new(generator(7), device());
    let a = inference.paint(&doodle(), Style::ALL[2]).unwrap();
    let b = inference.paint(&doodle(), Style::ALL[2]).unwrap();
    assert_eq!(a, b);
    assert_eq!(a.pixels.len(), IMAGE_SIZE * IMAGE_SIZE * 3);
}

#[test]
fn styles_and_doodles_change_the_painting() {
    let inference = Inference::new(generator(7), device());
    let base = inference.paint(&doodle(), Style::ALL[0]).unwrap();
    let other_style = inference.paint(&doodle(), Style::ALL[3]).unwrap();
    assert_ne!(base, other_style, "style conditioning has no effect");
    let blank = RgbImage { width: IMAGE_SIZE, height: IMAGE_SIZE, pixels: vec![255; IMAGE_SIZE * IMAGE_SIZE * 3] };
    assert_ne!(base, inference.paint(&blank, Style::ALL[0]).unwrap(), "the doodle has no effect");
}

#[test]
#[should_panic(expected = "style")]
fn an_unknown_style_is_refused() {
    let generator = generator(1);
    generator.forward(Tensor::<4>::zeros([1, 3, IMAGE_SIZE, IMAGE_SIZE], &device()), Style::ALL.len());
}

#[test]
fn half_precision_weights_round_trip() {
    let config = GeneratorConfig::new(Style::ALL.len());
    let original = generator(3);
    let bytes = weights::to_bytes(&original).unwrap();
    // Half precision: about 2 bytes a parameter plus a small header.
    let params = original.num_params();
    assert!(bytes.len() < params * 2 + 64 * 1024, "{} bytes for {params} params", bytes.len());
    assert!(bytes.len() > params * 2);

    let loaded = weights::from_bytes(&config, bytes.clone(), &device()).unwrap();
    let a = Inference::new(original, device()).paint(&doodle(), Style::ALL[1]).unwrap();
    let b = Inference::new(loaded, device()).paint(&doodle(), Style::ALL[1]).unwrap();
    let max_diff = a.pixels.iter().zip(&b.pixels).map(|(x, y)| x.abs_diff(*y)).max().unwrap();
    assert!(max_diff <= 2, "f16 round trip moved a pixel by {max_diff}");

    // Saving the loaded weights again gives the same bytes.
    let reloaded = weights::from_bytes(&config, bytes.clone(), &device()).unwrap();
    assert_eq!(weights::to_bytes(&reloaded).unwrap(), bytes);
}

#[test]
fn weights_for_another_shape_are_refused() {
    let bytes = weights::to_bytes(&generator(3)).unwrap();
    let narrower = GeneratorConfig::new(Style::ALL.len()).with_widths(vec![8, 16, 32, 64, 64, 64]);
    let err = weights::from_bytes(&narrower, bytes, &device()).unwrap_err();
    assert!(matches!(err, WeightsError::Format(_)), "{err}");
}

#[test]
fn garbage_bytes_are_refused_not_panicked_on() {
    let config = GeneratorConfig::new(Style::ALL.len());
    for bytes in [vec![], vec![0u8; 10], b"not a burnpack file at all".repeat(100)] {
        assert!(weights::from_bytes(&config, bytes, &device()).is_err());
    }
}

#[test]
fn manifest_catches_truncated_and_altered_files() {
    let file = b"some weight bytes".to_vec();
    let manifest = Manifest {
        file: "generator.bpk".into(),
        bytes: file.len() as u64,
        sha256: sha256_hex(&file),
        trained: false,
        config: ManifestConfig { styles: 6, widths: vec![16, 32, 64, 128, 128, 128], version: 2, blocks: 0, blocks_level: 0, enclosure: false },
        styles: Style::ALL.iter().map(|s| s.id().to_string()).collect(),
    };
    assert_eq!(manifest.verify(&file), Ok(()));
    assert!(matches!(manifest.verify(&file[..5]), Err(WeightsError::Size { .. })));
    let mut altered = file.clone();
    altered[0] ^= 1;
    assert!(matches!(manifest.verify(&altered), Err(WeightsError::Checksum { .. })));
    let json = serde_json::to_string(&manifest).unwrap();
    assert_eq!(Manifest::parse(&json).unwrap(), manifest);
    assert!(matches!(Manifest::parse("{\"file\": 3}"), Err(WeightsError::Manifest(_))));
}

#[test]
fn a_manifest_says_whether_the_network_reads_the_enclosure_and_older_ones_do_not() {
    let config = GeneratorConfig::new(Style::ALL.len()).with_enclosure(true);
    let json = serde_json::to_string(&Manifest::new(&config, b"weights", true)).unwrap();
    assert!(json.contains("\"enclosure\":true"), "{json}");
    assert_eq!(Manifest::parse(&json).unwrap().generator_config(), config);
    // Manifests of networks that do not read it leave it out, as the ones shipped before it did.
    let json = serde_json::to_string(&Manifest::new(&GeneratorConfig::new(Style::ALL.len()), b"weights", true)).unwrap();
    assert!(!json.contains("enclosure"), "{json}");
    assert!(!Manifest::parse(&json).unwrap().generator_config().enclosure);
}

#[test]
fn a_manifest_says_where_its_blocks_are_and_a_level_the_network_lacks_is_refused() {
    let config = GeneratorConfig::new(Style::ALL.len()).with_blocks(1).with_blocks_level(2);
    let json = serde_json::to_string(&Manifest::new(&config, b"weights", true)).unwrap();
    assert_eq!(Manifest::parse(&json).unwrap().generator_config(), config);
    // Blocks after the first level up leave the level out, as manifests before levels did.
    let first = serde_json::to_string(&Manifest::new(&config.clone().with_blocks_level(0), b"weights", true)).unwrap();
    assert!(!first.contains("blocks_level"), "{first}");
    // Six encoder levels have five levels up: 0 to 4.
    let json = serde_json::to_string(&Manifest::new(&config.with_blocks_level(5), b"weights", true)).unwrap();
    let err = Manifest::parse(&json).unwrap_err();
    assert!(matches!(err, WeightsError::Manifest(_)), "{err}");
}

#[test]
fn a_manifest_with_other_styles_is_refused() {
    let mut manifest = Manifest::new(&GeneratorConfig::new(Style::ALL.len()), b"weights", true);
    manifest.styles.swap(0, 1);
    let json = serde_json::to_string(&manifest).unwrap();
    let err = Manifest::parse(&json).unwrap_err();
    assert!(matches!(err, WeightsError::Styles { .. }), "{err}");
    assert!(err.to_string().contains("oil-sunset, oil-day"), "{err}");
}

#[test]
fn a_seed_always_makes_the_same_weight_file() {
    let a = weights::to_bytes(&generator(42)).unwrap();
    let b = weights::to_bytes(&generator(42)).unwrap();
    let c = weights::to_bytes(&generator(43)).unwrap();
    assert_eq!(sha256_hex(&a), sha256_hex(&b));
    assert_ne!(a, c);
}

#[test]
fn the_networks_input_is_the_doodle_then_what_its_lines_enclose() {
    // A tall box's outline, 3 px wide, on a white page: columns 40 to 80, rows 20 to 110.
    let size = 128;
    let on_box = |x: usize, y: usize| (40..80).contains(&x) && (20..110).contains(&y) && !((43..77).contains(&x) && (23..107).contains(&y));
    let pixels = (0..size * size).flat_map(|i| [if on_box(i % size, i / size) { 0 } else { 255 }; 3]).collect();
    let doodle = RgbImage { width: size, height: size, pixels };
    let input = model::inference::doodles_to_tensor(&[doodle], &device());
    assert_eq!(input.dims(), [1, 4, size, size]);
    let at = |channel: usize, x: usize, y: usize| input.clone().slice([0..1, channel..channel + 1, y..y + 1, x..x + 1]).into_scalar();
    // Row y, column x: the box's line is ink (-1) in every colour, the paper white (1).
    assert_eq!((at(0, 41, 60), at(1, 41, 60), at(2, 41, 60), at(0, 20, 60)), (-1.0, -1.0, -1.0, 1.0));
    // Inside the box (and nowhere off it) is enclosed: the fourth channel.
    assert_eq!((at(3, 60, 100), at(3, 44, 24), at(3, 41, 60), at(3, 20, 60), at(3, 100, 60)), (1.0, 1.0, 0.0, 0.0, 0.0));
}
