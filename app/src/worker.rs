//! The painting worker: fetches and checks the weights, picks WebGPU or the
//! CPU, and paints doodles the page sends. Runs in a dedicated Web Worker so the
//! page never waits on the network or the model.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Reflect, Uint8Array};
use model::card::ModelCard;
use model::{Device, GeneratorConfig, IMAGE_SIZE, Inference, Manifest, RgbImage, Style, StyleMix};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent, ReadableStreamDefaultReader, Response};

use crate::timelapse;
use crate::protocol::{BackendChoice, Blend, FromWorker, StyleOption, ToWorker, faster_backend};

const MANIFEST_URL: &str = "models/manifest.json";
const MODEL_CARD_URL: &str = "models/model-card.json";

thread_local! {
    static INFERENCE: RefCell<Option<Rc<Inference>>> = const { RefCell::new(None) };
    /// The last painting, its job and style (of a blend, the one it is more
    /// of): what brushwork re-paints.
    static LAST_PAINTING: RefCell<Option<(u64, Style, RgbImage)>> = const { RefCell::new(None) };
    /// While painting on WebGPU: the weights again and the page's Ready
    /// message, to go on on the CPU if the GPU device is lost.
    static CPU_FALLBACK: RefCell<Option<CpuFallback>> = const { RefCell::new(None) };
    /// The time-lapse being made (0: none): a newer one, or a stop, ends it.
    static TIMELAPSE_JOB: Cell<u64> = const { Cell::new(0) };
}

struct CpuFallback {
    config: GeneratorConfig,
    bytes: Vec<u8>,
    ready: FromWorker,
}

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(message: &FromWorker) {
    match serde_wasm_bindgen::to_value(message) {
        Ok(value) => {
            if let Err(e) = scope().post_message(&value) {
                web_sys::console::error_2(&"worker: posting a message failed".into(), &e);
            }
        }
        Err(e) => web_sys::console::error_1(&format!("worker: {e}").into()),
    }
}

fn js_error(context: &str, error: JsValue) -> String {
    format!("{context}: {}", crate::js::error_message(&error))
}

/// Entry point of the `worker` binary.
pub fn start() {
    console_error_panic_hook::set_once();
    let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| {
        match serde_wasm_bindgen::from_value::<ToWorker>(event.data()) {
            Ok(ToWorker::Paint { job, style, blend, rgb }) => {
                wasm_bindgen_futures::spawn_local(paint(job, style, blend, rgb));
            }
            Ok(ToWorker::Brush { job, seed, size, export }) => brushwork(job, seed, size, export),
            Ok(ToWorker::TimeLapse { job, style, blend, strokes, save }) => {
                TIMELAPSE_JOB.set(job);
                wasm_bindgen_futures::spawn_local(time_lapse(job, style, blend, strokes, save));
            }
            Ok(ToWorker::Import { job, width, height, rgba }) => {
                let strokes = crate::import::strokes_from_photo(&rgba, width as usize, height as usize);
                post(&FromWorker::Imported { job, strokes });
            }
            Ok(ToWorker::StopTimeLapse { job }) => {
                if TIMELAPSE_JOB.get() == job {
                    TIMELAPSE_JOB.set(0);
                }
            }
            Err(e) => post(&FromWorker::Failed {
                job: None,
                message: format!("the worker got a message it does not understand: {e}"),
            }),
        }
    });
    scope().set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();

    let backend = BackendChoice::from_search(&scope().location().search());
    wasm_bindgen_futures::spawn_local(async move {
        match load(backend).await {
            Ok(ready) => post(&ready),
            Err(message) => post(&FromWorker::Failed { job: None, message }),
        }
    });
}

async fn fetch_ok(url: &str) -> Result<Response, String> {
    let response: Response = JsFuture::from(scope().fetch_with_str(url))
        .await
        .map_err(|e| js_error(&format!("could not fetch {url}"), e))?
        .unchecked_into();
    if !response.ok() {
        return Err(format!("could not fetch {url}: HTTP {}", response.status()));
    }
    Ok(response)
}

