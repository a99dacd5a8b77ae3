// The service worker: the whole app, weights included, served from one
// versioned cache, so it works offline and never mixes two deploys' files.
// `cargo xtask precache` (Trunk's post-build hook) writes this build's VERSION
// and FILES above this line.
const CACHE = `doodle-paint-${VERSION}`;

self.addEventListener('install', (event) => {
  // Each file checked with the server ('no-cache': a conditional request),
  // so a version is all of one build, yet a file the page has just fetched
  // answers 304 and is not downloaded twice.
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(FILES.map((file) => new Request(file, { cache: 'no-cache' })))),
  );
  // No skipWaiting here: a new version waits until the page asks (its
  // "Reload" button), so nothing switches under a person mid-doodle.
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith('doodle-paint-') && key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  // offline::SKIP_WAITING in the app's Rust.
  if (event.data === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    // Any navigation inside the app (with a share link's fragment, or a
    // ?backend= query) is the app's one page.
    const key = request.mode === 'navigate' ? new URL('./', self.registration.scope).href : request;
    const hit = await cache.match(key, { ignoreSearch: true });
    return hit ?? fetch(request);
  })());
});
