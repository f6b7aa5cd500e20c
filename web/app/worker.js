// Folio's Worker: it owns the open vault. The page posts { id, op, args }
// and gets { id, ok: true, value } or { id, ok: false, problem } (the
// contract is docs/app-worker.md). Everything secret stays here, in the
// module's memory (web/pkg/folio_app*, vault-core in WebAssembly); `lock`
// drops it.
//
// Storage (docs/spec/vault-format.md, "In the browser"):
// - IndexedDB database `folio`: object store `records` (hex key -> sealed
//   bytes, exactly the records `vault` keeps), `files` (document file
//   operations waiting to be done after a commit: name -> { move: to } or
//   { remove: true }) and `meta` (`settings`: the relay's address and the
//   auto-lock minutes; nothing secret).
// - OPFS folder `docs`: one file per document, named by its id in hex, read
//   and written through FileSystemSyncAccessHandles; and `spare`, an empty
//   file that a new document is written into before it gets its name.
//
// After every operation the module's journal of record changes, and the
// file operations it asked for, are written in ONE IndexedDB transaction
// with durability "strict", and only then is the answer sent. So an
// operation is all or nothing across a crash. Then the file operations
// are done (the spare renamed, old files removed) and their entries
// deleted; a crash in between is finished at the next start. A `spare`
// with no entry is what a crash before a commit left: it is emptied.
// A module Worker (`new Worker(url, { type: 'module' })`): the module is
// imported, not loaded with importScripts.
/* global FileReaderSync */

import * as M from '/web/pkg/folio_app.js';
var DB_NAME = 'folio';
var RECORDS = 'records';
var FILES = 'files';
var META = 'meta';
var SPARE = 'spare';
var DOC_NAME = /^[0-9a-f]{32}$/;
var INPUT_SLICE = 1024 * 1024;
var OUTPUT_BLOB = 4 * 1024 * 1024;
// What one pull of a download gets: whole 64 KiB chunks, up to 1 MiB.
var DOWNLOAD_PIECE = 1024 * 1024;

var db = null;
var docs = null; // the OPFS folder `docs`
var docNames = new Set(); // document files that exist
var handles = new Map(); // open sync access handles, by file name
var spare = null; // { handle, assigned: null | document name }
var removals = []; // files to remove once the operation is committed
var input = null; // { file, at, reader } while a document or a backup is read
var output = null; // { blobs, pending, pendingBytes } while a document or a backup is written
var importing = null; // while a backup is imported: see "backups" below
var download = null; // { port } while the service worker pulls a document: see "downloads" below
var settings = { relay: self.location.origin, autoLockMinutes: 5 };
var lang = 'en';
var started = null;

// The module's view of the documents (vault-web/src/app/storage.rs).
self.folioHost = {
  docCreate: function (name) {
    if (importing) {
      return importCreate(name);
    }
    if (!spare || spare.assigned !== null) {
      return false;
    }
    spare.assigned = name;
    handles.set(name, spare.handle);
    return true;
  },
  docOpen: function (name) {
    if (importing) {
      return importing.views.has(name) ? 1 : 0;
    }
    if (handles.has(name)) {
      return 1;
    }
    if (docNames.has(name)) {
      throw new Error('not opened');
    }
    return 0;
  },
  docRead: function (name, at, len) {
    var buf = new Uint8Array(len);
    var n = fileFor(name).read(buf, { at: at });
    return buf.subarray(0, n);
  },
  docWrite: function (name, at, bytes) {
    return fileFor(name).write(bytes, { at: at });
  },
  docFlush: function (name) {
    fileFor(name).flush();
  },
  docRemove: function (name) {
    if (importing) {
      importRemove(name);
      return;
    }
    if (spare && spare.assigned === name) {
      // A new document that never got its name: the spare is empty again.
      emptySpare();
      return;
    }
    removals.push(name);
  },
  inputRead: function (len) {
    // The file is read 1 MiB at a time (a read costs the same for 16 KiB
    // or 1 MiB) and handed out in the pieces the module asks for.
    if (!input.buf || input.bufAt >= input.buf.length) {
      if (input.at >= input.file.size) {
        return new Uint8Array(0);
      }
      var end = Math.min(input.file.size, input.at + INPUT_SLICE);
      input.buf = new Uint8Array(input.reader.readAsArrayBuffer(input.file.slice(input.at, end)));
      input.bufAt = 0;
      input.at = end;
    }
    var n = Math.min(len, input.buf.length - input.bufAt);
    var piece = input.buf.subarray(input.bufAt, input.bufAt + n);
    input.bufAt += n;
    return piece;
  },
  outputWrite: function (bytes) {
    // A copy: `bytes` is a view of the module's memory. Every 4 MiB the
    // pieces become one Blob, which the browser keeps outside this
    // Worker's memory, so the Worker holds at most 4 MiB of the document.
    output.pending.push(bytes.slice());
    output.pendingBytes += bytes.length;
    if (output.pendingBytes >= OUTPUT_BLOB) {
      output.blobs.push(new Blob(output.pending));
      output.pending = [];
      output.pendingBytes = 0;
    }
  }
};

