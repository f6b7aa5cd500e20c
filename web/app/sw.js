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
// - A translation's catalogue (CATALOGUES) is kept only once a page said it
//   reads that language ({ op: 'refresh', lang }), and then in every later
//   set too: a person who reads English never downloads Spanish.

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
// The catalogues of the languages the module does not embed, by code.
const CATALOGUES = { es: '/web/pkg/es.ftl' };
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

// The catalogues to keep: `lang`'s, and those any kept set has.
async function catalogues(lang) {
  const want = new Set();
  if (Object.prototype.hasOwnProperty.call(CATALOGUES, lang)) {
    want.add(CATALOGUES[lang]);
  }
  for (const key of await caches.keys()) {
    if (key.startsWith(PREFIX)) {
      const cache = await caches.open(key);
      for (const path of Object.values(CATALOGUES)) {
        if (await cache.match(path)) {
          want.add(path);
        }
      }
    }
  }
  return [...want];
}

// Fetches every file of the relay's current bundle (and the catalogues a
// person reads) and keeps them as one set; then deletes every other set. A
// set that could not be completed is deleted, and the previous one kept.
async function refresh(lang) {
  const bundle = await currentBundle();
  const name = PREFIX + bundle;
  let cache = await caches.open(name);
  const wanted = await catalogues(lang);
  const missing = [];
  for (const f of wanted) {
    if (!(await cache.match(f))) {
      missing.push(f);
    }
  }
  const whole = await complete(cache);
  if (!whole || missing.length > 0) {
    const list = whole ? missing : FILES.concat(wanted);
    // One at a time, each read whole before the next: an answer whose
    // body is not read holds its connection, and the browser has only a
    // few per relay.
    const answers = [];
    for (const f of list) {
      const a = await fetch(f, { cache: 'no-store', credentials: 'omit' });
      if (!a.ok || a.redirected) {
        if (!FILES.includes(f)) {
          // A catalogue: without it the app speaks English; the set stays.
          continue;
        }
        await caches.delete(name);
        return;
      }
      const body = await a.arrayBuffer();
      answers.push([f, new Response(body, { status: 200, headers: a.headers })]);
    }
    if ((await currentBundle()) !== bundle) {
      // A set that was whole before stays until the new one is.
      if (!whole) {
        await caches.delete(name);
      }
      return;
    }
    for (const [f, answer] of answers) {
      await cache.put(f, answer);
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

// One refresh at a time (install, and each page that opens, ask for one);
// a language asked for meanwhile is fetched by a refresh after it.
let running = null;
function refreshOnce(lang) {
  const next = (running || Promise.resolve()).then(() => refresh(lang).catch(() => {}));
  const mine = next.finally(() => {
    if (running === mine) {
      running = null;
    }
  });
  running = mine;
  return mine;
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
    event.waitUntil(refreshOnce(String(event.data.lang || '')));
  }
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') {
    return;
  }
  const url = new URL(request.url);
  const kept = FILES.includes(url.pathname) || Object.values(CATALOGUES).includes(url.pathname);
  if (url.origin !== self.location.origin || url.search !== '' || !kept) {
    return;
  }
  event.respondWith(fromRelayOrCopy(request, url.pathname));
});
