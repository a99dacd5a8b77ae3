// Import: a photo of a pen sketch, made here (lines on grained paper, turned
// on a dark table, uneven light, a shadow, noise, saved as JPEG), chosen in
// the file picker, becomes strokes on the drawn lines: undoable, drawable
// over and shared like drawn ones.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  serveDist, launch, openApp, waitForModel, drawStroke, waitForPainting, spread, MOUNTAIN, SKETCH, PEN, sketchPhoto, keptDrawing,
} from './helpers.mjs';

let server, browser, dir;
before(async () => {
  server = await serveDist('/');
  browser = await launch();
  dir = await mkdtemp(join(tmpdir(), 'import-'));
});
after(async () => { await browser?.close(); await server?.close(); });

/** A photo of the sketch, or of blank paper, as a file to pick. */
async function photoFile(page, sketch) {
  const file = join(dir, sketch.length ? 'sketch.jpg' : 'blank.jpg');
  await writeFile(file, await sketchPhoto(page, sketch));
  return file;
}

/** The sketch in doodle units, fitted as the importer fits a drawing. */
function expected() {
  const points = SKETCH.flat();
  const [x0, x1] = [Math.min(...points.map((p) => p[0])) - PEN / 2, Math.max(...points.map((p) => p[0])) + PEN / 2];
  const [y0, y1] = [Math.min(...points.map((p) => p[1])) - PEN / 2, Math.max(...points.map((p) => p[1])) + PEN / 2];
  const scale = 256 * (1 - 2 * 0.06) / Math.max(x1 - x0, y1 - y0);
  const [ox, oy] = [(256 - (x1 - x0) * scale) / 2 - x0 * scale, (256 - (y1 - y0) * scale) / 2 - y0 * scale];
  return SKETCH.map((line) => line.map(([x, y]) => [x * scale + ox, y * scale + oy]));
}

/** Points every unit along polylines. */
const along = (lines) => lines.flatMap((line) => line.slice(1).flatMap((b, i) => {
  const a = line[i];
  const steps = Math.max(1, Math.ceil(Math.hypot(b[0] - a[0], b[1] - a[1])));
  return Array.from({ length: steps + 1 }, (_, k) => [a[0] + (b[0] - a[0]) * k / steps, a[1] + (b[1] - a[1]) * k / steps]);
}).concat(line.length === 1 ? [line[0]] : []));

/** Distance from a point to the nearest segment of `lines`. */
function distance([px, py], lines) {
  let best = Infinity;
  for (const line of lines) {
    for (let i = 0; i < Math.max(1, line.length - 1); i++) {
      const [ax, ay] = line[i];
      const [bx, by] = line[Math.min(i + 1, line.length - 1)];
      const [dx, dy] = [bx - ax, by - ay];
      const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / Math.max(dx * dx + dy * dy, 1e-9)));
      best = Math.min(best, Math.hypot(px - ax - t * dx, py - ay - t * dy));
    }
  }
  return best;
}

/** The strokes on the page, as the gallery keeps them. */
const savedStrokes = async (page) => (await keptDrawing(page)).saved.doodle.strokes;

test('a photo of a pen sketch imports as strokes on its lines, undoable and drawable over', async () => {
  const { page, errors } = await openApp(browser, `${server.url}?backend=cpu`);
  try {
    await waitForModel(page);
    await drawStroke(page, MOUNTAIN);
    await page.waitForSelector('canvas.doodle[data-strokes="1"]');
    await page.setInputFiles('input.import-file', await photoFile(page, SKETCH));
    await page.waitForSelector('.notice:has-text("Imported")', { timeout: 60_000 });
    const strokes = await savedStrokes(page);
    const found = strokes.map((s) => s.points.map((p) => [p.x, p.y]));
    const truth = expected();
    const off = along(found).map((p) => distance(p, truth)).sort((a, b) => a - b);
    const p95 = off[Math.floor(0.95 * (off.length - 1))];
    const covered = along(truth).filter((p) => distance(p, found) <= 3).length / along(truth).length;
    console.log(`import: ${strokes.length} strokes; 95% of their length within ${p95.toFixed(2)} units of a drawn line, all within ${off.at(-1).toFixed(2)}; ${(100 * covered).toFixed(1)}% of the drawing covered`);
    assert.ok(p95 < 1.5 && off.at(-1) < 3.5, `strokes lie on the drawn lines (${p95}, ${off.at(-1)})`);
    assert.ok(covered > 0.95, `the whole drawing is found (${covered})`);
    assert.ok(strokes.length >= 7 && strokes.length < 40, `${strokes.length} strokes`);
    assert.ok(spread(await waitForPainting(page)) > 5, 'and painted');
    // Drawn over like any doodle; undo takes the drawing off, then the import.
    await drawStroke(page, [[10, 10], [60, 30]]);
    await page.waitForSelector(`canvas.doodle[data-strokes="${strokes.length + 1}"]`);
    await page.click('button[title^="Undo"]');
    await page.click('button[title^="Undo"]');
    await page.waitForSelector('canvas.doodle[data-strokes="1"]');
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('blank paper imports nothing, and a file that is no picture says so; the doodle stays', async () => {
  const { page, errors } = await openApp(browser, `${server.url}?backend=cpu`);
  try {
    await waitForModel(page);
    await drawStroke(page, MOUNTAIN);
    await page.setInputFiles('input.import-file', await photoFile(page, []));
    await page.waitForSelector('.notice:has-text("Nothing was imported")', { timeout: 60_000 });
    await page.click('.notice .dismiss');
    const text = join(dir, 'notes.jpg');
    await writeFile(text, 'not a picture');
    await page.setInputFiles('input.import-file', text);
    assert.match(await page.textContent('.notice'), /not a picture this browser can read/);
    await page.waitForSelector('canvas.doodle[data-strokes="1"]');
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});