/// Reads a response body chunk by chunk, reporting progress against `expected`.
async fn read_with_progress(response: Response, expected: u64) -> Result<Vec<u8>, String> {
    let body = response.body().ok_or("the weight response has no body")?;
    let reader: ReadableStreamDefaultReader = body.get_reader().unchecked_into();
    let mut bytes = Vec::with_capacity(expected as usize);
    post(&FromWorker::Progress { loaded: 0, total: Some(expected) });
    loop {
        let chunk = JsFuture::from(reader.read())
            .await
            .map_err(|e| js_error("downloading the weights failed", e))?;
        let done = Reflect::get(&chunk, &"done".into()).map_err(|e| js_error("read", e))?;
        if done.as_bool() == Some(true) {
            break;
        }
        let value = Reflect::get(&chunk, &"value".into()).map_err(|e| js_error("read", e))?;
        bytes.extend(Uint8Array::new(&value).to_vec());
        post(&FromWorker::Progress {
            loaded: bytes.len() as u64,
            total: Some(expected),
        });
    }
    Ok(bytes)
}

async fn fetch_text(url: &str, what: &str) -> Result<String, String> {
    let promise = fetch_ok(url).await?.text().map_err(|e| js_error(what, e))?;
    let text = JsFuture::from(promise).await.map_err(|e| js_error(what, e))?;
    Ok(text.as_string().unwrap_or_default())
}

async fn load(choice: BackendChoice) -> Result<FromWorker, String> {
    let manifest_text = fetch_text(MANIFEST_URL, "reading the manifest").await?;
    // Also checks that the weights paint this version's styles, in its order.
    let manifest = Manifest::parse(&manifest_text).map_err(|e| e.to_string())?;
    // The card only describes the model: painting goes on without it.
    let about = match fetch_text(MODEL_CARD_URL, "reading the model card").await.and_then(|text| ModelCard::parse(&text)) {
        Ok(card) => Some(card.summary()),
        Err(message) => {
            web_sys::console::warn_1(&message.into());
            None
        }
    };

    let weights_url = format!("models/{}", manifest.file);
    let bytes = read_with_progress(fetch_ok(&weights_url).await?, manifest.bytes).await?;
    manifest.verify(&bytes).map_err(|e| e.to_string())?;

    let (inference, backend, on_webgpu) = inference_on_best_device(choice, &manifest, bytes.clone()).await?;
    INFERENCE.with(|cell| *cell.borrow_mut() = Some(Rc::new(inference)));
    let styles = Style::ALL
        .iter()
        .map(|style| StyleOption { id: style.id().into(), label: style.label().into() })
        .collect();
    let ready = FromWorker::Ready { backend: backend.clone(), trained: manifest.trained, styles, about };
    if on_webgpu {
        let fallback = CpuFallback { config: manifest.generator_config(), bytes, ready: ready.clone() };
        CPU_FALLBACK.with(|cell| *cell.borrow_mut() = Some(fallback));
    }
    Ok(ready)
}

fn has_webgpu() -> bool {
    let navigator = scope().navigator();
    Reflect::get(&navigator, &"gpu".into()).is_ok_and(|gpu| !gpu.is_undefined() && !gpu.is_null())
}

/// The backend asked for, or on `Auto` the faster of WebGPU and burn's CPU
/// backend, timed here on a few warm paintings: during loading, not on the
/// first stroke. A WebGPU device is proven with one painting before it is
/// trusted, which also compiles its shaders. Returns the generator on its
/// device, the page's name for the backend, and whether it is WebGPU.
async fn inference_on_best_device(
    choice: BackendChoice,
    manifest: &Manifest,
    bytes: Vec<u8>,
) -> Result<(Inference, String, bool), String> {
    let config = manifest.generator_config();
    if choice == BackendChoice::Cpu {
        return Ok((cpu_inference(&config, bytes)?, "CPU".into(), false));
    }
    let webgpu = match webgpu_inference(&config, bytes.clone()).await {
        Ok(webgpu) => webgpu,
        Err(why) => return Ok((cpu_inference(&config, bytes)?, format!("CPU ({why})"), false)),
    };
    if choice == BackendChoice::WebGpu {
        return Ok((webgpu, "WebGPU".into(), true));
    }
    let cpu = cpu_inference(&config, bytes)?;
    // One warm painting each; where one backend is more than twice as fast
    // (a software adapter is twenty times slower) that settles it, else two more each.
    let (mut webgpu_ms, mut cpu_ms) = (Vec::new(), Vec::new());
    for round in 0..3 {
        match time_painting(&webgpu).await {
            Ok(ms) => webgpu_ms.push(ms),
            Err(e) => return Ok((cpu, format!("CPU (WebGPU failed a painting: {e})"), false)),
        }
        cpu_ms.push(time_painting(&cpu).await?);
        if round == 0 && (webgpu_ms[0] > 2.0 * cpu_ms[0] || cpu_ms[0] > 2.0 * webgpu_ms[0]) {
            break;
        }
    }
    let (use_webgpu, backend) = faster_backend(&webgpu_ms, &cpu_ms);
    Ok((if use_webgpu { webgpu } else { cpu }, backend, use_webgpu))
}

