//! Weight files: burnpack bytes with every float stored in half precision,
//! and the manifest that lists them with their checksum.

use burn::prelude::*;
use burn::tensor::{Bytes, DType};
use burn::store::burn_pack::Tensor as PackTensor;
use burn::store::{BurnpackStore, FloatCastAdapter, ModuleAdapter, ModuleContext, ModuleSnapshot};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::generator::{Generator, GeneratorConfig};

/// Why weights could not be used. Each says what a person can do about it.
#[derive(Debug, Clone, PartialEq)]
pub enum WeightsError {
    /// The bytes are not the file the manifest lists.
    Size { expected: u64, actual: u64 },
    Checksum { expected: String, actual: String },
    /// The manifest is not valid JSON of the expected shape.
    Manifest(String),
    /// The file checked out but burn could not read it into this network.
    Format(String),
    /// The weights paint other styles than this version knows.
    Styles { expected: Vec<String>, actual: Vec<String> },
}

impl std::fmt::Display for WeightsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Size { expected, actual } => write!(
                f,
                "the weight file is {actual} bytes but should be {expected}: the download was cut short or the file is damaged"
            ),
            Self::Checksum { expected, actual } => write!(
                f,
                "the weight file's checksum is {actual} but the manifest lists {expected}: the file is damaged or from another version"
            ),
            Self::Manifest(why) => write!(f, "the model manifest could not be read: {why}"),
            Self::Format(why) => write!(f, "the weight file could not be loaded: {why}"),
            Self::Styles { expected, actual } => write!(
                f,
                "the weights paint the styles {} but this version knows {}: the weights are from another version",
                actual.join(", "),
                expected.join(", ")
            ),
        }
    }
}

impl std::error::Error for WeightsError {}

/// `public/models/manifest.json`: what the app fetches before the weights.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Manifest {
    /// File name of the weights, relative to the manifest.
    pub file: String,
    pub bytes: u64,
    /// Lower-case hex SHA-256 of the file.
    pub sha256: String,
    /// False for seeded initial weights: the page then says the model is untrained.
    pub trained: bool,
    pub config: ManifestConfig,
    /// Style ids in network order.
    pub styles: Vec<String>,
}

/// The network shape, as in [`GeneratorConfig`].
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct ManifestConfig {
    pub styles: usize,
    pub widths: Vec<usize>,
    /// The layers' version; manifests from before version 2 have none.
    #[serde(default = "first_version")]
    pub version: u32,
    /// Residual blocks; manifests of networks without them leave it out.
    #[serde(default, skip_serializing_if = "crate::card::is_zero_count")]
    pub blocks: usize,
    /// The decoder level the blocks follow; left out when it is the first.
    #[serde(default, skip_serializing_if = "crate::card::is_zero_count")]
    pub blocks_level: usize,
    /// Whether the network reads what the doodle's lines enclose; manifests
    /// of networks that do not leave it out.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub enclosure: bool,
}

fn first_version() -> u32 {
    1
}

/// The weight file's name beside its manifest.
pub const FILE_NAME: &str = "generator.bpk";

impl Manifest {
    /// The manifest of `bytes`, the weights of a network shaped by `config`
    /// with the styles of [`crate::Style::ALL`], stored as [`FILE_NAME`].
    pub fn new(config: &GeneratorConfig, bytes: &[u8], trained: bool) -> Self {
        Self {
            file: FILE_NAME.into(),
            bytes: bytes.len() as u64,
            sha256: sha256_hex(bytes),
            trained,
            config: ManifestConfig {
                styles: config.styles,
                widths: config.widths.clone(),
                version: config.version,
                blocks: config.blocks,
                blocks_level: config.blocks_level,
                enclosure: config.enclosure,
            },
            styles: crate::Style::ALL.iter().map(|s| s.id().to_string()).collect(),
        }
    }

    /// Reads a manifest, and checks that its styles are this version's, in
    /// this version's order (the network knows a style by its place).
    pub fn parse(json: &str) -> Result<Self, WeightsError> {
        let manifest: Self = serde_json::from_str(json).map_err(|e| WeightsError::Manifest(e.to_string()))?;
        let expected: Vec<String> = crate::Style::ALL.iter().map(|s| s.id().to_string()).collect();
        if manifest.styles != expected || manifest.config.styles != expected.len() {
            return Err(WeightsError::Styles { expected, actual: manifest.styles });
        }
        // A network is built from this shape before its weights are read: a
        // level it does not have would stop the worker rather than say so.
        manifest.generator_config().check().map_err(WeightsError::Manifest)?;
        Ok(manifest)
    }

