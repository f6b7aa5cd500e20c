// Folio's service worker (scope /app/): keeps one copy of the app's own
// files so that the vault opens without a connection.
//
// - Only the files in FILES are ever kept: the page, its script and style
//   sheet, the Worker, the module and the install files. An answer of the
//   relay's API (/v1/…) is never kept; those requests are not touched.
// - The copy is one set named after the relay's bundle hash
//   (GET /v1/relay → web_bundle, docs/spec/web-bundle.md): when the relay
//   serves a new bundle, a new set is fetched whole and the old one is
//   deleted, so an update replaces the copy and files of two versions are
//   never mixed.
// - With a connection the files come from the relay as usual (answers are
//   `no-store`); the copy is used only when the relay cannot be reached.
// - Nothing a person typed or stored is ever here: the vault lives in the
//   Worker's storage, sealed.

const FILES = [
  '/app/',
  '/app/app.js',
  '/app/app.css',
  '/app/worker.js',
  '/app/manifest.webmanifest',
  '/app/icon.svg',
  '/app/icon-192.png',
  '/app/icon-512.png',
  '/web/pkg/folio_app.js',
  '/web/pkg/folio_app_bg.wasm',
];
const PREFIX = 'folio-';
const BUNDLE = /^sha256:([0-9a-f]{64})$/;

async function currentBundle() {
  const answer = await fetch('/v1/relay', { cache: 'no-store', credentials: 'omit' });
  if (!answer.ok) {
    throw new Error('the relay did not say its bundle');
  }
  const info = await answer.json();
  const m = BUNDLE.exec(info && info.web_bundle);
  if (!m) {
    throw new Error('the relay did not say its bundle');
  }
  return m[1];
}

async function complete(cache) {
  const keys = await cache.keys();
  const have = new Set(keys.map((r) => new URL(r.url).pathname));
  return FILES.every((f) => have.has(f));
}

// Fetches every file of the relay's current bundle and keeps them as one
// set; then deletes every other set. A set that could not be completed is
// deleted, and the previous one kept.
async function refresh() {
  const bundle = await currentBundle();
  const name = PREFIX + bundle;
  let cache = await caches.open(name);
  if (!(await complete(cache))) {
    // One at a time, each read whole before the next: an answer whose
    // body is not read holds its connection, and the browser has only a
    // few per relay.
    const answers = [];
    for (const f of FILES) {
      const a = await fetch(f, { cache: 'no-store', credentials: 'omit' });
      if (!a.ok || a.redirected) {
        await caches.delete(name);
        return;
      }
      const body = await a.arrayBuffer();
      answers.push(new Response(body, { status: 200, headers: a.headers }));
    }
    if ((await currentBundle()) !== bundle) {
      await caches.delete(name);
      return;
    }
    for (let i = 0; i < FILES.length; i++) {
      await cache.put(FILES[i], answers[i]);
    }
    if (!(await complete(cache))) {
      await caches.delete(name);
      return;
    }
  }
  for (const key of await caches.keys()) {
    if (key.startsWith(PREFIX) && key !== name) {
      await caches.delete(key);
    }
  }
  cache = null;
}

// One refresh at a time (install, and each page that opens, ask for one).
let running = null;
function refreshOnce() {
  if (!running) {
    running = refresh()
      .catch(() => {})
      .finally(() => {
        running = null;
      });
  }
  return running;
}

// The kept copy of `path`, from a complete set.
async function copyOf(path) {
  for (const key of await caches.keys()) {
    if (!key.startsWith(PREFIX)) {
      continue;
    }
    const cache = await caches.open(key);
    if (await complete(cache)) {
      const found = await cache.match(path);
      if (found) {
        return found;
      }
    }
  }
  return null;
}

async function fromRelayOrCopy(request, path) {
  try {
    return await fetch(request);
  } catch (e) {
    const copy = await copyOf(path);
    if (copy) {
      return copy;
    }
    throw e;
  }
}

self.addEventListener('install', (event) => {
  event.waitUntil(refreshOnce().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.op === 'refresh') {
    event.waitUntil(refreshOnce());
  }
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.search !== '' || !FILES.includes(url.pathname)) {
    return;
  }
  event.respondWith(fromRelayOrCopy(request, url.pathname));
});