/// The generator on burn's CPU backend.
fn cpu_inference(config: &GeneratorConfig, bytes: Vec<u8>) -> Result<Inference, String> {
    let device = Device::flex();
    let generator = model::weights::from_bytes(config, bytes, &device).map_err(|e| e.to_string())?;
    Ok(Inference::new(generator, device))
}

/// The generator on a WebGPU device that has painted once, or why not.
async fn webgpu_inference(config: &GeneratorConfig, bytes: Vec<u8>) -> Result<Inference, String> {
    if !has_webgpu() {
        return Err("this browser has no WebGPU".into());
    }
    let device = Device::wgpu_options().init_async().await.map_err(|e| format!("no WebGPU adapter ({e:?})"))?;
    let generator = model::weights::from_bytes(config, bytes, &device).map_err(|e| e.to_string())?;
    let inference = Inference::new(generator, device);
    match inference.paint_async(&blank_doodle(), Style::ALL[0]).await {
        Ok(_) => Ok(inference),
        Err(e) => Err(format!("WebGPU failed a test painting ({e})")),
    }
}

/// Milliseconds one painting of a blank page takes, read-back included.
async fn time_painting(inference: &Inference) -> Result<f64, String> {
    let started = now();
    inference.paint_async(&blank_doodle(), Style::ALL[0]).await?;
    Ok(now() - started)
}

fn blank_doodle() -> RgbImage {
    RgbImage {
        width: IMAGE_SIZE,
        height: IMAGE_SIZE,
        pixels: vec![255; IMAGE_SIZE * IMAGE_SIZE * 3],
    }
}

/// The network's mix of `style` and a blend, and the style whose brushwork
/// suits it (the one it is more of); `None` for an unknown style.
fn style_mix(style: &str, blend: Option<&Blend>) -> Option<(StyleMix, Style)> {
    let style = Style::from_id(style)?;
    let Some(Blend { to, percent }) = blend else { return Some((style.into(), style)) };
    let to = Style::from_id(to)?;
    let amount = f32::from((*percent).min(100)) / 100.0;
    let mix = StyleMix { from: style.index(), to: to.index(), amount };
    Some((mix, if amount > 0.5 { to } else { style }))
}

async fn paint(job: u64, style: String, blend: Option<Blend>, rgb: Vec<u8>) {
    let Some(inference) = INFERENCE.with(|cell| cell.borrow().clone()) else {
        post(&FromWorker::Failed { job: Some(job), message: "the model is not loaded yet".into() });
        return;
    };
    let (Some((mix, style)), true) = (style_mix(&style, blend.as_ref()), rgb.len() == IMAGE_SIZE * IMAGE_SIZE * 3) else {
        post(&FromWorker::Failed { job: Some(job), message: "malformed painting request".into() });
        return;
    };
    let doodle = RgbImage { width: IMAGE_SIZE, height: IMAGE_SIZE, pixels: rgb };
    let started = now();
    let result = paint_on(&inference, &doodle, mix).await;
    let millis = now() - started;
    post(&match result {
        Ok(painting) => {
            let rgb = painting.pixels.clone();
            LAST_PAINTING.with(|last| *last.borrow_mut() = Some((job, style, painting)));
            FromWorker::Painted { job, rgb, millis }
        }
        Err(message) => FromWorker::Failed { job: Some(job), message },
    });
}

/// Paints `doodle`; if the GPU device is lost (a driver reset, the tab in
/// the background too long), goes on on the CPU, says so, and paints there.
async fn paint_on(inference: &Inference, doodle: &RgbImage, mix: StyleMix) -> Result<RgbImage, String> {
    let result = inference.paint_async(doodle, mix).await;
    match &result {
        Err(lost) => match fall_back_to_cpu(lost) {
            Some(cpu) => cpu.paint_async(doodle, mix).await,
            None => result,
        },
        Ok(_) => result,
    }
}

