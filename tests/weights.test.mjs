// Missing, truncated or altered weights give a clear message in the page, and
// drawing keeps working.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { serveDist, launch, openApp, waitForModel, drawStroke, readPixels, spread, MOUNTAIN } from './helpers.mjs';

const DIST = process.env.DIST_DIR ?? path.resolve(import.meta.dirname, '../dist');
let server, browser, weights;
before(async () => {
  server = await serveDist('/');
  browser = await launch();
  weights = await readFile(path.join(DIST, 'models/generator.bpk'));
});
after(async () => { await browser?.close(); await server?.close(); });

async function withWeights(respond, expected) {
  const { page } = await openApp(browser, `${server.url}?backend=cpu`, {
    onRoute: (page) => page.route('**/models/generator.bpk', respond),
  });
  try {
    const status = await waitForModel(page, 'failed', 60_000);
    assert.match(status, expected);
    assert.equal(await page.getAttribute('.status .error', 'role'), 'alert');
    // The canvas still works without a model.
    await drawStroke(page, MOUNTAIN);
    assert.ok(spread(await readPixels(page, 'canvas.doodle')) > 20);
  } finally {
    await page.close();
  }
}

test('missing weights say so', () =>
  withWeights((route) => route.fulfill({ status: 404, body: 'not here' }), /could not fetch models\/generator\.bpk: HTTP 404/));

test('truncated weights say the download was cut short', () =>
  withWeights((route) => route.fulfill({ status: 200, body: weights.subarray(0, weights.length >> 1) }), /cut short/));

test('altered weights fail the checksum', () => {
  const altered = Buffer.from(weights);
  altered[altered.length >> 1] ^= 0xff;
  return withWeights((route) => route.fulfill({ status: 200, body: altered }), /checksum/);
});

test('a worker engine that cannot load says so', async () => {
  const { page } = await openApp(browser, server.url, {
    onRoute: (page) => page.route('**/worker_bg.wasm', (route) => route.fulfill({ status: 200, body: 'not wasm' })),
  });
  try {
    const status = await waitForModel(page, 'failed', 60_000);
    assert.match(status, /painting engine could not load/);
  } finally {
    await page.close();
  }
});