// Where `outputWrite` gathers what the module writes, and the Blob it
// makes at the end.
function newOutput() {
  return { blobs: [], pending: [], pendingBytes: 0 };
}

function outputBlob(type) {
  return new Blob(output.blobs.concat(output.pending), { type: type });
}

function emptySpare() {
  if (spare.assigned !== null) {
    handles.delete(spare.assigned);
    spare.assigned = null;
  }
  spare.handle.truncate(0);
  spare.handle.flush();
}

// ---- IndexedDB -------------------------------------------------------

function request(r) {
  return new Promise(function (resolve, reject) {
    r.onsuccess = function () {
      resolve(r.result);
    };
    r.onerror = function () {
      reject(r.error);
    };
  });
}

function openDb() {
  var r = indexedDB.open(DB_NAME, 1);
  r.onupgradeneeded = function () {
    var d = r.result;
    [RECORDS, FILES, META].forEach(function (name) {
      if (!d.objectStoreNames.contains(name)) {
        d.createObjectStore(name);
      }
    });
  };
  return request(r);
}

// Runs `fill(tx)` in one transaction and waits until it is durable.
function transaction(stores, fill) {
  return new Promise(function (resolve, reject) {
    var tx = db.transaction(stores, 'readwrite', { durability: 'strict' });
    tx.oncomplete = function () {
      resolve();
    };
    tx.onerror = function () {
      reject(tx.error);
    };
    tx.onabort = function () {
      reject(tx.error);
    };
    fill(tx);
  });
}

function readAll(store) {
  var tx = db.transaction([store], 'readonly');
  var s = tx.objectStore(store);
  return Promise.all([request(s.getAllKeys()), request(s.getAll())]).then(function (kv) {
    return kv[0].map(function (k, i) {
      return [k, kv[1][i]];
    });
  });
}

function loadRecords() {
  return readAll(RECORDS).then(function (entries) {
    M.load(
      entries.map(function (e) {
        return [e[0], new Uint8Array(e[1])];
      })
    );
  });
}

// ---- OPFS --------------------------------------------------------------

function fileExists(name) {
  return docs.getFileHandle(name).then(
    function () {
      return true;
    },
    function () {
      return false;
    }
  );
}

function closeHandle(name) {
  var h = handles.get(name);
  if (h) {
    handles.delete(name);
    try {
      h.close();
    } catch (e) {
      // Already closed.
    }
  }
}

// Gives the file `from` the name `to`: move() where the browser has it,
// else a copy and a removal.
async function rename(from, to) {
  var file = await docs.getFileHandle(from);
  if (typeof file.move === 'function') {
    await file.move(to);
    return;
  }
  await copyFile(file, await docs.getFileHandle(to, { create: true }));
  await docs.removeEntry(from);
}

// Copies file handle `src` over `dst` (for browsers without `move`),
// flushed before it returns.
async function copyFile(src, dst) {
  var from = await src.createSyncAccessHandle();
  var to = await dst.createSyncAccessHandle();
  try {
    to.truncate(0);
    var buf = new Uint8Array(1 << 20);
    for (var at = 0; ; ) {
      var n = from.read(buf, { at: at });
      if (n === 0) {
        break;
      }
      to.write(buf.subarray(0, n), { at: at });
      at += n;
    }
    to.flush();
  } finally {
    from.close();
    to.close();
  }
}

// Does the file operations committed in `files`, then forgets them.
async function finishFileOps() {
  var ops = await readAll(FILES);
  if (!ops.length) {
    return;
  }
  var unlocked = M.isOpen();
  var replaced = false;
  for (var i = 0; i < ops.length; i++) {
    var name = ops[i][0];
    var op = ops[i][1];
    if (op && op.move) {
      if (name === SPARE && spare) {
        // The spare becomes the document: its handle is closed to rename it.
        handles.delete(spare.assigned);
        spare.handle.close();
        spare = null;
      }
      if (!(await fileExists(op.move)) && (await fileExists(name))) {
        await rename(name, op.move);
      }
      docNames.add(op.move);
      if (unlocked && !handles.has(op.move)) {
        var h = await (await docs.getFileHandle(op.move)).createSyncAccessHandle();
        handles.set(op.move, h);
      }
    } else if (op && op.replace) {
      replaced = true;
      await finishReplace(op.replace);
    } else if (op && op.remove) {
      closeHandle(name);
      await docs.removeEntry(name).catch(function () {});
      docNames.delete(name);
    }
  }
  await transaction([FILES], function (tx) {
    var s = tx.objectStore(FILES);
    ops.forEach(function (o) {
      s.delete(o[0]);
    });
  });
  if (replaced) {
    await removeImportDir();
  }
  if (unlocked) {
    await openSpare();
  }
}

