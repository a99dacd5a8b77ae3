// The installable, offline app: service worker, web app manifest, sub-path
// hosting and updates.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import {
  LAUNCH_OPTIONS, serveDist, launch, openApp, waitForModel, drawStroke, waitForPainting, spread, MOUNTAIN,
} from './helpers.mjs';

const DIST = process.env.DIST_DIR ?? path.resolve(import.meta.dirname, '../dist');
let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/** Waits until a service worker controls the page; returns its scope. */
const controlled = (page) => page.evaluate(async () => {
  const registration = await navigator.serviceWorker.ready;
  if (!navigator.serviceWorker.controller) {
    await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
  }
  return registration.scope;
});

test('loaded once, the app works with the network gone', async () => {
  const server = await serveDist('/');
  const { page, errors } = await openApp(browser, `${server.url}?backend=cpu`, { serviceWorkers: 'allow' });
  try {
    await waitForModel(page);
    await controlled(page);
    await server.close();
    await page.reload();
    await page.waitForSelector('canvas.doodle');
    await waitForModel(page);
    await drawStroke(page, MOUNTAIN);
    assert.ok(spread(await waitForPainting(page)) > 5, 'a painting, offline');
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
    await server.close();
  }
});

test('served under a sub-path, the app paints and its service worker keeps to it', async () => {
  const server = await serveDist('/gallery/doodle-paint/');
  const { page, errors } = await openApp(browser, `${server.url}?backend=cpu`, { serviceWorkers: 'allow' });
  try {
    await waitForModel(page);
    await drawStroke(page, MOUNTAIN);
    assert.ok(spread(await waitForPainting(page)) > 5);
    assert.equal(await controlled(page), server.url);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
    await server.close();
  }
});

test('Chromium finds the app installable', async () => {
  const server = await serveDist('/');
  // Not the incognito-like contexts of the other tests: those can never install.
  const profile = await mkdtemp(path.join(os.tmpdir(), 'doodle-profile-'));
  const context = await chromium.launchPersistentContext(profile, LAUNCH_OPTIONS);
  const page = context.pages()[0] ?? await context.newPage();
  const errors = [];
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()); });
  try {
    await page.goto(server.url);
    await controlled(page);
    const cdp = await page.context().newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    assert.deepEqual(installabilityErrors, []);
    const { url, errors: manifestErrors } = await cdp.send('Page.getAppManifest');
    assert.ok(url.endsWith('/manifest.webmanifest'));
    assert.deepEqual(manifestErrors, []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
    await server.close();
    await rm(profile, { recursive: true, force: true });
  }
});

test('a new deploy waits for the person, then replaces the whole old version', async () => {
  // A copy of dist that can be "redeployed" while the page is open.
  const dir = await mkdtemp(path.join(os.tmpdir(), 'doodle-deploy-'));
  await cp(DIST, dir, { recursive: true });
  const server = await serveDist('/', { dir });
  const { page, errors } = await openApp(browser, `${server.url}?backend=cpu`, { serviceWorkers: 'allow' });
  try {
    await waitForModel(page);
    await controlled(page);
    const cachesBefore = await page.evaluate(() => caches.keys());
    assert.equal(cachesBefore.length, 1);
    const sw = await readFile(path.join(dir, 'sw.js'), 'utf8');
    await writeFile(path.join(dir, 'sw.js'), sw.replace(/const VERSION = "[0-9a-f]+"/, 'const VERSION = "next"'));
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
    await page.waitForSelector('.update');
    await Promise.all([page.waitForEvent('load'), page.click('.update button')]);
    await page.waitForSelector('canvas.doodle');
    assert.deepEqual(await page.evaluate(() => caches.keys()), ['doodle-paint-next'], 'only the new version is cached');
    await waitForModel(page);
    assert.deepEqual(errors, []);
  } finally {
    await page.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
});
