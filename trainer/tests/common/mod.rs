//! What the trainer's test files share: a small network, and trainers seeded
//! one at a time.

use std::sync::{Mutex, MutexGuard};

use burn::store::{BurnpackStore, ModuleSnapshot};
use model::{Device, GeneratorConfig, Style};
use trainer::train::{Growth, Trainer};

/// burn's seed is global to the process and tests run on parallel threads: no
/// two tests may draw initial weights at the same time.
static INITIALISING: Mutex<()> = Mutex::new(());

/// Holds the initialisation lock (for code that builds a trainer otherwise).
pub fn initialising() -> MutexGuard<'static, ()> {
    INITIALISING.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A fresh trainer on `devices` with weights drawn from `seed`.
pub fn seeded_trainer(seed: u64, devices: &[Device]) -> Trainer {
    let _only_us = initialising();
    devices[0].seed(seed);
    let trainer = Trainer::new(&config(), 8, devices);
    // Parameters initialise lazily: draw them while the lock is held.
    let _ = model::weights::to_bytes(&trainer.generator);
    let _ = trainer.discriminator.clone().save_into(&mut BurnpackStore::from_bytes(None));
    trainer
}

/// The run checkpointed in `dir`, resumed on `devices` as `grow` says
/// (holding the initialisation lock: parts it adds draw initial weights).
pub fn resumed(dir: &std::path::Path, devices: &[Device], grow: Growth) -> Result<Trainer, String> {
    let _only_us = initialising();
    Trainer::resume(8, dir, devices, grow)
}

pub fn config() -> GeneratorConfig {
    // Small and 64 px wide: the same code as the real run, fast enough for a test.
    GeneratorConfig::new(Style::ALL.len()).with_widths(vec![8, 16, 16, 16, 16, 16])
}
