// A first visit as a new user makes it: a static host that compresses (the
// build's precompressed brotli files where it has them, else gzip), over an
// emulated 20 Mbit/s link with 40 ms round trips (the server paces every
// response, the worker's and service worker's included). Measures the
// bytes on the wire, what the same files weigh all gzipped (a host that
// serves no precompressed files), and the time from navigation to a drawable
// canvas, to a ready model, and to the painting of a stroke drawn as soon as
// the canvas takes it. Writes JSON for docs/benchmarks.md and prints it.
//
// `node bench/first_visit.mjs [out.json]` after `cargo xtask build`.
import { readFile, writeFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { serveDist, launch, openApp, drawStroke, MOUNTAIN } from '../tests/helpers.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const DIST = process.env.DIST_DIR ?? path.join(ROOT, 'dist');
const out = process.argv[2] ?? path.join(ROOT, 'target/bench/first-visit.json');
const LINK = { mbps: 20, latencyMs: 40 };

const server = await serveDist('/', { gzip: true, link: LINK });
await server.precompress();
const browser = await launch();
try {
  const navigated = Date.now();
  const { page } = await openApp(browser, `${server.url}?backend=cpu`, { serviceWorkers: 'allow' });
  // openApp returns once the doodle canvas is there: the page's wasm runs.
  const since = async () => page.evaluate(() => performance.now());
  const drawable = await since();
  await drawStroke(page, MOUNTAIN);
  const stroked = await since();
  // Each moment read in the page when it happens (polling every 20 ms), not
  // after a round trip that reads pixels.
  const when = async (condition) => (await page.waitForFunction(condition, null, { polling: 20, timeout: 240_000 })).jsonValue();
  const ready = await when(() => document.querySelector('.status[data-state="ready"]') && performance.now());
  const painted = await when(() => {
    const canvas = document.querySelector('canvas.painting');
    return Number(canvas.dataset.job) > 0 && canvas.dataset.job === canvas.dataset.requested && performance.now();
  });
  // Let the service worker finish its precache: part of a first visit.
  await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    for (let i = 0; i < 1200 && !registration.active; i++) await new Promise((resolve) => setTimeout(resolve, 100));
  });
  await page.waitForTimeout(2000);
  const wall = Date.now() - navigated;

  // Per file: what came down, and what it weighs gzipped and as brotli, so
  // the table can say what a host without precompressed files would send.
  const files = new Map();
  for (const { path: file, status, bytes, encoding } of server.sent) {
    const entry = files.get(file) ?? { sent: 0, encoding, fetches: 0, revalidated: 0 };
    if (status === 200) { entry.sent += bytes; entry.fetches += 1; entry.encoding = encoding; } else entry.revalidated += 1;
    files.set(file, entry);
  }
  let sent = 0, gzip = 0, brotli = 0;
  for (const [file, entry] of files) {
    sent += entry.sent;
    const body = entry.fetches > 0 ? await readFile(path.join(DIST, file)).catch(() => null) : null;
    if (!body) continue;
    const compressed = file.endsWith('.png') ? null : await readFile(path.join(DIST, `${file}.br`)).catch(() => null);
    entry.gzip = file.endsWith('.png') ? body.length : gzipSync(body, { level: 9 }).length;
    entry.brotli = compressed ? compressed.length : Math.min(body.length, entry.gzip);
    gzip += entry.gzip * entry.fetches;
    brotli += entry.brotli * entry.fetches;
  }
  const result = {
    link: `${LINK.mbps} Mbit/s, ${LINK.latencyMs} ms round trips (paced by the test server)`,
    bytes: { sent, gzip, brotli, responses: server.sent.length, revalidated: server.sent.filter((r) => r.status === 304).length },
    files: Object.fromEntries([...files].sort((a, b) => b[1].gzip - a[1].gzip)),
    millis: { drawable: Math.round(drawable), strokeDrawn: Math.round(stroked), modelReady: Math.round(ready), firstPainting: Math.round(painted), wholeVisit: wall },
  };
  console.log(`first visit: ${(sent / 1e6).toFixed(2)} MB on the wire (all gzip: ${(gzip / 1e6).toFixed(2)} MB; precompressed brotli where offered: ${(brotli / 1e6).toFixed(2)} MB), ${result.bytes.responses} responses (${result.bytes.revalidated} revalidated); drawable at ${result.millis.drawable} ms, model ready at ${result.millis.modelReady} ms, first painting at ${result.millis.firstPainting} ms`);
  await writeFile(out, JSON.stringify(result, null, 2));
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await server.close();
}
