// Writes docs/benchmarks.md from the figures `cargo xtask bench` left in
// target/bench (each step's JSON), with bench/analysis.md (where the time
// goes, written by hand from profiles) after the tables.
//
// `node bench/report.mjs [target/bench] [docs/benchmarks.md]`
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const dir = process.argv[2] ?? path.join(ROOT, 'target/bench');
const out = process.argv[3] ?? path.join(ROOT, 'docs/benchmarks.md');
const load = async (name) => JSON.parse(await readFile(path.join(dir, name), 'utf8'));

const browser = await load('browser.json');
const burnOne = await load('native-burn-1.json');
const burnAll = await load('native-burn-all.json');
const onnxruntime = await load('native-onnxruntime.json');
const check = await load('onnx-check.json');
const visit = await load('first-visit.json');
const lighthouse = await load('lighthouse.json');
const analysis = await readFile(path.join(ROOT, 'bench/analysis.md'), 'utf8');

const ms = (v) => (v == null ? '–' : v < 100 ? v.toFixed(1) : v.toFixed(0));
const ratio = (v) => (v == null ? '–' : `${v.toFixed(2)}x`);
const mb = (bytes) => (bytes / 1e6).toFixed(2);
const row = (cells) => `| ${cells.join(' | ')} |`;

const ours = browser.results.find((r) => r.name === 'ours-cpu');
// Ours against onnxruntime-web where both painted on WebGPU.
const webgpu = () => {
  const [mine, theirs] = ['ours-webgpu', 'ort-webgpu'].map((name) => browser.results.find((r) => r.name === name && !r.error));
  if (!mine || !theirs) return '';
  const adapter = theirs.info?.adapter ? ` on ${theirs.info.adapter}` : '';
  return ` On WebGPU${adapter} ours took ${ms(mine.median)} ms against onnxruntime-web's ${ms(theirs.median)} ms (${ratio(theirs.median / mine.median)} faster); on a software adapter like this one the CPU is faster still, which is why the app measures both while loading and keeps the faster.`;
};
// The speed budget in the browser: ours over version 1's shape, same run.
const browserBudget = () => {
  const reference = browser.results.find((r) => r.name === 'ours-cpu-v1' && !r.error);
  return reference ? ` Against version 1's shape on the CPU (untrained weights, the same build; the budget is at most 1.20x its time): ${ratio(ours.median / reference.median)}.` : '';
};
const lines = [
  '# Benchmarks',
  '',
  `Written by \`cargo xtask bench\` on ${new Date().toISOString().slice(0, 10)}: ${browser.cpu}; ${browser.browser}. Absolute times vary up to threefold between machines of this kind and twofold between runs on one; ratios taken in one interleaved run compare fairly.`,
  '',
  '## A painting, against the runtimes a web developer would pick instead',
  '',
  `The shipped generator (version ${check.version}), the same weights exported to ONNX by \`bench/onnx_export.py\` (${mb(check.onnx_bytes)} MB in f32). onnxruntime ${check.onnxruntime} paints what burn paints: the largest difference over ${check.styles} styles on the hand-drawn doodle "${check.doodle}" is ${check.largest_difference.toExponential(1)} in the network's [-1, 1] range (tolerance ${check.tolerance.toExponential(0)}, a quarter of a pixel level).`,
  '',
  `**In the browser**: one headless Chromium run, the same doodle (drawn in the app, read off its canvas for onnxruntime-web), a warm-up of 3, then ${browser.runs} rounds in which each runtime paints once, so a busy moment falls on all of them. Times run from the doodle's bytes to the painting's, as the app's worker counts them.`,
  '',
  row(['Runtime', 'Median ms', 'Min', 'p90', 'Max', 'Ours on the CPU / it']),
  row(['---', '---:', '---:', '---:', '---:', '---:']),
  ...browser.results.map((r) => r.error
    ? row([r.label, `could not run: ${r.error}`, '', '', '', ''])
    : row([r.label + (r.info?.adapter ? ` (${r.info.adapter})` : ''), ms(r.median), ms(r.min), ms(r.p90), ms(r.max), ratio(ours.median / r.median)])),
  '',
  `The last column is our CPU time over theirs: above 1.00x the other runtime is faster than ours on the CPU.${browserBudget()}${webgpu()} onnxruntime-web ${browser.results.find((r) => r.info?.version)?.info?.version ?? ''} loads its wasm-only bundle for the wasm rows and its WebGPU bundle for the WebGPU row; threads need a cross-origin isolated page.`,
  '',
  '**Natively** (the same network; burn timed by `model`\'s `bench` and onnxruntime on the same hand-drawn doodle):',
  '',
  row(['Runtime', 'Threads', 'Median ms', 'Min', 'p90', 'Max', 'burn (same threads) / it']),
  row(['---', '---:', '---:', '---:', '---:', '---:', '---:']),
];
const shipped = (run) => run.results[0];
for (const run of [burnOne, burnAll]) {
  const r = shipped(run);
  lines.push(row([`${run.runtime}, ${r.network}`, run.threads, ms(r.median), ms(r.min), ms(r.p90), ms(r.max), '1.00x']));
}
for (const r of onnxruntime.results) {
  const burn = shipped(r.threads === 1 ? burnOne : burnAll);
  lines.push(row([onnxruntime.runtime, r.threads, ms(r.median), ms(r.min), ms(r.p90), ms(r.max), ratio(burn.median / r.median)]));
}
// The speed budget: at most 1.2x version 1's time, timed in the same run.
const budget = (run) => {
  const reference = run.results[run.results.length - 1];
  return run.results.slice(0, -1).map((r) => `${r.network} ${ratio(r.median / reference.median)}`).join(', ');
};
lines.push(
  '',
  `Against version 1's shape (untrained, timed in the same runs; the budget is at most 1.20x its time): on one thread ${budget(burnOne)}; on ${burnAll.threads} threads ${budget(burnAll)}.`,
);
const m = visit.millis;
lines.push(
  '',
  '## A first visit',
  '',
  `A new user's first visit in headless Chromium, from a static host that serves the build's precompressed brotli files (\`NAME.br\`, written by \`cargo xtask build\`) and gzips the rest, over ${visit.link}. Every file of the app comes down once; the service worker's precache revalidates what the page has just fetched (${visit.bytes.revalidated} answers of 304).`,
  '',
  row(['', 'Bytes on the wire']),
  row(['---', '---:']),
  row(['As served (brotli where precompressed, else gzip)', `${mb(visit.bytes.sent)} MB`]),
  row(['A host that only gzips', `${mb(visit.bytes.gzip)} MB`]),
  '',
  row(['File', 'Sent', 'Encoding', 'gzip', 'brotli']),
  row(['---', '---:', '---', '---:', '---:']),
  ...Object.entries(visit.files).filter(([, f]) => f.sent > 10_000).map(([file, f]) => row([file.replace(/-[0-9a-f]{16}/, ''), `${mb(f.sent)} MB`, f.encoding, `${mb(f.gzip)} MB`, `${mb(f.brotli)} MB`])),
  '',
  row(['From navigation to', 'ms']),
  row(['---', '---:']),
  row(['a drawable canvas (the page\'s wasm runs; the model still loads)', m.drawable]),
  row(['a first stroke drawn on it', m.strokeDrawn]),
  row(['the model ready', m.modelReady]),
  row(['the painting of that stroke', m.firstPainting]),
  '',
  `**Lighthouse ${lighthouse.lighthouse}** (${lighthouse.formFactor}, ${lighthouse.throttling} throttling, the same static host): performance **${lighthouse.score}**; ${Object.entries(lighthouse.metrics).map(([id, v]) => `${id.replaceAll('-', ' ')} ${v.shown}`).join(', ')}. (Lighthouse 13 needs Node 22; this machine has Node 20, so 12 runs. The score's weights are the same in both.)`,
  '',
  analysis.trim(),
  '',
);
await writeFile(out, lines.join('\n'));
console.log(`wrote ${out}`);
