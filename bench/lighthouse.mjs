// Lighthouse's performance audit (its default: a mobile phone on a slow 4G
// link, simulated) of the app served as a static host that compresses serves
// it, in Debian's chromium. Writes the score and its metrics as JSON for
// docs/benchmarks.md and prints them.
//
// `node bench/lighthouse.mjs [out.json]` after `cargo xtask build`.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { serveDist, lighthouseReport } from '../tests/helpers.mjs';

const ROOT = path.resolve(import.meta.dirname, '..');
const out = process.argv[2] ?? path.join(ROOT, 'target/bench/lighthouse.json');

const server = await serveDist('/', { gzip: true });
await server.precompress();
try {
  const lhr = await lighthouseReport(server.url, ['performance']);
  const metric = (id) => ({ value: lhr.audits[id]?.numericValue ?? null, shown: lhr.audits[id]?.displayValue ?? null });
  const result = {
    lighthouse: lhr.lighthouseVersion,
    formFactor: lhr.configSettings.formFactor,
    throttling: lhr.configSettings.throttlingMethod,
    score: Math.round((lhr.categories.performance.score ?? 0) * 100),
    metrics: Object.fromEntries(['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'speed-index', 'interactive'].map((id) => [id, metric(id)])),
    warnings: lhr.runWarnings,
  };
  console.log(`Lighthouse ${result.lighthouse} (${result.formFactor}, ${result.throttling} throttling): performance ${result.score}; ${Object.entries(result.metrics).map(([id, m]) => `${id} ${m.shown}`).join(', ')}`);
  await writeFile(out, JSON.stringify(result, null, 2));
  console.log(`wrote ${out}`);
} finally {
  await server.close();
}
