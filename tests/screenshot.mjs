// Draws the test doodle in the built app and saves a screenshot of the page:
// `node tests/screenshot.mjs docs/screenshot.png [cpu|webgpu] [style label]` after `cargo xtask build`;
// given a `.gif` name, saves the drawing's time-lapse instead (Save time-lapse);
// with a fourth argument `import`, imports a photo of a pen sketch (saved
// beside the screenshot as `<name>-photo.jpg`) instead of drawing.
import { copyFile, writeFile } from 'node:fs/promises';
import {
  serveDist, launch, openApp, waitForModel, drawStroke, waitForPainting, waitForBrushwork, SKETCH, sketchPhoto,
} from './helpers.mjs';

// A landscape as a person might doodle it (doodle units, 0..256): a mountain
// range, the sun, a lake, pines, a house and a cloud.
const ellipse = (cx, cy, rx, ry, n = 28) =>
  Array.from({ length: n + 1 }, (_, i) => [cx + rx * Math.cos((i / n) * 2 * Math.PI), cy + ry * Math.sin((i / n) * 2 * Math.PI)]);
const pine = (x, y, h) => [[x, y - h], [x - h * 0.3, y - h * 0.2], [x + h * 0.3, y - h * 0.2], [x, y - h]];
const SCENE = [
  [[0, 120], [30, 95], [55, 108], [90, 62], [120, 100], [150, 80], [185, 110], [215, 90], [256, 118]],
  ellipse(200, 40, 16, 16),
  [[0, 130], [256, 130]],
  ellipse(90, 175, 55, 16),
  pine(200, 190, 45), [[200, 181], [200, 192]],
  pine(228, 205, 40), [[228, 197], [228, 207]],
  [[25, 200], [25, 225], [65, 225], [65, 200]],
  [[20, 200], [45, 182], [70, 200], [20, 200]],
  [[30, 40], [35, 30], [48, 28], [58, 34], [70, 30], [80, 40], [30, 40]],
];

const [out = 'docs/screenshot.png', backend = 'cpu', style, mode] = process.argv.slice(2);
const server = await serveDist('/');
const browser = await launch();
try {
  const { page } = await openApp(browser, `${server.url}?backend=${backend}`, { acceptDownloads: true });
  await page.setViewportSize({ width: 1180, height: 720 });
  await waitForModel(page);
  if (style) await page.selectOption('select.style', { label: style });
  if (mode === 'import') {
    const photo = out.replace(/\.png$/, '-photo.jpg');
    await writeFile(photo, await sketchPhoto(page, SKETCH));
    await page.setInputFiles('input.import-file', photo);
    await page.waitForSelector('.notice:has-text("Imported")', { timeout: 60_000 });
    await page.click('.notice .dismiss');
  } else {
    for (const stroke of SCENE) await drawStroke(page, stroke);
  }
  await waitForPainting(page);
  if (out.endsWith('.gif')) {
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 120_000 }),
      page.click('.toolbar button:has-text("Save time-lapse")'),
    ]);
    await copyFile(await download.path(), out);
    console.log(`saved ${out}: ${(await page.textContent('.timelapse-status')).trim()}`);
  } else {
    // The brushwork that follows once drawing pauses.
    await waitForBrushwork(page);
    await page.screenshot({ path: out });
    console.log(`saved ${out}: ${(await page.textContent('.status')).trim()}`);
  }
} finally {
  await browser.close();
  await server.close();
}
