// How long the worker takes, in headless Chromium, on the backend asked for:
// after a warm-up, one painting per stroke for RUNS strokes; then, in the same
// run, the brushwork of the painting at 512 px (the size the page shows it in
// a wide window; **Vary** re-paints it) and at 1024 px (**Save painting**).
// `node tests/bench.mjs [cpu|webgpu] [runs] [style label]` after `cargo xtask build`;
// `cargo xtask bench` runs it. Prints medians and spreads of the worker's own
// timings, and the brushwork's as ratios to the painting's.
import { serveDist, launch, openApp, waitForModel, drawStroke, waitForPainting, waitForBrushwork, paintingMillis, summary, MOUNTAIN, SUN } from './helpers.mjs';

const [backend = 'cpu', runs = '30', style] = process.argv.slice(2);
const server = await serveDist('/');
const browser = await launch();
const summarise = (times) => {
  const figures = summary(times);
  return { ...figures, text: `median ${figures.median} ms, min ${figures.min} ms, p90 ${figures.p90} ms, max ${figures.max} ms` };
};
try {
  const { page } = await openApp(browser, `${server.url}?backend=${backend}`, { acceptDownloads: true });
  // Wide enough that the painting shows at 512 px (one device pixel per CSS pixel).
  await page.setViewportSize({ width: 1280, height: 900 });
  await waitForModel(page);
  if (style) await page.selectOption('select.style', { label: style });
  await drawStroke(page, MOUNTAIN);
  await waitForPainting(page);
  await drawStroke(page, SUN);
  await waitForPainting(page);
  const paintings = [];
  for (let i = 0; i < Number(runs); i++) {
    const y = 160 + (i % 40) * 2;
    await drawStroke(page, [[20 + i * 5, y], [40 + i * 5, y + 8]]);
    await waitForPainting(page);
    paintings.push(await paintingMillis(page));
  }
  const painted = summarise(paintings);
  console.log(`${backend}, ${style ?? 'default style'}: ${paintings.length} paintings, ${painted.text}`);

  const brushwork = (seed) => waitForBrushwork(page, { seed, polling: 50 });
  const shown = [];
  let seed = Number(await page.getAttribute('canvas.brushwork', 'data-seed'));
  await brushwork(seed);
  const size = await page.evaluate(() => document.querySelector('canvas.brushwork').width);
  for (let i = 0; i < Number(runs); i++) {
    await page.click('text=Vary');
    seed += 1;
    await brushwork(seed);
    shown.push(Number(await page.getAttribute('canvas.brushwork', 'data-millis')));
  }
  const brushed = summarise(shown);
  console.log(`brushwork at ${size} px: ${shown.length} times, ${brushed.text}; ${(brushed.median / painted.median).toFixed(2)}x the painting (bar: at most 1.0x at 512 px)`);

  const exports = [];
  for (let i = 0; i < 5; i++) {
    await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.click('text=Save painting')]);
    exports.push(Number(await page.getAttribute('canvas.brushwork', 'data-export-millis')));
  }
  const exported = summarise(exports);
  console.log(`brushwork at 1024 px (Save painting): ${exports.length} times, ${exported.text}; ${(exported.median / painted.median).toFixed(2)}x the painting (bar: at most 10x)`);
} finally {
  await browser.close();
  await server.close();
}
