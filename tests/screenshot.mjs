// Draws the test doodle in the built app and saves a screenshot of the page:
// `node tests/screenshot.mjs docs/screenshot.png [cpu|webgpu]` after `cargo xtask build`.
import { serveDist, launch, openApp, waitForModel, drawStroke, waitForPainting, MOUNTAIN, SUN, SHORE } from './helpers.mjs';

const [out = 'docs/screenshot.png', backend = 'cpu'] = process.argv.slice(2);
const server = await serveDist('/');
const browser = await launch();
try {
  const { page } = await openApp(browser, `${server.url}?backend=${backend}`);
  await page.setViewportSize({ width: 1180, height: 720 });
  await waitForModel(page);
  for (const stroke of [MOUNTAIN, SUN, SHORE]) await drawStroke(page, stroke);
  await waitForPainting(page);
  await page.screenshot({ path: out });
  console.log(`saved ${out}: ${(await page.textContent('.status')).trim()}`);
} finally {
  await browser.close();
  await server.close();
}
