// Shared by the browser tests: a static server for dist/, a headless Debian
// chromium driven by playwright-core, and helpers to draw and read pixels.
import http from 'node:http';
import { readdir, readFile, stat } from 'node:fs/promises';
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
export async function serveDist(prefix = '/', { dir = DIST, gzip = false, isolated = false, link = null } = {}) {
  const sent = [];
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