    pub fn generator_config(&self) -> GeneratorConfig {
        GeneratorConfig::new(self.config.styles)
            .with_widths(self.config.widths.clone())
            .with_version(self.config.version)
            .with_blocks(self.config.blocks)
            .with_blocks_level(self.config.blocks_level)
            .with_enclosure(self.config.enclosure)
    }

    /// Checks that `bytes` are the file this manifest lists.
    pub fn verify(&self, bytes: &[u8]) -> Result<(), WeightsError> {
        if bytes.len() as u64 != self.bytes {
            return Err(WeightsError::Size {
                expected: self.bytes,
                actual: bytes.len() as u64,
            });
        }
        let actual = sha256_hex(bytes);
        if actual != self.sha256.to_ascii_lowercase() {
            return Err(WeightsError::Checksum {
                expected: self.sha256.clone(),
                actual,
            });
        }
        Ok(())
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Drops burn's random parameter ids, so the same weights always make the same
/// file (and checksum). They only matter for resuming an optimiser's state.
#[derive(Clone)]
struct WithoutParamIds;

impl ModuleAdapter for WithoutParamIds {
    fn adapt(&self, mut tensor: PackTensor, _ctx: ModuleContext<'_>) -> PackTensor {
        tensor.param_id = None;
        tensor
    }

    fn clone_box(&self) -> Box<dyn ModuleAdapter> {
        Box::new(self.clone())
    }
}

/// Serialises the generator's weights as burnpack bytes in half precision.
/// The same weights always give the same bytes.
pub fn to_bytes(generator: &Generator) -> Result<Vec<u8>, WeightsError> {
    let mut store = BurnpackStore::from_bytes(None)
        .with_to_adapter(FloatCastAdapter::to(DType::F16).chain(WithoutParamIds));
    generator
        .save_into(&mut store)
        .map_err(|e| WeightsError::Format(e.to_string()))?;
    let bytes = store
        .get_bytes()
        .map_err(|e| WeightsError::Format(e.to_string()))?;
    Ok(bytes.to_vec())
}

/// Loads half-precision burnpack bytes into a network of the given shape,
/// casting back to the device's float type.
pub fn from_bytes(
    config: &GeneratorConfig,
    bytes: Vec<u8>,
    device: &Device,
) -> Result<Generator, WeightsError> {
    let mut generator = config.init(device);
    let mut store = BurnpackStore::from_bytes(Some(Bytes::from_bytes_vec(bytes)))
        .with_from_adapter(FloatCastAdapter::to(DType::F32));
    if config.version == 1 {
        // Version 1 files name the decoder's transposed convolutions as they
        // were before version 2 moved them into `Up`.
        store = store
            .with_remap_pattern(r"^ups\.(\d+)\.conv\.", "ups.$1.up.transposed.")
            .with_remap_pattern(r"^out\.(weight|bias)$", "out.transposed.$1");
    }
    let result = generator
        .load_from(&mut store)
        .map_err(|e| WeightsError::Format(e.to_string()))?;
    if !result.missing.is_empty() || !result.errors.is_empty() {
        return Err(WeightsError::Format(format!(
            "the file does not fit this network (missing: {:?}, errors: {:?})",
            result.missing, result.errors
        )));
    }
    Ok(generator)
}

/// Reads `manifest.json` in `dir` and the weights it lists, checks them, and
/// loads them onto `device` (native commands; the browser streams them).
#[cfg(not(target_arch = "wasm32"))]
pub fn load_dir(dir: &std::path::Path, device: &Device) -> Result<(Manifest, Generator), String> {
    let read = |name: &str| std::fs::read(dir.join(name)).map_err(|e| format!("{}: {e}", dir.join(name).display()));
    let manifest = Manifest::parse(&String::from_utf8_lossy(&read("manifest.json")?)).map_err(|e| e.to_string())?;
    let bytes = read(&manifest.file)?;
    manifest.verify(&bytes).map_err(|e| e.to_string())?;
    let generator = from_bytes(&manifest.generator_config(), bytes, device).map_err(|e| e.to_string())?;
    Ok((manifest, generator))
}