async function listDocs() {
  docNames = new Set();
  for await (var name of docs.keys()) {
    if (DOC_NAME.test(name)) {
      docNames.add(name);
    }
  }
}

async function openSpare() {
  if (spare) {
    return;
  }
  var file = await docs.getFileHandle(SPARE, { create: true });
  var h = await file.createSyncAccessHandle();
  h.truncate(0);
  h.flush();
  spare = { handle: h, assigned: null };
}

// Every document's handle and the spare, before the vault is opened. A
// sync access handle is exclusive: if another tab or window has Folio
// open, this fails (even with no documents, for the spare), so two
// Workers never write the same vault.
async function openHandles() {
  try {
    // File operations a failure left after their commit are done first.
    await finishFileOps();
    await listDocs();
    for (var name of docNames) {
      if (!handles.has(name)) {
        var file = await docs.getFileHandle(name);
        handles.set(name, await file.createSyncAccessHandle());
      }
    }
    await openSpare();
    // Holding the spare, this Worker is the only one with the vault: what
    // an import that stopped before its commit left can go.
    await removeImportDir();
  } catch (e) {
    closeHandles();
    throw e && e.name === 'NoModificationAllowedError' ? M.problem('open_elsewhere') : M.problem('storage');
  }
}

function closeHandles() {
  // A download stops with the files (lock, quick exit, a failed unlock).
  endDownload({ stopped: true });
  Array.from(handles.keys()).forEach(closeHandle);
  if (spare) {
    try {
      spare.handle.close();
    } catch (e) {
      // Already closed.
    }
    spare = null;
  }
}

// ---- commits -------------------------------------------------------------

// Writes what the operation changed, in one durable transaction. On
// failure memory is loaded again from disk (so both agree), and the
// problem is `storage`.
async function commit() {
  var changes = M.takeChanges();
  var moves = spare && spare.assigned !== null ? [[SPARE, spare.assigned]] : [];
  var removes = removals;
  removals = [];
  if (!changes.length && !moves.length && !removes.length) {
    return;
  }
  try {
    await transaction([RECORDS, FILES], function (tx) {
      var r = tx.objectStore(RECORDS);
      changes.forEach(function (c) {
        if (c[1] === null) {
          r.delete(c[0]);
        } else {
          r.put(c[1], c[0]);
        }
      });
      var f = tx.objectStore(FILES);
      moves.forEach(function (m) {
        f.put({ move: m[1] }, m[0]);
      });
      removes.forEach(function (name) {
        f.put({ remove: true }, name);
      });
    });
  } catch (e) {
    if (spare) {
      emptySpare();
    }
    await loadRecords().catch(function () {});
    throw M.storageProblem();
  }
  await finishFileOps();
}

// ---- operations ------------------------------------------------------------

function loadModule() {
  return fetch('/web/pkg/folio_app_bg.wasm', {
    credentials: 'omit',
    referrerPolicy: 'no-referrer',
    redirect: 'error'
  }).then(function (res) {
    if (!res.ok) {
      throw new Error('module');
    }
    return M.default({ module_or_path: res });
  });
}

// Makes the module speak `wanted` (a BCP 47 tag, or empty for the
// browser's preference), as far as it has the catalogue; the language
// used. The module embeds English only: `catalogue` is the text of the
// wanted language's catalogue as the page fetched it (/web/pkg/LANG.ftl),
// taken once. Without it, or if it is damaged, English is spoken.
function useLanguage(wanted, catalogue) {
  var tag = String(wanted || (self.navigator.languages || [])[0] || 'en');
  if (typeof catalogue === 'string' && typeof M.loadCatalogue === 'function') {
    M.loadCatalogue(tag.toLowerCase().split(/[-_]/)[0], catalogue);
  }
  lang = typeof M.setLanguage === 'function' ? M.setLanguage(tag) : 'en';
  return lang;
}

