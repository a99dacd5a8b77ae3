// The gallery in a real browser: each tab keeps its own drawing through
// reloads and closes, a drawing changed in two tabs is never overwritten,
// New drawing / open / duplicate / delete / undo delete, thumbnails of the
// paintings, and the autosave of older versions moving into the gallery.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  serveDist, launch, openApp, waitForModel, drawStroke, waitForPainting, readPixels, meanAbsDiff, spread, keptDrawing,
  MOUNTAIN, SUN, SHORE,
} from './helpers.mjs';

let server, browser;
before(async () => { server = await serveDist('/'); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** A new tab of `context` (one browser profile, as a person's), with its
 *  console errors and uncaught exceptions in `errors`. */
async function openTab(context, errors) {
  const page = await context.newPage();
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  page.on('pageerror', (err) => errors.push(String(err)));
  await page.goto(`${server.url}?backend=cpu`);
  await page.waitForSelector('canvas.doodle');
  return page;
}

const strokesShown = async (page) => Number(await page.getAttribute('canvas.doodle', 'data-strokes'));
const drawingId = (page) => page.getAttribute('.drawings-buttons', 'data-drawing');

/** Draws and waits until the gallery keeps it, as a person would before
 *  closing. The tab comes to the front first, as a person's would (a hidden
 *  tab gets no animation frames). */
async function draw(page, ...strokes) {
  await page.bringToFront();
  for (const stroke of strokes) await drawStroke(page, stroke);
  return keptDrawing(page);
}

/** The Drawings panel's cards: id, what they say, and whether open here. */
async function cards(page) {
  await page.click('button.show-drawings');
  await page.waitForSelector('.gallery');
  return page.$$eval('.drawing', (items) => items.map((li) => ({
    id: li.dataset.id, text: li.textContent, here: li.classList.contains('here'),
  })));
}

test('two tabs each keep their own drawing, through reloads and closes in any order', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
  const errors = [];
  try {
    const a = await openTab(context, errors);
    const first = await draw(a, MOUNTAIN, SUN);
    // A second tab starts its own drawing: the newest is open in the first.
    const b = await openTab(context, errors);
    assert.equal(await strokesShown(b), 0, 'a new tab does not take over a drawing open in another');
    const second = await draw(b, SHORE);
    assert.notEqual(second.id, first.id);

    await a.reload();
    await a.waitForSelector('canvas.doodle[data-strokes="2"]');
    assert.equal(await drawingId(a), first.id, 'a reload reopens the tab\'s own drawing');
    await b.reload();
    await b.waitForSelector('canvas.doodle[data-strokes="1"]');
    assert.equal(await drawingId(b), second.id);

    // The first tab closes; a new one opens its drawing, the newest no tab has open.
    await a.close();
    const c = await openTab(context, errors);
    await c.waitForSelector('canvas.doodle[data-strokes="2"]');
    assert.equal(await drawingId(c), first.id);
    await draw(c, SHORE);
    await b.close();
    await c.close();
    // With every tab closed, a new one opens the newest drawing.
    const d = await openTab(context, errors);
    await d.waitForSelector('canvas.doodle[data-strokes="3"]');
    assert.equal(await drawingId(d), first.id);
    const listed = await cards(d);
    assert.deepEqual(listed.map((card) => card.id), [first.id, second.id], 'both drawings, newest first');
    assert.match(listed[0].text, /3 strokes/);
    assert.match(listed[1].text, /1 stroke\b/);
    assert.deepEqual(listed.map((card) => card.here), [true, false]);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a drawing changed in two tabs is never overwritten: the later change becomes a new drawing', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
  const errors = [];
  try {
    const a = await openTab(context, errors);
    const shared = await draw(a, MOUNTAIN);
    const b = await openTab(context, errors);
    // The second tab opens the first tab's drawing from the panel.
    await cards(b);
    await b.click(`.drawing[data-id="${shared.id}"] button.open`);
    await b.waitForSelector('canvas.doodle[data-strokes="1"]');
    assert.equal(await drawingId(b), shared.id);
    assert.equal(await b.$('.gallery'), null, 'opening closes the panel');

    await draw(a, SUN);
    await b.bringToFront();
    await drawStroke(b, SHORE);
    await b.waitForSelector('.notice:has-text("changed in another tab")');
    const forked = await keptDrawing(b);
    assert.notEqual(forked.id, shared.id, 'the second tab\'s version is a new drawing');
    assert.equal(await drawingId(b), forked.id);
    const strokesOf = (drawing) => drawing.saved.doodle.strokes.length;
    assert.equal(strokesOf(forked), 2, 'the mountain and the second tab\'s shore');

    await a.reload();
    await a.waitForSelector('canvas.doodle[data-strokes="2"]');
    const kept = await keptDrawing(a);
    assert.equal(kept.id, shared.id);
    const start = kept.saved.doodle.strokes[1].points[0];
    assert.ok(Math.hypot(start.x - SUN[0][0], start.y - SUN[0][1]) < 4, 'the first tab\'s sun is its second stroke');
    assert.equal((await cards(a)).length, 2, 'both versions are in the gallery');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

/** Whether an <img>'s picture has something in it (not blank). */
const pictureSpread = (page, selector) => page.$eval(selector, async (img) => {
  await img.decode();
  const c = document.createElement('canvas');
  c.width = 64; c.height = 64;
  const ctx = c.getContext('2d');
  ctx.drawImage(img, 0, 0, 64, 64);
  const data = ctx.getImageData(0, 0, 64, 64).data;
  let sum = 0, sq = 0, n = 0;
  for (let i = 0; i < data.length; i += 4) for (let k = 0; k < 3; k++) { sum += data[i + k]; sq += data[i + k] ** 2; n++; }
  return Math.sqrt(sq / n - (sum / n) ** 2);
});

test('New drawing keeps the last one; the gallery shows paintings and opens, duplicates, deletes and brings back', async () => {
  const { page, errors } = await openApp(browser, `${server.url}?backend=cpu`);
  try {
    await waitForModel(page);
    await drawStroke(page, MOUNTAIN);
    const mountainPainting = await waitForPainting(page);
    const mountainDoodle = await readPixels(page, 'canvas.doodle');
    const mountain = await keptDrawing(page, { thumbnail: true });

    await page.click('button.new-drawing');
    await page.waitForSelector('canvas.doodle[data-strokes="0"]');
    assert.notEqual(await drawingId(page), mountain.id);
    await drawStroke(page, SUN);
    await waitForPainting(page);
    const sun = await keptDrawing(page, { thumbnail: true });

    let listed = await cards(page);
    assert.deepEqual(listed.map((card) => [card.id, card.here]), [[sun.id, true], [mountain.id, false]]);
    for (const id of [sun.id, mountain.id]) {
      const detail = await pictureSpread(page, `.drawing[data-id="${id}"] img`);
      assert.ok(detail > 5, `the thumbnail of ${id} is a painting (spread ${detail.toFixed(1)})`);
    }

    // Open brings back the mountain: its doodle and, painted again, its painting.
    const requested = Number(await page.getAttribute('canvas.painting', 'data-requested'));
    await page.click(`.drawing[data-id="${mountain.id}"] button.open`);
    await page.waitForSelector('canvas.doodle[data-strokes="1"]');
    assert.ok(meanAbsDiff(mountainDoodle, await readPixels(page, 'canvas.doodle')) < 1, 'the same doodle');
    await page.waitForFunction((n) => Number(document.querySelector('canvas.painting').dataset.requested) > n, requested);
    assert.ok(meanAbsDiff(mountainPainting, await waitForPainting(page)) < 1, 'the same painting');

    // Duplicate, delete, undo delete.
    await cards(page);
    await page.click(`.drawing[data-id="${sun.id}"] button.duplicate`);
    await page.waitForFunction(() => document.querySelectorAll('.drawing').length === 3);
    await page.click(`.drawing[data-id="${sun.id}"] button.delete`);
    await page.waitForFunction(() => document.querySelectorAll('.drawing').length === 2);
    listed = await cards(page);
    assert.ok(!listed.some((card) => card.id === sun.id), 'deleted');
    assert.ok(listed.some((card) => card.text.includes('1 stroke')), 'its copy is still there');
    await page.click('button.undo-delete');
    await page.waitForFunction((id) => document.querySelector(`.drawing[data-id="${id}"]`), sun.id);
    assert.equal(await page.$eval('button.undo-delete', (b) => b.disabled), true, 'nothing more to bring back');

    // Deleting the drawing open here starts a blank one; the rest stay.
    await page.click(`.drawing[data-id="${mountain.id}"] button.delete`);
    await page.waitForSelector('canvas.doodle[data-strokes="0"]');
    await page.reload();
    await page.waitForSelector('canvas.doodle[data-strokes="0"]');
    listed = await cards(page);
    assert.equal(listed.length, 2, 'the sun and its copy');
    await page.keyboard.press('Escape');
    assert.equal(await page.$('.gallery'), null, 'Escape closes the panel');
    assert.ok(spread(await readPixels(page, 'canvas.doodle')) < 1, 'a blank page');
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('the autosave of a version before the gallery opens, and moves into it', async () => {
  const { page, errors } = await openApp(browser, `${server.url}?backend=cpu`);
  try {
    const old = '{"version":1,"style":"night","doodle":{"strokes":[{"points":[{"x":20.0,"y":150.0,"pressure":0.5},'
      + '{"x":120.0,"y":60.0,"pressure":0.5},{"x":230.0,"y":150.0,"pressure":0.5}],"width":6.0,"colour":[0,0,0]}],'
      + '"undo":[],"redo":[]}}';
    await page.evaluate((old) => {
      localStorage.setItem('doodle-paint/autosave', old);
      sessionStorage.clear();
    }, old);
    await page.reload();
    await page.waitForSelector('canvas.doodle[data-strokes="1"]');
    assert.equal(await page.$eval('select.style', (s) => s.selectedOptions[0].textContent), 'Night');
    assert.equal(await page.evaluate(() => localStorage.getItem('doodle-paint/autosave')), null, 'moved, not copied');
    const listed = await cards(page);
    assert.equal(listed.length, 1);
    assert.ok(listed[0].here);
    assert.match(listed[0].text, /Night, 1 stroke/);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('a share link opens as a new drawing, and the drawing open before stays in Drawings', async () => {
  const { page, errors } = await openApp(browser, `${server.url}?backend=cpu`);
  const other = await openApp(browser, `${server.url}?backend=cpu`);
  try {
    await drawStroke(other.page, SUN);
    await drawStroke(other.page, SHORE);
    await other.page.click('text=Share');
    const link = await other.page.inputValue('.share-link');

    const mine = await draw(page, MOUNTAIN);
    await page.goto(link);
    await page.waitForSelector('canvas.doodle[data-strokes="2"]');
    assert.match(await page.textContent('.notice'), /opened as a new drawing/);
    const shared = await keptDrawing(page);
    assert.notEqual(shared.id, mine.id);
    const listed = await cards(page);
    assert.deepEqual(listed.map((card) => [card.id, card.here]), [[shared.id, true], [mine.id, false]]);
    assert.match(listed[1].text, /1 stroke\b/, 'the drawing open before is as it was');
    assert.deepEqual([...errors, ...other.errors], []);
  } finally {
    await page.close();
    await other.page.close();
  }
});
