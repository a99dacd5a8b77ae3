// The peer benchmark in the browser: in one headless Chromium run, our
// worker (burn, CPU and WebGPU) against onnxruntime-web on the exported
// generator (wasm on one thread, wasm on every core in a cross-origin
// isolated page, WebGPU), on the same doodle: the one drawn in the app, read
// off its canvas. After a warm-up, RUNS rounds, each painting once with every
// runtime in turn, so a busy moment of the machine falls on all of them.
// Our worker also paints with untrained weights of version 1's shape (the
// same build, its models/ replaced: target/bench/dist-v1), the speed
// budget's reference: version 2 may take at most 1.2x its time.
// Writes the figures as JSON (for docs/benchmarks.md) and prints them.
//
// `node bench/peers.mjs [runs] [out.json] [cpu]` (cpu: no WebGPU) after `cargo xtask build`,
// `onnx-weights` and `bench/onnx_export.py`; `cargo xtask bench` runs it.
import { readFile, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import path from 'node:path';
import { serveDist, launch, openApp, waitForModel, drawStroke, waitForPainting, readPixels, paintingMillis, summary, MOUNTAIN, SUN } from '../tests/helpers.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const runs = Number(process.argv[2] ?? 30);
const out = process.argv[3] ?? path.join(ROOT, 'target/bench/browser.json');
const cpuOnly = process.argv[4] === 'cpu';
const STYLES = 6;

const app = await serveDist('/');
const reference = await serveDist('/', { dir: path.join(ROOT, 'target/bench/dist-v1') });
// The ONNX pages are served from the repository (the model under target/bench,
// onnxruntime-web under bench/node_modules); threads need an isolated page.
const plain = await serveDist('/', { dir: ROOT });
const isolated = await serveDist('/', { dir: ROOT, isolated: true });
const browser = await launch();
try {
  // Ours: the app's worker, on each backend, timed by the worker itself.
  const ours = async (backend, server = app) => {
    const { page } = await openApp(browser, `${server.url}?backend=${backend}`);
    const status = await waitForModel(page);
    await drawStroke(page, MOUNTAIN);
    await waitForPainting(page);
    await drawStroke(page, SUN);
    await waitForPainting(page);
    let stroke = 0;
    return {
      page, status,
      paint: async () => {
        const y = 160 + (stroke % 40) * 2, x = 20 + (stroke % 40) * 5;
        stroke += 1;
        await drawStroke(page, [[x, y], [x + 20, y + 8]]);
        await waitForPainting(page);
        return paintingMillis(page);
      },
    };
  };
  const cpu = await ours('cpu');
  const rgba = await readPixels(cpu.page, 'canvas.doodle');
  const rgb = rgba.filter((_, i) => i % 4 !== 3);

  const model = 'target/bench/generator.onnx';
  const { input_channels: channels = 3 } = JSON.parse(await readFile(path.join(ROOT, 'target/bench/onnx-check.json'), 'utf8'));
  const peer = async (server, options) => {
    const page = await browser.newPage();
    await page.goto(`${server.url}bench/ort.html`);
    await page.waitForFunction(() => window.ready === true);
    const info = await page.evaluate((options) => window.setUp(options), { ...options, model: `/${model}`, rgb, channels });
    let style = 0;
    return { page, info, paint: () => page.evaluate((s) => window.paint(s), style++ % STYLES) };
  };
  const threads = cpus().length;
  const contestants = [
    { name: 'ours-cpu', label: 'ours: burn (flex), CPU, wasm, one thread', start: async () => cpu },
    { name: 'ours-cpu-v1', label: "ours, version 1's shape (untrained: the speed budget's reference), CPU, wasm, one thread", start: () => ours('cpu', reference) },
    { name: 'ort-wasm-1', label: 'onnxruntime-web, wasm, one thread', start: () => peer(plain, { bundle: 'wasm', provider: 'wasm', threads: 1 }) },
    { name: 'ort-wasm-threads', label: `onnxruntime-web, wasm, ${threads} threads (cross-origin isolated)`, start: () => peer(isolated, { bundle: 'wasm', provider: 'wasm', threads }) },
    { name: 'ours-webgpu', label: 'ours: burn (wgpu), WebGPU', start: () => ours('webgpu') },
    { name: 'ort-webgpu', label: 'onnxruntime-web, WebGPU', start: () => peer(plain, { bundle: 'webgpu', provider: 'webgpu', threads: 1 }) },
  ];
  const running = [];
  for (const contestant of contestants.filter((c) => !(cpuOnly && c.name.endsWith('webgpu')))) {
    try {
      const started = await contestant.start();
      for (let i = 0; i < 3; i++) await started.paint(); // warm-up
      running.push({ ...contestant, ...started, times: [] });
    } catch (error) {
      console.log(`${contestant.label}: could not run: ${String(error).split('\n')[0]}`);
      running.push({ ...contestant, error: String(error).split('\n')[0], times: [] });
    }
  }
  for (let round = 0; round < runs; round++) {
    for (const contestant of running.filter((c) => !c.error)) contestant.times.push(await contestant.paint());
  }
  const oursMedian = summary(running[0].times).median;
  const results = running.map(({ name, label, times, error, info, status }) => {
    const figures = error ? null : summary(times);
    return { name, label, error: error ?? null, info: info ?? null, status: status ?? null, ...figures, ratio: figures ? figures.median / oursMedian : null };
  });
  for (const r of results) {
    if (r.error) continue;
    console.log(`${r.label}: ${r.n} paintings, median ${r.median.toFixed(1)} ms (min ${r.min.toFixed(1)}, p90 ${r.p90.toFixed(1)}, max ${r.max.toFixed(1)}); ${r.ratio.toFixed(2)}x ours on the CPU`);
  }
  const cpuModel = (await readFile('/proc/cpuinfo', 'utf8').catch(() => '')).match(/model name\s*:\s*(.*)/)?.[1] ?? 'unknown';
  await writeFile(out, JSON.stringify({ browser: `Chromium ${browser.version()} (headless)`, cpu: `${cpuModel}, ${threads} cores`, runs, results }, null, 2));
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await Promise.all([app.close(), reference.close(), plain.close(), isolated.close()]);
}