async function start(args) {
  if (!started) {
    started = (async function () {
      await loadModule();
      db = await openDb();
      var root = await navigator.storage.getDirectory();
      docs = await root.getDirectoryHandle('docs', { create: true });
      await loadRecords();
      await finishFileOps();
      await listDocs();
      var saved = await request(db.transaction([META], 'readonly').objectStore(META).get('settings'));
      if (saved) {
        settings = Object.assign(settings, saved);
      }
    })();
    started.catch(function () {
      started = null;
    });
  }
  var privateMode = false;
  try {
    await started;
    var estimate = await navigator.storage.estimate();
    // Private windows give a site a small quota and keep nothing.
    privateMode = !estimate.quota || estimate.quota < 120 * 1024 * 1024;
  } catch (e) {
    // No module, no IndexedDB or no OPFS: nothing can be kept here.
    throw e && e.kind ? e : M.problem('storage');
  }
  useLanguage(args && args.lang, args && args.catalogue);
  return {
    exists: M.hasVault(),
    unlocked: M.isOpen(),
    persisted: await navigator.storage.persisted(),
    privateMode: privateMode,
    relay: settings.relay
  };
}

function needStarted() {
  if (!db) {
    throw M.problem('unknown');
  }
}

function needOpen() {
  needStarted();
  if (!M.isOpen()) {
    throw M.problem('locked');
  }
}

function fetchOptions(req) {
  var headers = {};
  req.headers.forEach(function (h) {
    headers[h[0]] = h[1];
  });
  return {
    method: req.method,
    headers: headers,
    body: req.body,
    cache: 'no-store',
    credentials: 'omit',
    referrerPolicy: 'no-referrer',
    redirect: 'error',
    mode: 'cors'
  };
}

// Sends what `build(now)` makes (the module builds and signs it) to the
// relay and gives { status, text }. A relay that says this device's clock
// is off gets the request once more, signed with the relay's time (as
// `vault` does; never an upload). No answer at all: `relay_unreachable`.
async function send(build) {
  var relay = settings.relay;
  var now = Date.now() / 1000;
  for (var attempt = 0; ; attempt++) {
    var req = build(relay, now);
    var res;
    var text;
    try {
      res = await fetch(relay + req.path, fetchOptions(req));
      text = await res.text();
    } catch (e) {
      throw M.relayUnreachable(relay);
    }
    var offset = attempt === 0 ? M.clockOffset(res.status, text, now) : undefined;
    if (offset === undefined) {
      return { status: res.status, text: text };
    }
    now += offset;
  }
}

// The relay's list of this survivor's shares, or status 0 if it could not
// be reached.
async function relayList() {
  try {
    return await send(function (relay, now) {
      return M.sharesRequest(relay, now);
    });
  } catch (e) {
    return { status: 0, text: '' };
  }
}

async function withdraw(tokenId) {
  var done = await send(function (relay, now) {
    return M.withdrawRequest(tokenId, relay, now);
  });
  var list = await relayList();
  return M.withdrawn(done.status, done.text, list.status, list.text, Date.now() / 1000, tokenId !== null);
}

