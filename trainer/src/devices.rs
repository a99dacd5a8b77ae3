//! Where training runs: burn's CPU backend (`flex`), or every GPU of one
//! kind on the machine (`wgpu`: Vulkan, Metal or DX12; `cuda`).

use std::fmt;

use model::Device;

/// A backend `train --device` names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Backend {
    /// burn's pure-Rust CPU backend, all cores.
    Flex,
    /// GPUs through wgpu (this build's `wgpu` feature, on by default).
    Wgpu,
    /// NVIDIA GPUs through CUDA (built with `--features cuda`).
    Cuda,
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Backend::Flex => "flex",
            Backend::Wgpu => "wgpu",
            Backend::Cuda => "cuda",
        })
    }
}

/// What `devices` of `backend` are, for the model card: the CPU by name
/// and thread count (starting "CPU", which the card reads as no GPU), or the
/// GPUs by name.
pub fn describe(backend: Backend, devices: &[Device]) -> String {
    match backend {
        Backend::Flex => format!("CPU, {} (burn flex)", cpu()),
        _ => {
            let name = devices[0].identity().map_or_else(|| "an unnamed device".into(), |identity| identity.name);
            format!("{} x {name} (burn {backend})", devices.len())
        }
    }
}

/// This machine's CPU: its thread count and name, from /proc/cpuinfo where
/// there is one.
pub fn cpu() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let name = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name").and_then(|rest| rest.split(':').nth(1)))
        .map(|name| name.trim().to_string())
        .unwrap_or_else(|| "an unknown CPU".into());
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    format!("{threads} threads of {name}")
}

/// The autodiff devices to train on: the first `count` of `backend`'s, all
/// of them when `count` is `None`.
pub fn training_devices(backend: Backend, count: Option<usize>) -> Result<Vec<Device>, String> {
    let found = match backend {
        Backend::Flex => vec![Device::flex()],
        Backend::Wgpu => wgpu_devices()?,
        Backend::Cuda => cuda_devices()?,
    };
    if found.is_empty() {
        return Err(format!("no {backend} device on this machine"));
    }
    let count = count.unwrap_or(found.len());
    if count == 0 || count > found.len() {
        return Err(format!("asked for {count} {backend} devices; this machine has {}", found.len()));
    }
    Ok(found.into_iter().take(count).map(Device::autodiff).collect())
}

/// The machine's GPUs as wgpu sees them. A software adapter (Mesa's
/// lavapipe, say) counts only where there is no real GPU: beside one it
/// would slow every step down to its pace.
#[cfg(feature = "wgpu")]
fn wgpu_devices() -> Result<Vec<Device>, String> {
    use burn::tensor::DeviceType;
    let all: Vec<Device> = Device::enumerate(DeviceType::Wgpu).into_iter().collect();
    // burn names no card behind a CPU or software adapter.
    let is_card = |device: &Device| device.identity().is_some_and(|identity| identity.physical.is_some());
    let hardware: Vec<Device> = all.iter().filter(|device| is_card(device)).cloned().collect();
    Ok(if hardware.is_empty() { all } else { hardware })
}

#[cfg(not(feature = "wgpu"))]
fn wgpu_devices() -> Result<Vec<Device>, String> {
    Err("this build has no wgpu: build the trainer with its default features".into())
}

#[cfg(feature = "cuda")]
fn cuda_devices() -> Result<Vec<Device>, String> {
    Ok(Device::enumerate(burn::tensor::DeviceType::Cuda).into_iter().collect())
}

#[cfg(not(feature = "cuda"))]
fn cuda_devices() -> Result<Vec<Device>, String> {
    Err("this build has no CUDA: build the trainer with `--features cuda`".into())
}

/// Makes burn's default device the CPU for this process, unless
/// `BURN_DEVICE` says otherwise. burn loads an optimiser's saved state onto
/// the default device (and moves it to each weight's device at the first
/// step), and the default would be the first GPU backend built in: a CPU-only
/// machine could not resume then. Call it first thing in `main`, before any
/// thread starts.
pub fn load_states_on_the_cpu() {
    if std::env::var_os("BURN_DEVICE").is_none() {
        // SAFETY: called at the start of `main`, before any other thread exists.
        unsafe { std::env::set_var("BURN_DEVICE", "flex") };
    }
}
