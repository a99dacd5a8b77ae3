// Style blends: a second style mixed in with a slider, dragged with the
// mouse; share links, reloads and saved files keep the blend.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  serveDist, launch, openApp, waitForModel, drawStroke, waitForPainting, readPixels, meanAbsDiff, MOUNTAIN, SUN, SHORE,
} from './helpers.mjs';

let server, browser;
before(async () => { server = await serveDist('/'); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** Presses the slider's thumb with the mouse, at its current value. */
async function grabSlider(page) {
  const box = await page.locator('input.blend-amount').boundingBox();
  const value = Number(await page.inputValue('input.blend-amount'));
  // Chromium's thumb travels the track less half a thumb at each end.
  const thumb = 16;
  const xOf = (percent) => box.x + thumb / 2 + (box.width - thumb) * percent / 100;
  await page.mouse.move(xOf(value), box.y + box.height / 2);
  await page.mouse.down();
  return async (percent) => {
    await page.mouse.move(xOf(percent), box.y + box.height / 2, { steps: 4 });
    return Number(await page.inputValue('input.blend-amount'));
  };
}

/** The job number of the latest painting asked for. */
const requested = async (page) => Number(await page.getAttribute('canvas.painting', 'data-requested'));

/** Waits for a painting asked for after job `after` (the page asks on its
 *  next tick, not during the event), and reads it. */
async function paintingAfter(page, after) {
  await page.waitForFunction((after) => Number(document.querySelector('canvas.painting').dataset.requested) > after, after);
  return waitForPainting(page);
}

/** The text of a PNG's tEXt chunk named `keyword`. */
function pngText(bytes, keyword) {
  for (let at = 8; at + 12 <= bytes.length;) {
    const length = bytes.readUInt32BE(at);
    const kind = bytes.toString('latin1', at + 4, at + 8);
    const body = bytes.subarray(at + 8, at + 8 + length);
    if (kind === 'tEXt' && body.toString('latin1', 0, keyword.length + 1) === `${keyword}\0`) {
      return body.toString('latin1', keyword.length + 1);
    }
    at += 12 + length;
  }
  return null;
}

test('a blend moves the painting smoothly from one style to another while the slider is dragged', async () => {
  const { page, errors } = await openApp(browser, `${server.url}?backend=cpu`);
  try {
    await waitForModel(page);
    for (const stroke of [MOUNTAIN, SUN, SHORE]) await drawStroke(page, stroke);
    assert.ok(await page.isDisabled('input.blend-amount'), 'no second style, no slider');
    // Each a change of style (the page starts in oil by day).
    const paintedIn = async (label) => {
      const job = await requested(page);
      await page.selectOption('select.style', { label });
      return paintingAfter(page, job);
    };
    const night = await paintedIn('Night');
    const day = await paintedIn('Oil, by day');
    await paintedIn('Night');
    const apart = meanAbsDiff(day, night);
    assert.ok(apart > 10, `the two styles differ (${apart.toFixed(1)})`);
    await page.selectOption('select.blend-with', { label: 'Oil, by day' });
    assert.ok(!(await page.isDisabled('input.blend-amount')), 'a second style enables the slider');

    // Dragged from night towards day, holding the mouse down: a painting at each stop.
    const drag = await grabSlider(page);
    const stops = [];
    for (const target of [-10, 25, 50, 75, 110]) {
      const job = await requested(page);
      const percent = await drag(target);
      stops.push({ percent, painting: await paintingAfter(page, job) });
    }
    await page.mouse.up();
    assert.equal(stops[0].percent, 0);
    assert.equal(stops.at(-1).percent, 100);
    assert.ok(meanAbsDiff(stops[0].painting, night) < 0.01, 'no blend at 0%: night itself');
    assert.ok(meanAbsDiff(stops.at(-1).painting, day) < 0.01, 'all the way: day itself');
    // Each step goes further from night and closer to day, by a share of the way.
    const fromNight = stops.map((s) => meanAbsDiff(s.painting, night));
    const toDay = stops.map((s) => meanAbsDiff(s.painting, day));
    for (let i = 1; i < stops.length; i++) {
      assert.ok(fromNight[i] > fromNight[i - 1] && toDay[i] < toDay[i - 1], `step ${i}: ${fromNight} / ${toDay}`);
      const step = meanAbsDiff(stops[i].painting, stops[i - 1].painting);
      assert.ok(step < 0.75 * apart, `no jump between ${stops[i - 1].percent}% and ${stops[i].percent}% (${step.toFixed(1)} of ${apart.toFixed(1)})`);
    }
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('a blend travels in share links, comes back after a reload, and names and tags a saved PNG that reopens it', async () => {
  const { page, errors } = await openApp(browser, `${server.url}?backend=cpu`, { acceptDownloads: true });
  let other;
  try {
    await waitForModel(page);
    for (const stroke of [MOUNTAIN, SUN]) await drawStroke(page, stroke);
    await page.selectOption('select.style', { label: 'Watercolour' });
    await page.selectOption('select.blend-with', { label: 'Winter' });
    const drag = await grabSlider(page);
    const job = await requested(page);
    const percent = await drag(30);
    await page.mouse.up();
    assert.ok(percent > 15 && percent < 45, `dragged to ${percent}%`);
    const painting = await paintingAfter(page, job);
    await page.click('label.brushwork-toggle input');

    await page.click('text=Share');
    const link = await page.inputValue('.share-link');
    assert.ok(link.endsWith(`#v2.watercolour~winter~${percent}.${link.split('.').at(-1)}`), link);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('text=Save painting')]);
    assert.equal(download.suggestedFilename(), `painting-watercolour-${percent}-winter.png`);
    const saved = await download.path();
    assert.equal(pngText(await readFile(saved), 'doodle-paint:link'), link, 'the file holds its link');

    // Importing the saved PNG opens its very drawing again, not a tracing.
    await page.click('button[title^="Clear"]');
    await page.selectOption('select.blend-with', { value: '' });
    await page.waitForSelector('canvas.doodle[data-strokes="0"]');
    await page.setInputFiles('input.import-file', saved);
    await page.waitForSelector('.notice:has-text("Opened the drawing")');
    await page.waitForSelector('canvas.doodle[data-strokes="2"]');
    assert.equal(await page.$eval('select.blend-with', (s) => s.selectedOptions[0].textContent), 'Winter');
    assert.equal(Number(await page.inputValue('input.blend-amount')), percent);

    // The link in a browser that has never seen the app.
    other = await openApp(browser, link);
    await waitForModel(other.page);
    assert.ok(meanAbsDiff(painting, await waitForPainting(other.page)) < 0.01, 'the very same painting');
    assert.equal(await other.page.$eval('select.blend-with', (s) => s.selectedOptions[0].textContent), 'Winter');
    assert.equal(Number(await other.page.inputValue('input.blend-amount')), percent);

    // A reload keeps it.
    await page.reload();
    await waitForModel(page);
    assert.ok(meanAbsDiff(painting, await waitForPainting(page)) < 0.01, 'the same painting after a reload');
    assert.equal(Number(await page.inputValue('input.blend-amount')), percent);
    assert.deepEqual([...errors, ...other.errors], []);
  } finally {
    await page.close();
    await other?.page.close();
  }
});