var ops = {
  start: start,
  persist: async function () {
    var persisted = await navigator.storage.persist();
    return { persisted: persisted };
  },
  setLanguage: function (args) {
    return { lang: useLanguage(args && args.lang, args && args.catalogue) };
  },
  create: async function (args) {
    needStarted();
    await openHandles();
    try {
      // Another tab may have written since this Worker started: now that
      // this one holds the files, it reads the records again.
      await loadRecords().catch(function () {
        throw M.problem('storage');
      });
      var value = M.create(String(args.passphrase || ''));
    } catch (e) {
      closeHandles();
      throw e;
    }
    try {
      await commit();
    } catch (e) {
      M.lock();
      closeHandles();
      throw e;
    }
    return value;
  },
  unlock: async function (args) {
    needStarted();
    await openHandles();
    try {
      // As in create: what another tab wrote is read first.
      await loadRecords().catch(function () {
        throw M.problem('storage');
      });
      var value = M.unlock(String(args.passphrase || ''));
    } catch (e) {
      closeHandles();
      throw e;
    }
    await commit();
    return value;
  },
  lock: function () {
    M.lock();
    closeHandles();
    removals = [];
    return {};
  },
  passphraseHint: function (args) {
    needStarted();
    return M.passphraseHint(String(args.passphrase || ''));
  },
  list: function () {
    needOpen();
    return M.list();
  },
  getText: function (args) {
    needOpen();
    return M.getText(String(args.path || ''));
  },
  putText: function (args) {
    needOpen();
    return M.putText(String(args.path || ''), String(args.value == null ? '' : args.value));
  },
  remove: function (args) {
    needOpen();
    return M.remove(String(args.path || ''));
  },
  putDocument: function (args) {
    needOpen();
    var file = args.file;
    if (!(file instanceof Blob)) {
      throw M.problem('bad_input');
    }
    input = { file: file, at: 0, reader: new FileReaderSync() };
    try {
      return M.putDocument(String(args.path || ''), String(file.name || ''), String(file.type || ''));
    } finally {
      input = null;
    }
  },
  readDocument: function (args) {
    needOpen();
    output = newOutput();
    try {
      var info = M.readDocument(String(args.path || ''));
      return { blob: outputBlob(info.type), name: info.name, type: info.type };
    } finally {
      output = null;
    }
  },
  // A download the service worker pulls (see "downloads" below).
  downloadBegin: function (args) {
    needOpen();
    return beginDownload(args);
  },
  downloadEnd: function () {
    endDownload({ stopped: true });
    return {};
  },
  contacts: function () {
    needOpen();
    return M.contacts();
  },
  addContact: function (args) {
    needOpen();
    return M.addContact(String(args.name || ''), String(args.id || ''));
  },
  removeContact: function (args) {
    needOpen();
    return M.removeContact(String(args.name || ''));
  },
  previewShare: function (args) {
    needOpen();
    return M.previewShare(args || {}, Date.now() / 1000);
  },
  share: async function (args) {
    needOpen();
    var relay = settings.relay;
    var req = M.shareRequest(args || {}, relay, Date.now() / 1000);
    var res;
    var text;
    try {
      res = await fetch(relay + req.path, fetchOptions(req));
      text = await res.text();
    } catch (e) {
      // Not sent, or no answer: no link was shown, so nobody can use it.
      M.shareAbandon();
      await commit();
      throw M.relayUnreachable(relay);
    }
    try {
      return M.shareAnswer(res.status, text);
    } finally {
      await commit();
    }
  },
  shares: async function () {
    needOpen();
    var list = await relayList();
    return M.shares(settings.relay, list.status, list.text);
  },
  withdraw: function (args) {
    needOpen();
    return withdraw(String(args.tokenId || ''));
  },
  withdrawAll: function () {
    needOpen();
    return withdraw(null);
  },
  history: async function () {
    needOpen();
    var got = await send(function (relay, now) {
      return M.historyRequest(relay, now);
    });
    // The head seen is remembered in the vault: committed before answering.
    return M.history(settings.relay, got.status, got.text);
  },
  previewHelper: function (args) {
    needOpen();
    return M.previewHelper(String(args.advocate || ''), Number(args.days), Date.now() / 1000);
  },
  addHelper: async function (args) {
    needOpen();
    var got = await send(function (relay, now) {
      return M.helperRequest(String(args.advocate || ''), Number(args.days), relay, now);
    });
    return M.helperAnswer(got.status, got.text);
  },
  helpers: function () {
    needOpen();
    return M.helpers();
  },
  endHelper: async function (args) {
    needOpen();
    var got = await send(function (relay, now) {
      return M.endHelperRequest(String(args.advocate || ''), relay, now);
    });
    return M.endHelperAnswer(got.status, got.text);
  },
  settings: function () {
    return { relay: settings.relay, autoLockMinutes: settings.autoLockMinutes };
  },
  setSettings: async function (args) {
    needStarted();
    var next = Object.assign({}, settings);
    if (args && args.relay != null) {
      var url;
      try {
        url = new URL(String(args.relay));
      } catch (e) {
        throw M.problem('bad_input');
      }
      if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        throw M.problem('bad_input');
      }
      // The pages' CSP (connect-src 'self') lets this Worker reach only
      // the relay that served it: another address is refused in words,
      // not kept to fail later as "unreachable" (docs/decisions.md).
      if (url.origin !== self.location.origin) {
        throw M.problem('relay_elsewhere');
      }
      next.relay = url.origin;
    }
    if (args && args.autoLockMinutes != null) {
      var m = Number(args.autoLockMinutes);
      if (!(m >= 1 && m <= 60 && Math.floor(m) === m)) {
        throw M.problem('bad_input');
      }
      next.autoLockMinutes = m;
    }
    try {
      await transaction([META], function (tx) {
        tx.objectStore(META).put(next, 'settings');
      });
    } catch (e) {
      throw M.storageProblem();
    }
    settings = next;
    return { relay: settings.relay, autoLockMinutes: settings.autoLockMinutes };
  }
};

