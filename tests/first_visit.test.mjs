// A first visit, as a new user makes it from a static host that compresses:
// every file comes down once (the service worker's precache revalidates what
// the page has just fetched instead of downloading it again), and the page's
// own wasm carries no generator.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, launch, openApp, waitForModel } from './helpers.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a first visit downloads each file once, and the page wasm is small', async () => {
  const server = await serveDist('/', { gzip: true });
  const { page, errors } = await openApp(browser, `${server.url}?backend=cpu`, { serviceWorkers: 'allow' });
  try {
    await waitForModel(page);
    // The whole app is in the service worker's cache: offline from here on.
    const cached = await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      // Install puts every file in at once (cache.addAll), and then activates.
      for (let i = 0; i < 600; i++) {
        const keys = await caches.keys();
        const files = keys.length === 1 ? (await (await caches.open(keys[0])).keys()).length : 0;
        if ((await navigator.serviceWorker.getRegistration())?.active && files > 0) return files;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return 0;
    });
    assert.ok(cached > 5, `the service worker cached the app (${cached} files)`);
    const bodies = new Map();
    for (const { path, status, bytes } of server.sent) {
      if (status === 200) bodies.set(path, [...(bodies.get(path) ?? []), bytes]);
    }
    // Two small files do come twice: the page, opened with a query the
    // precache's URL has not, and the worker's 0.5 KB loader script.
    const twice = [...bodies].filter(([, sizes]) => sizes.length > 1 && Math.max(...sizes) > 10_000).map(([path]) => path);
    assert.deepEqual(twice, [], 'no file over 10 KB downloaded twice');
    const total = server.sent.reduce((sum, { bytes }) => sum + bytes, 0);
    const pageWasm = [...bodies].find(([path]) => /^app-.*_bg\.wasm$/.test(path));
    assert.ok(pageWasm, 'the page wasm was fetched');
    // The page's wasm is the toolbar, canvases and share codec: 0.28 MB
    // gzipped when measured; the generator (burn, wgpu) made it 1.4 MB.
    assert.ok(pageWasm[1][0] < 600_000, `page wasm ${pageWasm[1][0]} bytes gzipped`);
    const encodings = [...new Set(server.sent.filter((r) => r.status === 200).map((r) => r.encoding))].join(', ');
    console.log(`first visit: ${(total / 1e6).toFixed(2)} MB on the wire (${encodings}), ${server.sent.length} responses, ${server.sent.filter((r) => r.status === 304).length} of them 304`);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
    await server.close();
  }
});
