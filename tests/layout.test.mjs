// The page at phone, tablet and desktop sizes: both canvases whole on
// screen, a stroke drawn by touch that neither scrolls nor zooms the page,
// and touch targets of 44 px on touch screens. With LAYOUT_SCREENSHOTS=DIR
// it saves a screenshot of each size there (docs/ holds them).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { serveDist, launch, drawStroke, waitForModel, waitForPainting } from './helpers.mjs';

let server, browser;
before(async () => { server = await serveDist('/'); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const SIZES = [
  { name: 'phone-320x568', width: 320, height: 568, touch: true },
  { name: 'phone-360x740', width: 360, height: 740, touch: true },
  { name: 'phone-390x844', width: 390, height: 844, touch: true },
  { name: 'phone-landscape-844x390', width: 844, height: 390, touch: true },
  { name: 'tablet-768x1024', width: 768, height: 1024, touch: true },
  { name: 'desktop-1280x800', width: 1280, height: 800, touch: false },
  { name: 'wide-1920x1080', width: 1920, height: 1080, touch: false },
];

/** A stroke with one finger, through the browser's own touch input. */
async function touchStroke(page, points) {
  const cdp = await page.context().newCDPSession(page);
  const box = await page.locator('canvas.doodle').boundingBox();
  const at = ([x, y]) => ({ x: box.x + (x / 256) * box.width, y: box.y + (y / 256) * box.height });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [at(points[0])] });
  for (const p of points.slice(1)) await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [at(p)] });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  await cdp.detach();
}

// The toolbar's buttons, by the names screen readers announce.
const TOOLS = ['Brush', 'Eraser', 'Undo', 'Redo', 'Clear', 'Share', 'Save painting', 'Save both', 'Import', 'Replay', 'Save time-lapse'];

// Drawn downwards and sideways: a page that scrolled with the finger would move.
const ZIGZAG = [[30, 30], [60, 120], [90, 40], [120, 200], [150, 60], [200, 230], [230, 40]];

for (const size of SIZES) {
  test(`at ${size.width}x${size.height} both canvases are whole on screen and a ${size.touch ? 'touch' : 'mouse'} stroke draws without scrolling`, async () => {
    const context = await browser.newContext({
      viewport: { width: size.width, height: size.height }, hasTouch: size.touch, isMobile: size.touch && size.width < 1000, serviceWorkers: 'block',
    });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (err) => errors.push(String(err)));
    try {
      await page.goto(`${server.url}?backend=cpu`);
      await page.waitForSelector('canvas.doodle');
      for (const selector of ['canvas.doodle', 'canvas.painting']) {
        const box = await page.locator(selector).boundingBox();
        const inside = box.x >= 0 && box.y >= 0 && box.x + box.width <= size.width && box.y + box.height <= size.height;
        assert.ok(inside, `${selector} at ${JSON.stringify(box)} is whole in ${size.width}x${size.height}`);
        assert.ok(box.width >= Math.min(size.width, size.height) * 0.35, `${selector} is ${box.width.toFixed(0)} px: big enough to draw on`);
      }
      // Each tool has an icon and is named by its label, which compact
      // layouts (phones) keep for screen readers only, in one row of tools.
      const compact = size.width <= 700 || size.height <= 500;
      for (const name of TOOLS) {
        const button = page.getByRole('button', { name, exact: true });
        assert.equal(await button.locator('svg.icon').count(), 1, `${name} has an icon`);
        const label = await button.locator('.label').boundingBox();
        assert.equal(label.width > 1, !compact, `${name}'s label is ${compact ? 'hidden' : 'shown'}: ${JSON.stringify(label)}`);
      }
      // Measured at once: the header above changes height as the model loads.
      const rows = await page.$$eval('.toolbar button', (els) => [...new Set(els.map((el) => {
        const box = el.getBoundingClientRect();
        return Math.round(box.y + box.height / 2);
      }))]);
      if (compact) assert.equal(rows.length, 1, `the tools sit in one row (middles at ${rows})`);
      await (size.touch ? touchStroke : drawStroke)(page, ZIGZAG);
      await page.waitForSelector('canvas.doodle[data-strokes="1"]');
      // The brushwork (the whole of the painting's stack) lies exactly over
      // the painting, whatever its caption's width. It is hidden between
      // paintings, so the stack is measured.
      const [painting, stack] = await Promise.all(['canvas.painting', '.painting-stack'].map((s) => page.locator(s).boundingBox()));
      assert.deepEqual(stack, painting);
      const view = await page.evaluate(() => ({ x: scrollX, y: scrollY, zoom: visualViewport.scale }));
      assert.deepEqual(view, { x: 0, y: 0, zoom: 1 }, 'the page did not move under the stroke');
      if (size.touch) {
        // Every control a finger may need, at least 44 px each way.
        const small = await page.$$eval('header button, .toolbar button, .toolbar select, figcaption button, .brushwork-toggle', (els) => els
          .map((el) => ({ el, box: el.getBoundingClientRect() }))
          .filter(({ box }) => box.width > 0 && (box.width < 44 || box.height < 44))
          .map(({ el, box }) => `${el.textContent.trim() || el.className}: ${box.width.toFixed(0)}x${box.height.toFixed(0)}`));
        assert.deepEqual(small, [], 'touch targets under 44 px');
      }
      const wider = await page.evaluate(() => document.documentElement.scrollWidth - innerWidth);
      assert.ok(wider <= 0, `nothing wider than the screen (${wider} px over)`);
      if (process.env.LAYOUT_SCREENSHOTS) {
        await waitForModel(page);
        await waitForPainting(page);
        await page.screenshot({ path: path.join(process.env.LAYOUT_SCREENSHOTS, `layout-${size.name}.png`) });
      }
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}