// ---- backups ----------------------------------------------------------------
//
// The backup file is `vault export`'s (docs/spec/backup-format.md); the
// module makes and reads it (vault-web/src/app/backup.rs).
//
// Export: the module writes the sealed backup into `output` as it makes it
// (documents read through the open handles chunk by chunk), the parts
// become one Blob, and only then does the vault note the backup.
//
// Import (vault-format §17, "Importing a backup"): with every document's
// handle and the spare held (the vault's lock, as for unlock), the module
// imports into an empty journal (the old records removed in memory) while
// the documents go to a fresh OPFS folder `import`: first one file,
// `staging`, because OPFS files are made asynchronously and the module
// runs in one synchronous call; then each document gets its own file
// there. Then ONE strict IndexedDB transaction writes the new records,
// removes the old ones, and notes in `files` `import/NAME -> { replace:
// NAME }` for every new document and `{ remove: true }` for every old one
// the backup does not have. Only after that commit are the files moved
// into `docs` (replacing a file of the same name) and `import` removed; a
// crash in between is finished at the next start. Before the commit
// nothing of the vault changed: a wrong passphrase or a damaged file
// leaves the old vault as it was, and `import` is thrown away.

var IMPORT_DIR = 'import';
var STAGING = 'staging';

// The file a document name is read and written through: its handle, or
// while importing, its part of `staging`.
function fileFor(name) {
  if (importing) {
    return importing.views.get(name);
  }
  return handles.get(name);
}

// A new document of an import: the part of `staging` from its end on.
function importCreate(name) {
  var view = { start: importing.end, len: 0 };
  view.read = function (buf, opts) {
    var at = opts.at;
    if (at >= view.len) {
      return 0;
    }
    return importing.staging.read(buf.subarray(0, Math.min(buf.length, view.len - at)), { at: view.start + at });
  };
  view.write = function (bytes, opts) {
    var n = importing.staging.write(bytes, { at: view.start + opts.at });
    view.len = Math.max(view.len, opts.at + n);
    importing.end = Math.max(importing.end, view.start + view.len);
    return n;
  };
  view.flush = function () {
    importing.staging.flush();
  };
  importing.views.set(name, view);
  return true;
}

function importRemove(name) {
  var view = importing.views.get(name);
  if (!view) {
    return;
  }
  importing.views.delete(name);
  if (view.start + view.len === importing.end) {
    importing.end = view.start;
  }
}

// Removes the folder `import`, unless `files` still has a move out of it
// to do.
async function removeImportDir() {
  var pending = (await readAll(FILES)).some(function (o) {
    return String(o[0]).indexOf(IMPORT_DIR + '/') === 0;
  });
  if (pending) {
    return;
  }
  var root = await navigator.storage.getDirectory();
  await root.removeEntry(IMPORT_DIR, { recursive: true }).catch(function () {});
}

async function startImport() {
  var root = await navigator.storage.getDirectory();
  await root.removeEntry(IMPORT_DIR, { recursive: true }).catch(function () {});
  var dir = await root.getDirectoryHandle(IMPORT_DIR, { create: true });
  var staging = await (await dir.getFileHandle(STAGING, { create: true })).createSyncAccessHandle();
  staging.truncate(0);
  importing = { dir: dir, staging: staging, views: new Map(), end: 0 };
}

// Throws away what an import wrote.
async function dropImport() {
  if (importing) {
    try {
      importing.staging.close();
    } catch (e) {
      // Already closed.
    }
    importing = null;
  }
  await removeImportDir().catch(function () {});
}

// Gives every imported document its own file in `import` (the last part
// of `staging` first, `staging` cut after each, so the disk holds each
// byte about once); the names.
async function placeImported() {
  var views = Array.from(importing.views.entries()).sort(function (a, b) {
    return b[1].start - a[1].start;
  });
  var buf = new Uint8Array(1 << 20);
  for (var i = 0; i < views.length; i++) {
    var name = views[i][0];
    var view = views[i][1];
    var h = await (await importing.dir.getFileHandle(name, { create: true })).createSyncAccessHandle();
    try {
      h.truncate(0);
      for (var at = 0; at < view.len; ) {
        var n = importing.staging.read(buf.subarray(0, Math.min(buf.length, view.len - at)), {
          at: view.start + at
        });
        if (n === 0) {
          throw new Error('staging ended early');
        }
        h.write(buf.subarray(0, n), { at: at });
        at += n;
      }
      h.flush();
    } finally {
      h.close();
    }
    importing.staging.truncate(view.start);
    importing.staging.flush();
  }
  importing.staging.close();
  await importing.dir.removeEntry(STAGING);
  importing = null;
  return views.map(function (v) {
    return v[0];
  });
}

// The one transaction that swaps the vault: new records in, old ones out,
// and the file operations that put the documents in place.
async function commitImport(names) {
  var changes = M.takeChanges();
  var incoming = new Set(names);
  var old = Array.from(docNames);
  await transaction([RECORDS, FILES], function (tx) {
    var r = tx.objectStore(RECORDS);
    changes.forEach(function (c) {
      if (c[1] === null) {
        r.delete(c[0]);
      } else {
        r.put(c[1], c[0]);
      }
    });
    var f = tx.objectStore(FILES);
    old.forEach(function (name) {
      if (!incoming.has(name)) {
        f.put({ remove: true }, name);
      }
    });
    names.forEach(function (name) {
      f.put({ replace: name }, IMPORT_DIR + '/' + name);
    });
  });
}

