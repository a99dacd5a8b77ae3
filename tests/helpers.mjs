// Shared by the browser tests: a static server for dist/, a headless Debian
// chromium driven by playwright-core, and helpers to draw and read pixels.
import http from 'node:http';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { chromium } from 'playwright-core';

const DIST = process.env.DIST_DIR ?? path.resolve(import.meta.dirname, '../dist');
const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.css': 'text/css', '.json': 'application/json',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.bpk': 'application/octet-stream',
  '.webmanifest': 'application/manifest+json', '.md': 'text/markdown; charset=utf-8',
};

/** Serves dist/ (or `dir`) under `prefix` (e.g. "/" or "/sub/") on a free
 *  loopback port, as a static host does: an ETag on each file and 304 for a
 *  request that has it, and with `gzip` compressed bodies for clients that
 *  accept them: the build's precompressed `NAME.br` where there is one (as
 *  hosts that serve precompressed files do), else gzip. `sent` lists each
 *  response: path, status, encoding and bytes of body.
 *  With `isolated` the pages are cross-origin isolated (COOP and COEP), as
 *  threads in wasm need. With `link` ({ mbps, latencyMs }) every response
 *  waits a round trip and all bodies share one link of that speed, as a slow
 *  network would (this covers the worker's and service worker's fetches,
 *  which the browser's own throttling may miss). `close()` drops open
 *  connections too, as going offline would. */
export async function serveDist(prefix = '/', { dir = DIST, gzip = false, isolated = false, link = null, hostHeaders = false } = {}) {
  const sent = [];
  const rules = hostHeaders ? parseHeadersFile(await readFile(path.join(dir, '_headers'), 'utf8')) : [];
  const compressed = new Map();
  const etagOf = (info) => `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  let linkFreeAt = 0;
  // As a host that compresses ahead of time: each file once, then kept.
  const compress = async (file, etag, body) => {
    if (!compressed.has(etag + file)) compressed.set(etag + file, gzipSync(body ?? await readFile(file), { level: 9 }));
    return compressed.get(etag + file);
  };
  const send = async (res, body) => {
    if (!link) { res.end(body); return; }
    const chunk = 16_384;
    for (let at = 0; at < body.length; at += chunk) {
      const piece = body.subarray(at, at + chunk);
      const now = performance.now();
      linkFreeAt = Math.max(now, linkFreeAt) + (piece.length * 8) / (link.mbps * 1000);
      await sleep(linkFreeAt - now);
      res.write(piece);
    }
    res.end();
  };
  const server = http.createServer(async (req, res) => {
    if (link) await sleep(link.latencyMs);
    const url = new URL(req.url, 'http://localhost');
    if (!url.pathname.startsWith(prefix)) { res.writeHead(404).end(); return; }
    let rel = decodeURIComponent(url.pathname.slice(prefix.length)) || 'index.html';
    const file = path.join(dir, rel);
    if (!file.startsWith(dir)) { res.writeHead(403).end(); return; }
    try {
      const etag = etagOf(await stat(file));
      if (req.headers['if-none-match'] === etag) {
        sent.push({ path: rel, status: 304, bytes: 0 });
        res.writeHead(304, { etag }).end();
        return;
      }
      let body = await readFile(file);
      const headers = { 'content-type': MIME[path.extname(file)] ?? 'application/octet-stream', etag };
      Object.assign(headers, headersFor(rules, `/${rel}`));
      if (isolated) Object.assign(headers, { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' });
      const accepts = (encoding) => new RegExp(`\\b${encoding}\\b`).test(req.headers['accept-encoding'] ?? '');
      const brotli = gzip && accepts('br') ? await readFile(`${file}.br`).catch(() => null) : null;
      if (brotli) {
        body = brotli;
        headers['content-encoding'] = 'br';
      } else if (gzip && accepts('gzip') && path.extname(file) !== '.png') {
        body = await compress(file, etag, body);
        headers['content-encoding'] = 'gzip';
      }
      headers['content-length'] = body.length;
      sent.push({ path: rel, status: 200, encoding: headers['content-encoding'] ?? 'identity', bytes: body.length });
      res.writeHead(200, headers);
      await send(res, body);
    } catch {
      if (res.headersSent) res.destroy(); else res.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const close = () => new Promise((resolve) => { server.close(resolve); server.closeAllConnections(); });
  // Compresses every file now, so that no first request waits on it.
  const precompress = async () => {
    for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
      const file = path.join(entry.parentPath, entry.name);
      if (!entry.isFile() || path.extname(file) === '.png') continue;
      await compress(file, etagOf(await stat(file)));
    }
  };
  return { url: `http://127.0.0.1:${port}${prefix}`, close, sent, precompress };
}

