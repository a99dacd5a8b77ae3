// The doodle canvas: keyboard shortcuts, undo/redo, eraser, brush size, and
// pen pressure and touch through pointer events; and the page never stalls.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  serveDist, launch, openApp, drawStroke, readPixels, spread, waitForModel, waitForPainting, waitForBrushwork, MOUNTAIN, SUN, SHORE,
} from './helpers.mjs';

let server, browser;
before(async () => { server = await serveDist('/'); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const inkPixels = (pixels) => {
  let n = 0;
  for (let i = 0; i < pixels.length; i += 4) if (pixels[i] < 128) n++;
  return n;
};
/** Ink on the doodle canvas once it shows exactly `strokes` strokes. */
async function doodleInk(page, strokes) {
  await page.waitForSelector(`canvas.doodle[data-strokes="${strokes}"]`, { timeout: 10_000 });
  return inkPixels(await readPixels(page, 'canvas.doodle'));
}

/** Dispatches a pointer stroke of a given type and pressure (as a pen or a
 *  finger would), since the automation API only drives a mouse. */
async function pointerStroke(page, pointerType, pressure, points) {
  await page.evaluate(({ pointerType, pressure, points }) => {
    const canvas = document.querySelector('canvas.doodle');
    const box = canvas.getBoundingClientRect();
    const at = ([x, y]) => ({ clientX: box.left + (x / 256) * box.width, clientY: box.top + (y / 256) * box.height });
    const fire = (type, p) => canvas.dispatchEvent(new PointerEvent(type, {
      bubbles: true, cancelable: true, pointerId: 7, pointerType, isPrimary: true,
      button: type === 'pointermove' ? -1 : 0, buttons: type === 'pointerup' ? 0 : 1,
      pressure: type === 'pointerup' ? 0 : pressure, ...at(p),
    }));
    fire('pointerdown', points[0]);
    for (const p of points.slice(1)) fire('pointermove', p);
    fire('pointerup', points[points.length - 1]);
  }, { pointerType, pressure, points });
}

const LINE = Array.from({ length: 30 }, (_, i) => [20 + i * 7, 128]);

test('undo and redo with the keyboard and the buttons', async () => {
  const { page, errors } = await openApp(browser, `${server.url}?backend=cpu`);
  try {
    await drawStroke(page, MOUNTAIN);
    const drawn = await doodleInk(page, 1);
    assert.ok(drawn > 300, `the stroke left ${drawn} ink pixels`);

    await page.keyboard.press('Control+z');
    assert.equal(await doodleInk(page, 0), 0, 'Ctrl+Z undid the stroke');
    await page.keyboard.press('Control+Shift+z');
    assert.equal(await doodleInk(page, 1), drawn, 'Ctrl+Shift+Z redid it');

    await page.click('button:has-text("Clear")');
    assert.equal(await doodleInk(page, 0), 0, 'Clear emptied the page');
    await page.click('button:has-text("Undo")');
    assert.equal(await doodleInk(page, 1), drawn, 'Undo brought the strokes back');
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('E erases, B draws again, and [ ] change the brush size', async () => {
  const { page } = await openApp(browser, `${server.url}?backend=cpu`);
  try {
    await drawStroke(page, LINE);
    const before = await doodleInk(page, 1);

    await page.keyboard.press('e');
    assert.equal(await page.getAttribute('button:has-text("Eraser")', 'aria-pressed'), 'true');
    for (let i = 0; i < 8; i++) await page.keyboard.press(']');
    assert.equal(await page.textContent('.toolbar output'), '12');
    await drawStroke(page, [[128, 60], [128, 200]]);
    const erased = await doodleInk(page, 2);
    assert.ok(erased < before - 40, `eraser removed ink: ${before} -> ${erased}`);

    await page.keyboard.press('b');
    await page.keyboard.press('[');
    assert.equal(await page.textContent('.toolbar output'), '11');
    await drawStroke(page, [[40, 40], [200, 40]]);
    assert.ok(await doodleInk(page, 3) > erased + 1000, 'a wide brush stroke adds ink');
  } finally {
    await page.close();
  }
});

test('pen pressure changes the line width; touch draws', async () => {
  const { page } = await openApp(browser, `${server.url}?backend=cpu`);
  try {
    await pointerStroke(page, 'pen', 0.15, LINE);
    const light = await doodleInk(page, 1);
    await page.keyboard.press('Control+z');
    await doodleInk(page, 0);
    await pointerStroke(page, 'pen', 1.0, LINE);
    const heavy = await doodleInk(page, 1);
    assert.ok(light > 100 && heavy > light * 1.5, `light ${light}, heavy ${heavy}`);

    await page.keyboard.press('Control+z');
    await doodleInk(page, 0);
    await pointerStroke(page, 'touch', 1.0, LINE);
    const touch = await doodleInk(page, 1);
    assert.ok(touch > light && touch < heavy, `touch draws at the even width: ${touch}`);
  } finally {
    await page.close();
  }
});

test('drawing and painting never block the page for more than 50 ms', async () => {
  const { page, errors } = await openApp(browser, `${server.url}?backend=cpu`);
  try {
    await waitForModel(page);
    // Long tasks on the page's main thread from here on (loading aside).
    await page.evaluate(() => {
      window.longTasks = [];
      new PerformanceObserver((list) => window.longTasks.push(...list.getEntries().map((e) => Math.round(e.duration))))
        .observe({ type: 'longtask' });
    });
    for (const stroke of [MOUNTAIN, SUN, SHORE]) {
      await drawStroke(page, stroke);
      await waitForPainting(page);
    }
    await waitForBrushwork(page);
    const longTasks = await page.evaluate(() => window.longTasks);
    console.log(`long tasks while drawing and painting: ${JSON.stringify(longTasks)}`);
    assert.deepEqual(longTasks, [], 'no task over 50 ms on the main thread');
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