// Moves `import/NAME` to `docs/NAME`, replacing a file of that name. Done
// when `import/NAME` is gone, so doing it twice is harmless.
async function finishReplace(name) {
  var root = await navigator.storage.getDirectory();
  var dir = await root.getDirectoryHandle(IMPORT_DIR).catch(function () {
    return null;
  });
  var src = dir
    ? await dir.getFileHandle(name).catch(function () {
        return null;
      })
    : null;
  if (src) {
    closeHandle(name);
    await docs.removeEntry(name).catch(function () {});
    if (typeof src.move === 'function') {
      await src.move(docs, name);
    } else {
      await copyFile(src, await docs.getFileHandle(name, { create: true }));
      await dir.removeEntry(name);
    }
  }
  docNames.add(name);
  if (M.isOpen() && !handles.has(name)) {
    handles.set(name, await (await docs.getFileHandle(name)).createSyncAccessHandle());
  }
}

ops.exportBackup = async function () {
  needOpen();
  output = newOutput();
  var info;
  var blob;
  try {
    info = M.exportBackup();
    blob = outputBlob('application/octet-stream');
  } finally {
    output = null;
  }
  // The Blob is whole: only now does the vault note the backup. If that
  // is not kept, the backup is still whole; the vault just does not know
  // (as with `vault export`).
  try {
    M.backupSaved();
    await commit();
  } catch (e) {
    // Memory was loaded again from disk by commit().
  }
  return { blob: blob, fileName: info.fileName };
};

ops.backupState = function () {
  needOpen();
  return M.backupState();
};

ops.importBackup = async function (args) {
  needStarted();
  var file = args.file;
  if (!(file instanceof Blob)) {
    throw M.problem('bad_input');
  }
  var wasOpen = M.isOpen();
  // The vault's lock, as for unlock; then what another tab wrote.
  await openHandles();
  var value;
  try {
    await loadRecords().catch(function () {
      throw M.problem('storage');
    });
    await startImport().catch(function () {
      throw M.problem('storage');
    });
    input = { file: file, at: 0, reader: new FileReaderSync() };
    try {
      value = M.importBackup(String(args.passphrase || ''), args.replace === true);
    } finally {
      input = null;
    }
  } catch (e) {
    await dropImport();
    await loadRecords().catch(function () {});
    if (!wasOpen) {
      closeHandles();
    }
    throw e;
  }
  // The module accepted the backup: the new vault is open in memory, and
  // nothing on disk changed yet.
  try {
    var names = await placeImported();
    await commitImport(names);
  } catch (e) {
    M.cancelImport();
    await dropImport();
    await loadRecords().catch(function () {});
    closeHandles();
    throw M.storageProblem();
  }
  // Committed: the new vault is the vault. Its files are put in place now
  // (after a crash, at the next start). If that fails, the vault is locked
  // and the next unlock finishes it first (openHandles).
  try {
    await finishFileOps();
  } catch (e) {
    M.lock();
    closeHandles();
  }
  return { id: value.id, records: value.records, documents: value.documents };
};

// Operations that may change records are committed before they answer.
var WRITES = {
  putText: 1,
  putDocument: 1,
  remove: 1,
  addContact: 1,
  removeContact: 1,
  history: 1,
  addHelper: 1,
  endHelper: 1
};

// ---- the advocate's side (vault-web/src/app/advocate.rs) ------------------
// The advocate's key is kept sealed in this vault; every request is built
// and signed by the module with it, and every answer read by the module.

var KEY_FILE_READ = 4097; // one byte more than a key file may be: the module says "too large"

// The relay's list of `survivor`'s shares, for the advocate, or status 0
// if it could not be reached.
async function advocateList(survivor) {
  try {
    return await send(function (relay, now) {
      return M.advocateSharesRequest(survivor, relay, now);
    });
  } catch (e) {
    return { status: 0, text: '' };
  }
}

