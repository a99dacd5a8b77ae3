// Starts the painting worker (wasm-bindgen's no-modules output, unhashed).
// If its wasm cannot load (missing, damaged, or a browser without WebAssembly
// SIMD), the page gets a message it shows instead of waiting forever.

// Keeps the WebGPU devices the worker opens reachable, so a browser test can
// destroy one (page.workers()[0].evaluate) and check painting goes on.
if (self.GPUAdapter) {
  const requestDevice = GPUAdapter.prototype.requestDevice;
  self.webgpuDevices = [];
  GPUAdapter.prototype.requestDevice = async function (...args) {
    const device = await requestDevice.apply(this, args);
    self.webgpuDevices.push(device);
    return device;
  };
}
importScripts('./worker.js');
wasm_bindgen('./worker_bg.wasm').catch((error) => {
  // Rust's protocol::FromWorker::Failed, as serde_wasm_bindgen sends it.
  postMessage({ Failed: { job: null, message: `the painting engine could not load in this browser (${error})` } });
});