/** The rules of a `_headers` file (Netlify, Cloudflare Pages): a path
 *  (a trailing `*` matches any rest) and its indented `Name: value` lines. */
export function parseHeadersFile(text) {
  const rules = [];
  for (const line of text.split('\n')) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) { rules.push({ path: line.trim(), headers: {} }); continue; }
    const at = line.indexOf(':');
    if (!rules.length || at < 0) throw new Error(`_headers: a header outside a rule, or without a value: ${line}`);
    rules.at(-1).headers[line.slice(0, at).trim().toLowerCase()] = line.slice(at + 1).trim();
  }
  return rules;
}

/** The headers the rules give `urlPath` (later rules add to earlier ones). */
export function headersFor(rules, urlPath) {
  const matches = (pattern) => (pattern.endsWith('*') ? urlPath.startsWith(pattern.slice(0, -1)) : urlPath === pattern);
  return Object.assign({}, ...rules.filter((rule) => matches(rule.path)).map((rule) => rule.headers));
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(bytes) {
  if (![137, 80, 78, 71, 13, 10, 26, 10].every((byte, i) => bytes[i] === byte)) throw new Error('not a PNG file');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

/** Headless Debian chromium, as this machine needs it. */
export const LAUNCH_OPTIONS = {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--no-first-run', '--disable-dev-shm-usage',
    // Headless chromium offers WebGPU through SwiftShader's Vulkan with this.
    '--enable-unsafe-webgpu',
  ],
};

export async function launch() {
  return chromium.launch(LAUNCH_OPTIONS);
}

/** Opens the app in a fresh browser context; collects console errors and
 *  uncaught exceptions in `errors`. Service workers are blocked unless asked
 *  for, so that tests which reroute requests see them all. */
export async function openApp(browser, url, { onRoute, serviceWorkers = 'block', acceptDownloads = false } = {}) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, serviceWorkers, acceptDownloads });
  const errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  page.on('pageerror', (err) => errors.push(String(err)));
  page.on('response', (res) => { if (res.status() >= 400) errors.push(`HTTP ${res.status()} for ${res.url()}`); });
  if (onRoute) await onRoute(page);
  await page.goto(url);
  // The page is mounted by its wasm after `load`: wait until it is there.
  await page.waitForSelector('canvas.doodle');
  return { page, errors };
}

/** Waits for the model to be ready (or fail) and returns the status text. */
export async function waitForModel(page, state = 'ready', timeout = 240_000) {
  await page.waitForSelector(`.status[data-state="${state}"]`, { timeout });
  return page.textContent('.status');
}

/** Draws a polyline on the doodle canvas with real mouse pointer events.
 *  Points are in doodle units (0..256). */
export async function drawStroke(page, points) {
  const box = await page.locator('canvas.doodle').boundingBox();
  const at = ([x, y]) => [box.x + (x / 256) * box.width, box.y + (y / 256) * box.height];
  await page.mouse.move(...at(points[0]));
  await page.mouse.down();
  for (const p of points.slice(1)) await page.mouse.move(...at(p), { steps: 4 });
  await page.mouse.up();
}

/** The worker's own time for the last painting, in ms, as the status shows it. */
export async function paintingMillis(page) {
  return Number((await page.textContent('.status')).match(/took (\d+) ms/)[1]);
}

/** Median, spread and count of timings (ms), for the benchmarks. */
export function summary(times) {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { n: sorted.length, median: at(0.5), min: sorted[0], p90: at(0.9), max: sorted.at(-1) };
}

/** Waits until the painting shows the latest requested doodle. */
export async function waitForPainting(page, timeout = 240_000) {
  await page.waitForFunction(() => {
    const c = document.querySelector('canvas.painting');
    const job = Number(c.dataset.job);
    return job > 0 && job === Number(c.dataset.requested);
  }, null, { timeout, polling: 100 });
  return readPixels(page, 'canvas.painting');
}

