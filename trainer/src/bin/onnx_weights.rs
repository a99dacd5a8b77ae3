//! The shipped generator's weights as safetensors (f32, burn's parameter
//! names, the network's shape in the metadata), with a reference: a
//! hand-drawn doodle and burn's painting of it in every style, before
//! rounding to pixels. `bench/onnx_export.py` builds the ONNX graph from them
//! and checks that onnxruntime paints what burn paints (the peer benchmark).
//!
//! `cargo run -p trainer --release --bin onnx-weights -- [--weights DIR] [--out DIR]`

use std::collections::HashMap;
use std::path::PathBuf;

use burn::store::ModuleSnapshot;
use burn::tensor::DType;
use clap::Parser;
use model::inference::input_for;
use model::{Device, Style, weights};
use safetensors::{Dtype, tensor::TensorView};
use trainer::hand_drawn;

#[derive(Parser)]
struct Args {
    /// Folder with manifest.json and the weights it lists.
    #[arg(long = "weights", default_value = "public/models")]
    weights_dir: PathBuf,
    /// Where `generator.safetensors` and `reference.safetensors` go.
    #[arg(long, default_value = "target/bench")]
    out: PathBuf,
}

fn main() {
    if let Err(message) = run() {
        eprintln!("onnx-weights: {message}");
        std::process::exit(1);
    }
}

/// Little-endian f32 bytes of `values`.
fn le_bytes(values: &[f32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

fn write(path: &std::path::Path, tensors: Vec<(String, Vec<usize>, Vec<u8>)>, metadata: HashMap<String, String>) -> Result<(), String> {
    let views = tensors
        .iter()
        .map(|(name, shape, bytes)| Ok((name.clone(), TensorView::new(Dtype::F32, shape.clone(), bytes).map_err(|e| format!("{name}: {e}"))?)))
        .collect::<Result<Vec<_>, String>>()?;
    let bytes = safetensors::serialize(views, Some(metadata)).map_err(|e| e.to_string())?;
    std::fs::write(path, bytes).map_err(|e| format!("{}: {e}", path.display()))
}

fn run() -> Result<(), String> {
    let args = Args::parse();
    let device = Device::flex();
    let (manifest, generator) = weights::load_dir(&args.weights_dir, &device)?;
    std::fs::create_dir_all(&args.out).map_err(|e| format!("{}: {e}", args.out.display()))?;

    let mut parameters = Vec::new();
    for tensor in generator.collect(None, None, false) {
        if tensor.dtype != DType::F32 {
            return Err(format!("{} is {:?}, not f32", tensor.name, tensor.dtype));
        }
        let (name, shape) = (tensor.name.clone(), tensor.shape.to_vec());
        let bytes = tensor.to_bytes().map_err(|e| format!("{name}: {e:?}"))?;
        parameters.push((name, shape, bytes.to_vec()));
    }
    let config = serde_json::to_string(&manifest.config).map_err(|e| e.to_string())?;
    write(&args.out.join("generator.safetensors"), parameters, HashMap::from([("config".to_string(), config)]))?;

    // The first hand-drawn doodle: drawn as people draw, never trained on.
    let doodle = hand_drawn::parse(hand_drawn::SET)?.into_iter().next().ok_or("the hand-drawn set is empty")?;
    // The network's input: the doodle, and what its lines enclose for a
    // network that reads it.
    let input = input_for(&generator, &[doodle.render()], &device);
    let mut reference = vec![("doodle".to_string(), input.dims().to_vec(), le_bytes(&to_floats(input.clone())?))];
    for style in Style::ALL {
        let painting = generator.forward(input.clone(), style.index());
        reference.push((format!("painting.{}", style.index()), painting.dims().to_vec(), le_bytes(&to_floats(painting)?)));
    }
    write(&args.out.join("reference.safetensors"), reference, HashMap::from([("doodle".to_string(), doodle.name)]))?;
    println!("wrote {} and {}", args.out.join("generator.safetensors").display(), args.out.join("reference.safetensors").display());
    Ok(())
}

fn to_floats(tensor: burn::prelude::Tensor<4>) -> Result<Vec<f32>, String> {
    tensor.into_data().try_to_vec::<f32>().map_err(|e| format!("{e:?}"))
}
