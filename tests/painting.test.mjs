// The whole path in a real browser: pointer events -> strokes -> worker ->
// generator -> painting, on the CPU backend and on WebGPU where offered.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  serveDist, launch, openApp, waitForModel, drawStroke, waitForPainting, waitForBrushwork, readPixels,
  meanAbsDiff, meanColour, spread, MOUNTAIN, SUN, SHORE,
} from './helpers.mjs';

let server, browser;
before(async () => { server = await serveDist('/'); browser = await launch(); });
after(async () => { await browser?.close(); await server?.close(); });

/** Draws the test doodle and returns the painting of the first two strokes
 *  and of all three, with the status text and console errors. */
async function drawAndPaint(backend) {
  const { page, errors } = await openApp(browser, `${server.url}?backend=${backend}`);
  const status = await waitForModel(page);
  await drawStroke(page, MOUNTAIN);
  await drawStroke(page, SUN);
  const painting = await waitForPainting(page);
  const doodle = await readPixels(page, 'canvas.doodle');
  await drawStroke(page, SHORE);
  const changed = await waitForPainting(page);
  const millis = await page.textContent('.status');
  return { page, errors, status, painting, doodle, changed, millis };
}

test('CPU path: drawing makes a painting that follows the doodle', async () => {
  const run = await drawAndPaint('cpu');
  try {
    assert.match(run.status, /Painting on CPU/);
    assert.match(run.status, /trained model/, 'the page links the model card');
    assert.doesNotMatch(run.status, /untrained/);
    const card = await run.page.evaluate(async () => (await fetch(document.querySelector('a.model-card').href)).text());
    assert.match(card, /^# Model card/, 'the link opens the model card');
    assert.match(await run.page.textContent('.about'), /held-out PSNR [\d.]+ dB/, 'the page shows the model card summary');
    // Trained weights paint sky above the drawn mountain line and land below
    // it (oil by day: blue above, green or brown below).
    const [sr, , sb] = meanColour(run.painting, [8, 8, 120, 40]);
    const [gr, , gb] = meanColour(run.painting, [8, 200, 248, 248]);
    assert.ok(sb - sr > (gb - gr) + 30, `sky (${sr.toFixed(0)}, ${sb.toFixed(0)}) is bluer than the land (${gr.toFixed(0)}, ${gb.toFixed(0)})`);
    assert.ok(spread(run.doodle) > 20, 'the strokes reached the doodle canvas');
    assert.ok(spread(run.painting) > 5, 'the painting is not blank or flat');
    assert.ok(meanAbsDiff(run.painting, run.doodle) > 20, 'the painting is not the doodle');
    assert.ok(meanAbsDiff(run.painting, run.changed) > 0.5, 'a new stroke changes the painting');
    assert.match(run.millis, /last painting took \d+ ms/);
    console.log(`CPU: ${run.millis.trim()}`);
    assert.deepEqual(run.errors, [], 'no console errors');
  } finally {
    await run.page.close();
  }
});

test('WebGPU path paints the same doodle as the CPU path', async (t) => {
  const gpu = await drawAndPaint('webgpu');
  try {
    if (!/Painting on WebGPU/.test(gpu.status)) {
      t.skip(`no WebGPU adapter in this browser: ${gpu.status.trim()}`);
      return;
    }
    const cpu = await drawAndPaint('cpu');
    await cpu.page.close();
    console.log(`WebGPU: ${gpu.millis.trim()}`);
    assert.ok(spread(gpu.painting) > 5, 'the WebGPU painting is not blank');
    const diff = meanAbsDiff(gpu.painting, cpu.painting);
    assert.ok(diff < 1.0, `WebGPU and CPU paintings differ by ${diff.toFixed(3)} on average`);
    assert.ok(meanAbsDiff(gpu.changed, cpu.changed) < 1.0);
    assert.deepEqual(gpu.errors, [], 'no console errors');
  } finally {
    await gpu.page.close();
  }
});

test('by default the faster backend paints, timed while loading, and the page says why', async () => {
  const { page, errors } = await openApp(browser, server.url);
  try {
    const status = await waitForModel(page);
    const backend = (await page.textContent('.status .backend')).trim();
    console.log(`default backend: ${backend}`);
    const timed = backend.match(/^(WebGPU|CPU) \(faster here: (\d+) ms a painting; (?:the CPU|WebGPU) (\d+) ms\)$/);
    if (timed) {
      // Both were timed: the one that paints is the one with the shorter time.
      const [, , fast, slow] = timed;
      assert.ok(Number(fast) <= Number(slow), backend);
    } else {
      // No WebGPU to time: the CPU, and the reason.
      assert.match(backend, /^CPU \((this browser has no WebGPU|no WebGPU adapter|WebGPU failed).*\)$/, status);
    }
    // The choice was made while loading: the first stroke paints at once.
    await drawStroke(page, MOUNTAIN);
    assert.ok(spread(await waitForPainting(page)) > 5);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('a lost WebGPU device falls back to the CPU and painting goes on', async (t) => {
  const { page, errors } = await openApp(browser, `${server.url}?backend=webgpu`);
  try {
    const status = await waitForModel(page);
    if (!/Painting on WebGPU/.test(status)) {
      t.skip(`no WebGPU adapter in this browser: ${status.trim()}`);
      return;
    }
    await drawStroke(page, MOUNTAIN);
    await waitForPainting(page);
    // Destroy the worker's GPU device, as a driver reset would.
    const destroyed = await page.workers()[0].evaluate(() => {
      self.webgpuDevices.forEach((device) => device.destroy());
      return self.webgpuDevices.length;
    });
    assert.ok(destroyed > 0, 'the worker had a WebGPU device');
    await drawStroke(page, SUN);
    await page.waitForFunction(() => /Painting on CPU \(WebGPU stopped/.test(document.querySelector('.status')?.textContent ?? ''), null, { timeout: 60_000 });
    assert.ok(spread(await waitForPainting(page)) > 5, 'the CPU painted the doodle');
    await drawStroke(page, SHORE);
    assert.ok(spread(await waitForPainting(page)) > 5, 'and goes on painting');
    console.log(`after the device was lost: ${(await page.textContent('.status .backend')).trim()}`);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
  }
});

test('brushwork covers the painting once drawing pauses, never a newer one, and the toggle shows the raw painting', async () => {
  const { page, errors } = await openApp(browser, `${server.url}?backend=cpu`);
  try {
    await waitForModel(page);
    await drawStroke(page, MOUNTAIN);
    await drawStroke(page, SUN);
    const raw = await waitForPainting(page);
    await waitForBrushwork(page);
    const size = await page.evaluate(() => document.querySelector('canvas.brushwork').width);
    assert.ok(size >= 256 && size <= 1024, `brushwork at ${size} px`);
    const brushed = await readPixels(page, 'canvas.brushwork');
    // The same picture in its colours (sky above, land below), in its own strokes.
    const diff = meanAbsDiff(raw, brushed);
    assert.ok(diff > 1 && diff < 25, `brushwork differs from the painting by ${diff.toFixed(1)} on average`);
    const sky = (p) => meanColour(p, [8, 8, 120, 40]);
    assert.ok(Math.abs(sky(raw)[2] - sky(brushed)[2]) < 25, 'the sky keeps its blue');

    // Off: the raw painting shows.
    await page.click('label.brushwork-toggle input');
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('canvas.brushwork')).display), 'none');
    await page.click('label.brushwork-toggle input');
    await waitForBrushwork(page);

    // A new stroke: once its painting shows, the old brushwork no longer covers it.
    await drawStroke(page, SHORE);
    await waitForPainting(page);
    const stale = await page.evaluate(() => {
      const painting = document.querySelector('canvas.painting');
      const brushwork = document.querySelector('canvas.brushwork');
      return getComputedStyle(brushwork).display !== 'none' && brushwork.dataset.job !== painting.dataset.job;
    });
    assert.equal(stale, false, 'a stale brushwork covers a newer painting');
    await waitForBrushwork(page);
    console.log(`brushwork: ${size} px in ${await page.getAttribute('canvas.brushwork', 'data-millis')} ms`);
    assert.deepEqual(errors, [], 'no console errors');
  } finally {
    await page.close();
  }
});