/** Waits until the brushwork covers the painting shown: made from that
 *  painting (and with `seed`, when given) and not hidden. */
export async function waitForBrushwork(page, { seed, timeout = 120_000, polling = 100 } = {}) {
  await page.waitForFunction((seed) => {
    const brushwork = document.querySelector('canvas.brushwork');
    const painting = document.querySelector('canvas.painting');
    return brushwork.dataset.job === painting.dataset.job
      && (seed === null || brushwork.dataset.seed === String(seed))
      && getComputedStyle(brushwork).display !== 'none';
  }, seed ?? null, { timeout, polling });
}

/** RGBA pixels of a canvas, resampled to 256x256 so doodle and painting compare. */
export async function readPixels(page, selector) {
  return page.evaluate((sel) => {
    const src = document.querySelector(sel);
    const c = document.createElement('canvas');
    c.width = 256; c.height = 256;
    const ctx = c.getContext('2d');
    ctx.drawImage(src, 0, 0, 256, 256);
    return Array.from(ctx.getImageData(0, 0, 256, 256).data);
  }, selector);
}

/** Mean absolute difference per channel (0..255) over RGB. */
export function meanAbsDiff(a, b) {
  let sum = 0, n = 0;
  for (let i = 0; i < a.length; i += 4) {
    for (let k = 0; k < 3; k++) { sum += Math.abs(a[i + k] - b[i + k]); n++; }
  }
  return sum / n;
}

/** Mean [r, g, b] of the 256x256 RGBA `pixels` in the box [x0, x1) x [y0, y1). */
export function meanColour(pixels, [x0, y0, x1, y1]) {
  const sum = [0, 0, 0];
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      for (let k = 0; k < 3; k++) sum[k] += pixels[(y * 256 + x) * 4 + k];
    }
  }
  return sum.map((v) => v / ((x1 - x0) * (y1 - y0)));
}

/** Standard deviation of the RGB values: near 0 for a blank or flat image. */
export function spread(pixels) {
  let sum = 0, sq = 0, n = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    for (let k = 0; k < 3; k++) { const v = pixels[i + k]; sum += v; sq += v * v; n++; }
  }
  const mean = sum / n;
  return Math.sqrt(sq / n - mean * mean);
}

export const MOUNTAIN = [[20, 150], [70, 80], [110, 130], [160, 60], [230, 150]];
export const SUN = Array.from({ length: 25 }, (_, i) => {
  const a = (i / 24) * 2 * Math.PI;
  return [190 + 22 * Math.cos(a), 50 + 22 * Math.sin(a)];
});
export const SHORE = [[10, 200], [80, 190], [150, 205], [246, 195]];

// A pen sketch on a 600 x 450 paper, in paper pixels, drawn with a 4 px pen:
// what the import tests photograph.
export const PEN = 4;
const circle = (cx, cy, r) => Array.from({ length: 41 }, (_, i) => [cx + r * Math.cos(i / 40 * 2 * Math.PI), cy + r * Math.sin(i / 40 * 2 * Math.PI)]);
export const SKETCH = [
  [[40, 250], [560, 250]],
  [[60, 250], [160, 120], [230, 200], [330, 90], [460, 250]],
  circle(480, 90, 35),
  [[90, 400], [90, 320], [190, 320], [190, 400], [90, 400]],
  [[80, 325], [140, 270], [200, 325]],
  [[270, 420], [300, 260]],
  [[360, 420], [320, 260]],
];

/** A phone photo of `sketch` (or of blank paper, given none), made in the
 *  browser `page`: grained paper turned 6 degrees on a dark table, light
 *  falling off by half, a soft shadow, noise, JPEG at quality 0.75. */
