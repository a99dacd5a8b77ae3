// How long the worker takes to paint, in headless Chromium: after a warm-up,
// one painting per stroke for RUNS strokes, on the backend asked for.
// `node tests/bench.mjs [cpu|webgpu] [runs]` after `cargo xtask build`.
// Prints the median and spread of the worker's own timings (status line).
import { serveDist, launch, openApp, waitForModel, drawStroke, waitForPainting, MOUNTAIN, SUN } from './helpers.mjs';

const [backend = 'cpu', runs = '30'] = process.argv.slice(2);
const server = await serveDist('/');
const browser = await launch();
try {
  const { page } = await openApp(browser, `${server.url}?backend=${backend}`);
  await waitForModel(page);
  const millis = async () => Number((await page.textContent('.status')).match(/took (\d+) ms/)[1]);
  await drawStroke(page, MOUNTAIN);
  await waitForPainting(page);
  await drawStroke(page, SUN);
  await waitForPainting(page);
  const times = [];
  for (let i = 0; i < Number(runs); i++) {
    const y = 160 + (i % 40) * 2;
    await drawStroke(page, [[20 + i * 5, y], [40 + i * 5, y + 8]]);
    await waitForPainting(page);
    times.push(await millis());
  }
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  console.log(`${backend}: ${times.length} paintings, median ${at(0.5)} ms, min ${times[0]} ms, p90 ${at(0.9)} ms, max ${times.at(-1)} ms`);
} finally {
  await browser.close();
  await server.close();
}