/// Paints the frames of a time-lapse, posting each, and with `save` encodes
/// them as a GIF. Between frames it lets other messages in: the page's live
/// paintings go on, and a stop or a newer time-lapse ends this one.
async fn time_lapse(job: u64, style: String, blend: Option<Blend>, strokes: Vec<ink::Stroke>, save: bool) {
    let result = async {
        let (mix, _) = style_mix(&style, blend.as_ref()).ok_or("malformed time-lapse request")?;
        let counts = timelapse::stroke_counts(strokes.len());
        let delays = timelapse::delays(counts.len());
        let mut gif = if save { Some(timelapse::GifWriter::new()?) } else { None };
        for (index, (&count, &delay)) in counts.iter().zip(&delays).enumerate() {
            yield_to_messages().await;
            if TIMELAPSE_JOB.get() != job {
                return Ok(None);
            }
            let doodle_rgba = ink::rasterise(&strokes[..count], IMAGE_SIZE as u32);
            let doodle = RgbImage::from_rgba(IMAGE_SIZE, IMAGE_SIZE, &doodle_rgba);
            // Each frame anew: a lost GPU device puts the CPU's in its place.
            let inference = INFERENCE.with(|cell| cell.borrow().clone()).ok_or("the model is not loaded yet")?;
            let painting = paint_on(&inference, &doodle, mix).await?;
            let rgba = timelapse::frame(&doodle_rgba, &painting);
            if let Some(gif) = &mut gif {
                gif.add(rgba.clone(), delay)?;
            }
            post(&FromWorker::TimeLapseFrame { job, index: index as u32, frames: counts.len() as u32, delay, rgba });
        }
        gif.map(timelapse::GifWriter::finish).transpose()
    }
    .await;
    match result {
        Ok(Some(gif)) => post(&FromWorker::TimeLapseSaved { job, gif }),
        Ok(None) => {}
        Err(message) => post(&FromWorker::TimeLapseFailed { job, message }),
    }
}

/// Lets the worker's queued messages run (a macrotask: a resolved promise
/// would not let them in).
async fn yield_to_messages() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = scope().set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
    });
    let _ = JsFuture::from(promise).await;
}

/// Swaps the WebGPU generator for one on the CPU, once, telling the page
/// (a new Ready with the reason); `None` when not painting on WebGPU.
fn fall_back_to_cpu(why: &str) -> Option<Rc<Inference>> {
    let CpuFallback { config, bytes, ready } = CPU_FALLBACK.with(|cell| cell.borrow_mut().take())?;
    let cpu = match cpu_inference(&config, bytes) {
        Ok(cpu) => Rc::new(cpu),
        Err(e) => {
            post(&FromWorker::Failed { job: None, message: format!("WebGPU failed ({why}) and the CPU could not load the model: {e}") });
            return None;
        }
    };
    INFERENCE.with(|cell| *cell.borrow_mut() = Some(cpu.clone()));
    if let FromWorker::Ready { trained, styles, about, .. } = ready {
        // wgpu's errors go on for lines (causes, a backtrace): the first says it.
        let why = why.lines().next().unwrap_or_default().trim();
        post(&FromWorker::Ready { backend: format!("CPU (WebGPU stopped: {why})"), trained, styles, about });
    }
    Some(cpu)
}

/// Milliseconds since the worker started (NaN where there is no clock).
fn now() -> f64 {
    scope().performance().map_or(f64::NAN, |p| p.now())
}

/// Brushwork of the last painting, if it is still painting `job`: an older
/// one is not worth the time, since the page would not show it.
fn brushwork(job: u64, seed: u64, size: u32, export: bool) {
    let last = LAST_PAINTING.with(|last| last.borrow().clone());
    let Some((painted, style, painting)) = last.filter(|(painted, ..)| *painted == job) else { return };
    let size = size.clamp(64, 2048);
    let started = now();
    let image = brush::paint(&painting, style, seed, size);
    post(&FromWorker::Brushed { job: painted, seed, size, export, rgba: image.to_rgba(), millis: now() - started });
}