export async function sketchPhoto(page, sketch) {
  const base64 = await page.evaluate(async ({ sketch, pen }) => {
    let seed = 12345;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) - 0.5;
    const paper = document.createElement('canvas');
    paper.width = 600; paper.height = 450;
    const p = paper.getContext('2d');
    const grain = p.createImageData(600, 450);
    for (let i = 0; i < grain.data.length; i += 4) {
      const g = 14 * random();
      grain.data.set([238 + g, 233 + g, 220 + g, 255], i);
    }
    p.putImageData(grain, 0, 0);
    p.strokeStyle = 'rgb(40 40 50)'; p.lineWidth = pen; p.lineCap = 'round'; p.lineJoin = 'round';
    for (const line of sketch) {
      p.beginPath();
      line.forEach(([x, y], i) => (i ? p.lineTo(x, y) : p.moveTo(x, y)));
      p.stroke();
    }
    const shot = document.createElement('canvas');
    shot.width = 800; shot.height = 700;
    const s = shot.getContext('2d');
    s.fillStyle = 'rgb(70 56 45)'; s.fillRect(0, 0, 800, 700);
    s.translate(420, 350); s.rotate(6 * Math.PI / 180); s.drawImage(paper, -300, -225);
    s.setTransform(1, 0, 0, 1, 0, 0);
    // Light falling off to the left, and a soft shadow.
    const light = s.createLinearGradient(0, 0, 800, 0);
    light.addColorStop(0, 'rgb(0 0 0 / 0.5)'); light.addColorStop(1, 'rgb(0 0 0 / 0)');
    s.fillStyle = light; s.fillRect(0, 0, 800, 700);
    const shadow = s.createRadialGradient(240, 490, 0, 240, 490, 200);
    shadow.addColorStop(0, 'rgb(0 0 0 / 0.35)'); shadow.addColorStop(1, 'rgb(0 0 0 / 0)');
    s.fillStyle = shadow; s.fillRect(0, 0, 800, 700);
    const pixels = s.getImageData(0, 0, 800, 700);
    for (let i = 0; i < pixels.data.length; i += 4) {
      const n = 10 * random();
      for (let c = 0; c < 3; c++) pixels.data[i + c] += n;
    }
    s.putImageData(pixels, 0, 0);
    const blob = await new Promise((resolve) => shot.toBlob(resolve, 'image/jpeg', 0.75));
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let text = '';
    for (const b of bytes) text += String.fromCharCode(b);
    return btoa(text);
  }, { sketch, pen: PEN });
  return Buffer.from(base64, 'base64');
}

/** The drawing this tab has open, as the gallery keeps it in IndexedDB, once
 *  the kept record holds as many strokes as the doodle canvas shows (and a
 *  thumbnail, with `thumbnail`). */
export async function keptDrawing(page, { thumbnail = false } = {}) {
  const kept = await page.waitForFunction(async (thumbnail) => {
    const id = document.querySelector('.drawings-buttons')?.dataset.drawing;
    const shown = Number(document.querySelector('canvas.doodle')?.dataset.strokes);
    const db = await new Promise((ok, fail) => { const r = indexedDB.open('doodle-paint'); r.onsuccess = () => ok(r.result); r.onerror = fail; });
    try {
      if (!db.objectStoreNames.contains('drawings')) return null;
      const json = await new Promise((ok, fail) => {
        const r = db.transaction('drawings').objectStore('drawings').get(id);
        r.onsuccess = () => ok(r.result); r.onerror = fail;
      });
      const drawing = json && JSON.parse(json);
      const ready = drawing && drawing.saved.doodle.strokes.length === shown && (!thumbnail || drawing.thumbnail);
      return ready ? drawing : null;
    } finally {
      db.close();
    }
  }, thumbnail, { polling: 100, timeout: 60_000 });
  return kept.jsonValue();
}

/** Lighthouse's report (lhr) on `url` for `categories`, with its default
 *  settings (a phone on a slow 4G link, simulated), in Debian's chromium with
 *  a profile of its own. Lighthouse is loaded only when asked for: most
 *  tests never need it. */
export async function lighthouseReport(url, categories) {
  const [{ default: lighthouse }, chromeLauncher] = await Promise.all([import('lighthouse'), import('chrome-launcher')]);
  const userDataDir = await mkdtemp(path.join(os.tmpdir(), 'lighthouse-'));
  const chrome = await chromeLauncher.launch({
    chromePath: LAUNCH_OPTIONS.executablePath,
    chromeFlags: ['--headless=new', ...LAUNCH_OPTIONS.args],
    userDataDir,
  });
  try {
    const { lhr } = await lighthouse(url, { port: chrome.port, onlyCategories: categories, output: 'json', logLevel: 'error' });
    return lhr;
  } finally {
    await chrome.kill();
    await rm(userDataDir, { recursive: true, force: true });
  }
}
