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
// - A document the person downloads passes through here as a stream, piece
//   by piece, and is never kept: see "downloads" below.

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

// ---- downloads ---------------------------------------------------------
//
// A page about to download a document sends { op: 'download', id, name,
// type, size, port, reply } (`reply` a port for { ready }): `port` leads to the app's Worker,
// which reads the document one piece at a time (web/app/worker.js,
// "downloads"). The address /app/download/<id> (32 random hex digits made
// by the page; nothing of the document in it) then answers once, with a
// stream whose every pull asks the Worker for the next piece, and is
// forgotten: used, after DOWNLOAD_WAIT unused, or when a page says
// { op: 'stop-downloads' } (lock, quick exit). The answer is `no-store`
// and nothing of it is put in Cache Storage; the file name is only in its
// Content-Disposition.

const DOWNLOAD = /^\/app\/download\/([0-9a-f]{32})$/;
const DOWNLOAD_WAIT = 30 * 1000;
// A Worker that does not answer a pull for this long is gone.
const PULL_WAIT = 60 * 1000;
const HARMLESS_TYPE = /^[a-z]+\/[a-z0-9.+-]+$/;
const waitingDownloads = new Map(); // id → { port, name, type, size, timer }
const runningDownloads = new Set(); // the stop function of each running stream

function closePort(port, note) {
  try {
    if (note) {
      port.postMessage(note);
    }
    port.close();
  } catch (_) {
    // Already closed.
  }
}

function forgetDownload(id) {
  const d = waitingDownloads.get(id);
  if (d) {
    waitingDownloads.delete(id);
    clearTimeout(d.timer);
    closePort(d.port, { op: 'cancel' });
  }
}

function stopDownloads() {
  for (const id of [...waitingDownloads.keys()]) {
    forgetDownload(id);
  }
  for (const stop of [...runningDownloads]) {
    stop();
  }
}

function offerDownload(data, reply) {
  const id = String(data.id || '');
  const port = data.port;
  if (!/^[0-9a-f]{32}$/.test(id) || !(port instanceof MessagePort) || waitingDownloads.has(id)) {
    if (port instanceof MessagePort) {
      closePort(port, { op: 'cancel' });
    }
    closePort(reply, { ready: false });
    return;
  }
  const size = Number(data.size);
  waitingDownloads.set(id, {
    port,
    name: String(data.name || 'file'),
    type: HARMLESS_TYPE.test(String(data.type)) ? String(data.type) : 'application/octet-stream',
    size: Number.isSafeInteger(size) && size >= 0 ? size : null,
    timer: setTimeout(() => forgetDownload(id), DOWNLOAD_WAIT),
  });
  closePort(reply, { ready: true });
}

// RFC 6266 with RFC 5987's filename*: the name in UTF-8, and a plain
// ASCII one for browsers that do not read filename*.
function disposition(name) {
  const ascii = name.replace(/[^A-Za-z0-9._ -]/g, '_') || 'file';
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase(),
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

// An address not (or no longer) offered: 404, or for a navigation 204 (No
// Content), so that the page stays where it is.
function refuseDownload(request) {
  return new Response(null, {
    status: request.mode === 'navigate' ? 204 : 404,
    headers: { 'Cache-Control': 'no-store' },
  });
}

function answerDownload(request, id) {
  const d = waitingDownloads.get(id);
  if (!d) {
    return refuseDownload(request);
  }
  waitingDownloads.delete(id);
  clearTimeout(d.timer);
  const port = d.port;
  let answer = null; // resolves the pull waiting for the Worker
  let finished = false;
  let controller = null;
  const stop = () => {
    if (finished) {
      return;
    }
    finished = true;
    runningDownloads.delete(stop);
    closePort(port, { op: 'cancel' });
    if (answer) {
      answer({ stopped: true });
    } else if (controller) {
      try {
        controller.error(new Error('stopped'));
      } catch (_) {
        // Already closed.
      }
    }
  };
  runningDownloads.add(stop);
  port.onmessage = (event) => {
    const m = event.data || {};
    const a = answer;
    answer = null;
    if (a) {
      a(m);
    } else if (m.stopped) {
      // The Worker stopped between two pulls (lock, a new download).
      stop();
    }
  };
  const body = new ReadableStream(
    {
      start(c) {
        controller = c;
      },
      async pull(c) {
        if (finished) {
          return;
        }
        const m = await new Promise((resolve) => {
          answer = resolve;
          const timer = setTimeout(() => stop(), PULL_WAIT);
          const done = answer;
          answer = (v) => {
            clearTimeout(timer);
            done(v);
          };
          port.postMessage({ op: 'pull' });
        });
        if (m.bytes instanceof Uint8Array && m.bytes.length > 0 && !finished) {
          // A copy made here, on purpose: a piece that arrives in a message
          // is not counted as this worker's allocation, so its collector
          // would let spent pieces pile up; allocating the copy here lets
          // it see them and collect (docs/performance.md).
          c.enqueue(new Uint8Array(m.bytes));
        } else if (m.done && !finished) {
          finished = true;
          runningDownloads.delete(stop);
          closePort(port, null);
          c.close();
        } else {
          // Stopped: the document's problem is told by the page; the
          // browser drops what it had of the file.
          stop();
          finished = true;
          c.error(new Error('stopped'));
        }
      },
      cancel() {
        stop();
      },
    },
    { highWaterMark: 1 },
  );
  const headers = {
    'Content-Type': d.type,
    'Content-Disposition': disposition(d.name),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Content-Security-Policy': "default-src 'none'",
  };
  if (d.size !== null) {
    headers['Content-Length'] = String(d.size);
  }
  return new Response(body, { status: 200, headers });
}

self.addEventListener('message', (event) => {
  const data = event.data || {};
  if (data.op === 'refresh') {
    event.waitUntil(refreshOnce(String(data.lang || '')));
  } else if (data.op === 'download' && data.reply instanceof MessagePort) {
    offerDownload(data, data.reply);
  } else if (data.op === 'stop-downloads') {
    stopDownloads();
  }
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') {
    return;
  }
  const url = new URL(request.url);
  const asked = url.origin === self.location.origin && DOWNLOAD.exec(url.pathname);
  if (asked) {
    event.respondWith(url.search === '' ? answerDownload(request, asked[1]) : refuseDownload(request));
    return;
  }
  const kept = FILES.includes(url.pathname) || Object.values(CATALOGUES).includes(url.pathname);
  if (url.origin !== self.location.origin || url.search !== '' || !kept) {
    return;
  }
  event.respondWith(fromRelayOrCopy(request, url.pathname));
});
