// Time-lapses: Replay plays the drawing back beside its growing painting;
// Save time-lapse downloads a looping animated GIF of it. Undone strokes are
// not in it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import {
  serveDist, launch, openApp, waitForModel, drawStroke, waitForPainting, readPixels, meanAbsDiff, MOUNTAIN, SUN, SHORE,
} from './helpers.mjs';

let server, browser;
before(async () => { server = await serveDist('/'); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

const TREE = [[60, 230], [60, 180], [45, 200], [60, 160], [75, 200], [60, 180]];

/** A GIF's size, loop count and frames' delays (hundredths of a second),
 *  read block by block as the format lays them out. */
function readGif(bytes) {
  assert.equal(bytes.toString('latin1', 0, 6), 'GIF89a');
  const [width, height] = [bytes.readUInt16LE(6), bytes.readUInt16LE(8)];
  let at = 13 + (bytes[10] & 0x80 ? 3 * 2 ** ((bytes[10] & 7) + 1) : 0);
  const skipBlocks = () => { while (bytes[at] !== 0) at += bytes[at] + 1; at += 1; };
  const delays = [];
  let loops = null;
  for (;;) {
    const kind = bytes[at];
    if (kind === 0x3b) break;
    if (kind === 0x21) {
      const label = bytes[at + 1];
      if (label === 0xf9) delays.push(bytes.readUInt16LE(at + 4));
      if (label === 0xff && bytes.toString('latin1', at + 3, at + 14) === 'NETSCAPE2.0') loops = bytes.readUInt16LE(at + 16);
      at += 2;
      skipBlocks();
    } else if (kind === 0x2c) {
      const flags = bytes[at + 9];
      at += 10 + (flags & 0x80 ? 3 * 2 ** ((flags & 7) + 1) : 0) + 1;
      skipBlocks();
    } else {
      assert.fail(`unexpected GIF block ${kind} at ${at}`);
    }
  }
  return { width, height, loops, delays };
}

test('Replay plays the strokes back beside the growing painting, without undone strokes', async () => {
  const { page, errors } = await openApp(browser, `${server.url}?backend=cpu`);
  try {
    await waitForModel(page);
    for (const stroke of [MOUNTAIN, SUN, TREE]) await drawStroke(page, stroke);
    await page.click('text=Undo');
    await drawStroke(page, SHORE);
    const painting = await waitForPainting(page);
    await page.click('button:has-text("Replay")');
    // The blank page, then each of the three strokes left.
    await page.waitForSelector('canvas.timelapse-frames[data-painted="4"][data-frames="4"]', { timeout: 60_000 });
    // Played at its pace and looped: every frame comes up, the last one too.
    const seen = new Set();
    const started = Date.now();
    while (seen.size < 4 && Date.now() - started < 15_000) {
      seen.add(await page.getAttribute('canvas.timelapse-frames', 'data-frame'));
      await page.waitForTimeout(50);
    }
    assert.deepEqual([...seen].sort(), ['0', '1', '2', '3']);
    // The last frame: the doodle as it is, beside the painting as it is.
    await page.waitForSelector('canvas.timelapse-frames[data-frame="3"]', { timeout: 10_000 });
    const frame = await page.$eval('canvas.timelapse-frames', (c) => {
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      const half = (x0) => {
        const out = new Uint8ClampedArray(256 * 256 * 4);
        for (let y = 0; y < 256; y++) out.set(data.subarray((y * 512 + x0) * 4, (y * 512 + x0 + 256) * 4), y * 256 * 4);
        return Array.from(out);
      };
      return { doodle: half(0), painting: half(256) };
    });
    assert.ok(meanAbsDiff(frame.painting, painting) < 0.01, 'the painting, exactly');
    const doodle = await page.$eval('canvas.doodle', (c) => {
      const small = document.createElement('canvas');
      small.width = small.height = 256;
      small.getContext('2d').drawImage(c, 0, 0, 256, 256);
      return Array.from(small.getContext('2d').getImageData(0, 0, 256, 256).data);
    });
    assert.ok(meanAbsDiff(frame.doodle, doodle) < 3, `the doodle as drawn, the undone tree not in it (${meanAbsDiff(frame.doodle, doodle).toFixed(2)})`);
    await page.keyboard.press('Escape');
    assert.equal(await page.$('.timelapse'), null, 'Escape closes it');
    await page.click('button:has-text("Replay")');
    await page.click('.timelapse button.close');
    assert.equal(await page.$('.timelapse'), null, 'and so does Close');
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('Save time-lapse writes a looping animated GIF of a few seconds, small enough for chat apps', async () => {
  const { page, errors } = await openApp(browser, `${server.url}?backend=cpu`, { acceptDownloads: true });
  try {
    await waitForModel(page);
    // Many strokes: the time-lapse still lasts a few seconds.
    for (let i = 0; i < 50; i++) {
      const y = 20 + i * 4.5;
      await drawStroke(page, [[20 + (i % 7) * 10, y], [120, y + 8 * Math.sin(i)], [236 - (i % 5) * 12, y]]);
    }
    await page.selectOption('select.style', { label: 'Watercolour' });
    const started = Date.now();
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 120_000 }),
      page.click('.toolbar button:has-text("Save time-lapse")'),
    ]);
    const seconds = (Date.now() - started) / 1000;
    assert.equal(download.suggestedFilename(), 'time-lapse-watercolour.gif');
    const bytes = await readFile(await download.path());
    const gif = readGif(bytes);
    assert.deepEqual([gif.width, gif.height, gif.loops], [512, 256, 0], 'doodle beside painting, looping forever');
    assert.equal(gif.delays.length, 37, 'the blank page and 36 steps of 50 strokes');
    const length = gif.delays.reduce((a, b) => a + b, 0) / 100;
    assert.ok(length >= 3 && length <= 6, `${length} s long`);
    assert.ok(bytes.length < 8e6, `${(bytes.length / 1e6).toFixed(2)} MB`);
    console.log(`time-lapse: ${gif.delays.length} frames, ${length} s, ${(bytes.length / 1e6).toFixed(2)} MB, made in ${seconds.toFixed(1)} s`);
    await page.waitForSelector('.timelapse-status:has-text("Saved the time-lapse")');
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