Object.assign(ops, {
  advocateImport: async function (args) {
    needOpen();
    var file = args.file;
    if (!(file instanceof Blob)) {
      throw M.problem('bad_input');
    }
    var bytes = new Uint8Array(await file.slice(0, KEY_FILE_READ).arrayBuffer());
    return M.advocateImport(bytes, String(args.passphrase || ''));
  },
  advocateClients: async function () {
    needOpen();
    var got = await send(function (relay, now) {
      return M.advocateClientsRequest(relay, now);
    });
    return M.advocateClients(got.status, got.text, Date.now() / 1000);
  },
  advocateShares: async function (args) {
    needOpen();
    var survivor = String(args.survivor || '');
    var got = await send(function (relay, now) {
      return M.advocateSharesRequest(survivor, relay, now);
    });
    return M.advocateShares(survivor, got.status, got.text, Date.now() / 1000);
  },
  advocateWithdraw: async function (args) {
    needOpen();
    var survivor = String(args.survivor || '');
    var tokenId = args.all === true ? null : String(args.tokenId || '');
    var done = await send(function (relay, now) {
      return M.advocateWithdrawRequest(survivor, tokenId, relay, now);
    });
    var list = await advocateList(survivor);
    return M.advocateWithdrawn(
      survivor,
      done.status,
      done.text,
      list.status,
      list.text,
      Date.now() / 1000,
      tokenId !== null
    );
  }
});
WRITES.advocateImport = 1;

// ---- downloads -------------------------------------------------------
//
// Where the page has a service worker, a document is downloaded without
// the whole of it ever being in one place: the page hands this Worker one
// end of a MessageChannel (`downloadBegin`) and the service worker the
// other, and the service worker answers a one-time download address with
// a stream that asks here for the next piece each time the browser wants
// more (`{ op: 'pull' }` → `{ bytes }`, then `{ done: true }` once the
// whole document was given and checked). The module keeps the reader
// (vault-core's DocumentReader: one chunk at a time, each authenticated);
// this Worker holds one piece at a time and hands it over (transferred, not
// copied). A problem, a lock, or another download ends it:
// `{ stopped: true }`, and the page is told why when it was a problem.
// Without a service worker the page asks `readDocument` (one Blob).

function beginDownload(args) {
  var port = args.port;
  if (!(port instanceof MessagePort)) {
    throw M.problem('bad_input');
  }
  endDownload({ stopped: true });
  var info = M.readBegin(String(args.path || ''));
  var mine = { port: port };
  download = mine;
  port.onmessage = function (event) {
    var m = event.data || {};
    if (download !== mine) {
      sendAndClose(port, { stopped: true });
      return;
    }
    if (m.op === 'cancel') {
      endDownload(null);
      return;
    }
    if (m.op !== 'pull') {
      return;
    }
    var bytes;
    try {
      needOpen();
      bytes = M.readNext(DOWNLOAD_PIECE);
    } catch (e) {
      endDownload({ stopped: true });
      self.postMessage({ event: 'downloadStopped', problem: asProblem(e) });
      return;
    }
    if (bytes.length === 0) {
      endDownload({ done: true });
      return;
    }
    port.postMessage({ bytes: bytes }, [bytes.buffer]);
  };
  return { name: info.name, type: info.type, size: info.size };
}

function sendAndClose(port, note) {
  try {
    if (note) {
      port.postMessage(note);
    }
    port.close();
  } catch (e) {
    // Already closed.
  }
}

// Ends the running download, if any: the module drops its reader, and the
// service worker is told `note` (null: it asked to stop).
function endDownload(note) {
  if (!download) {
    return;
  }
  var d = download;
  download = null;
  try {
    M.readEnd();
  } catch (e) {
    // Nothing to drop.
  }
  sendAndClose(d.port, note);
}

function asProblem(e) {
  if (e && typeof e === 'object' && typeof e.kind === 'string' && typeof e.title === 'string') {
    return { kind: e.kind, title: e.title, message: e.message, next: e.next };
  }
  // Never the browser's own words.
  try {
    return asProblem(M.problem('unknown'));
  } catch (x) {
    return { kind: 'unknown', title: '', message: '', next: '' };
  }
}

var queue = Promise.resolve();

self.onmessage = function (event) {
  var msg = event.data || {};
  var id = msg.id;
  var run = ops[msg.op];
  queue = queue.then(async function () {
    if (!run) {
      self.postMessage({ id: id, ok: false, problem: asProblem(null) });
      return;
    }
    try {
      if (msg.op !== 'start' && !db) {
        // Asked before `start`: start first, so the answer is the real one.
        await start({});
      }
      var value = await run(msg.args || {});
      if (WRITES[msg.op]) {
        await commit();
      }
      self.postMessage({ id: id, ok: true, value: value });
    } catch (e) {
      if (WRITES[msg.op]) {
        // What vault-core left after its own clean-up is kept too, so memory
        // and disk agree (a failed commit loads memory from disk).
        try {
          await commit();
        } catch (x) {
          e = x;
        }
      }
      self.postMessage({ id: id, ok: false, problem: asProblem(e) });
    }
  });
};
