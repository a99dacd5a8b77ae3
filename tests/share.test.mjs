// Share links, autosave and PNG export in a real browser.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  serveDist, launch, openApp, waitForModel, drawStroke, waitForPainting, waitForBrushwork, readPixels, meanAbsDiff, spread, pngSize,
  MOUNTAIN, SUN,
} from './helpers.mjs';

let server, browser;
before(async () => { server = await serveDist('/'); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** Waits until the doodle canvas shows `n` strokes. */
const strokesShown = (page, n) => page.waitForSelector(`canvas.doodle[data-strokes="${n}"]`);

test('a share link opens the same doodle, style, painting and brushwork in a fresh browser', async () => {
  const { page, errors } = await openApp(browser, `${server.url}?backend=cpu`);
  let other;
  try {
    await waitForModel(page);
    await drawStroke(page, MOUNTAIN);
    await drawStroke(page, SUN);
    await page.selectOption('select.style', { label: 'Watercolour' });
    const painting = await waitForPainting(page);
    const doodle = await readPixels(page, 'canvas.doodle');
    // Vary paints the same picture in other strokes.
    await waitForBrushwork(page, { seed: 0 });
    const first = await readPixels(page, 'canvas.brushwork');
    await page.click('text=Vary');
    await waitForBrushwork(page, { seed: 1 });
    const varied = await readPixels(page, 'canvas.brushwork');
    const change = meanAbsDiff(first, varied);
    assert.ok(change > 1 && change < 20, `Vary changed the brushwork by ${change.toFixed(1)} on average`);
    await page.click('text=Share');
    const link = await page.inputValue('.share-link');
    assert.match(link, /#v1\.watercolour\.[A-Za-z0-9_-]+\.1$/, 'the link carries the seed');
    assert.ok(link.length < 4096, `a typical doodle's link is short (${link.length} characters)`);
    await page.waitForSelector('.notice');

    // A new context shares nothing with the first: no storage, no cache.
    other = await openApp(browser, link);
    await waitForModel(other.page);
    await strokesShown(other.page, 2);
    const sharedPainting = await waitForPainting(other.page);
    const sharedDoodle = await readPixels(other.page, 'canvas.doodle');
    assert.ok(meanAbsDiff(doodle, sharedDoodle) < 0.01, 'the very same doodle');
    assert.ok(meanAbsDiff(painting, sharedPainting) < 0.01, 'the very same painting');
    await waitForBrushwork(other.page, { seed: 1 });
    assert.ok(meanAbsDiff(varied, await readPixels(other.page, 'canvas.brushwork')) < 0.01, 'the very same brushwork');
    assert.equal(await other.page.$eval('select.style', (s) => s.selectedOptions[0].textContent), 'Watercolour');
    assert.ok(!other.page.url().includes('#'), 'the fragment is dropped once opened');
    // Opening a link is undoable, like any edit.
    await other.page.click('text=Undo');
    await strokesShown(other.page, 0);
    assert.deepEqual([...errors, ...other.errors], []);
  } finally {
    await page.close();
    await other?.page.close();
  }
});

test('a damaged or foreign link says so and the app keeps working', async () => {
  for (const [fragment, message] of [
    ['#v1.oil-day.eJzLSM3JyQcABiwCFQ', /damaged/],
    ['#v1.oil-day.@@@', /damaged/],
    ['#v9.oil-day.AAAA', /another version/],
  ]) {
    const { page } = await openApp(browser, `${server.url}?backend=cpu${fragment}`);
    try {
      assert.match(await page.textContent('.notice'), message);
      await waitForModel(page);
      await drawStroke(page, MOUNTAIN);
      assert.ok(spread(await waitForPainting(page)) > 5, 'still paints');
    } finally {
      await page.close();
    }
  }
});

test('a reload brings back the doodle, its style and its undo history', async () => {
  const { page, errors } = await openApp(browser, `${server.url}?backend=cpu`);
  try {
    await drawStroke(page, MOUNTAIN);
    await drawStroke(page, SUN);
    await page.selectOption('select.style', { label: 'Night' });
    await strokesShown(page, 2);
    const before = await readPixels(page, 'canvas.doodle');
    await page.reload();
    await page.waitForSelector('canvas.doodle');
    await strokesShown(page, 2);
    assert.ok(meanAbsDiff(before, await readPixels(page, 'canvas.doodle')) < 1, 'the same doodle');
    assert.equal(await page.$eval('select.style', (s) => s.selectedOptions[0].textContent), 'Night');
    await page.click('text=Undo');
    await strokesShown(page, 1);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('full storage is reported and drawing goes on', async () => {
  const { page } = await openApp(browser, `${server.url}?backend=cpu`, {
    onRoute: (p) => p.addInitScript(() => {
      IDBObjectStore.prototype.put = () => { throw new DOMException('full', 'QuotaExceededError'); };
    }),
  });
  try {
    await waitForModel(page);
    await drawStroke(page, MOUNTAIN);
    assert.match(await page.textContent('.autosave'), /storage is full/);
    assert.ok(spread(await waitForPainting(page)) > 5, 'still paints');
  } finally {
    await page.close();
  }
});

test('the painting, and the doodle beside it, save as PNG files: the brushwork at 1024 px, or the raw painting', async () => {
  const { page, errors } = await openApp(browser, `${server.url}?backend=cpu`, { acceptDownloads: true });
  try {
    await waitForModel(page);
    await drawStroke(page, MOUNTAIN);
    await waitForPainting(page);
    const saves = async (sizes) => {
      for (const [button, name, size] of [['Save painting', 'painting-oil-day.png', sizes[0]], ['Save both', 'doodle-and-painting-oil-day.png', sizes[1]]]) {
        const [download] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.click(`text=${button}`)]);
        assert.equal(download.suggestedFilename(), name);
        assert.deepEqual(pngSize(await readFile(await download.path())), size, `${button}`);
      }
    };
    // Brushwork is on by default.
    await saves([[1024, 1024], [2048, 1024]]);
    await page.click('label.brushwork-toggle input');
    await saves([[256, 256], [512, 256]]);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
