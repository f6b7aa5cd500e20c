// The survivor's app (Folio): the page side of docs/app-worker.md.
//
// The page shows screens, words and the keyboard; it holds no key and no
// passphrase once it has handed one to the Worker (web/app/worker.js),
// which owns the open vault. Every sentence comes from the catalogue
// (vault-core/messages/*.ftl, ids app-…) through the module's text();
// text someone wrote (field names and values, purposes, names) is set with
// textContent only, never as markup.
//
// One page: screens are sections shown in place, so nothing about a screen
// is in the address bar or the history (no pushState, no hash). Quick exit
// (the Exit button, or Escape) locks, stops the Worker, clears the page and
// replaces it with the relay's neutral page, so Back does not lead here.

const MODULE_URL = '/web/pkg/folio_app.js';
const WORKER_URL = '/app/worker.js';
const SW_URL = '/app/sw.js';
// Where the service worker answers a download once (web/app/sw.js), and how
// long the page waits for it to take one.
const DOWNLOAD_PATH = '/app/download/';
const DOWNLOAD_WAIT = 5000;
// Where quick exit goes: the relay's own neutral page (docs/decisions.md).
const EXIT_URL = '/';
const LANGS = ['en', 'es'];
// The module embeds English only; another language's catalogue is fetched
// from the relay when a person reads it (the service worker keeps a copy).
const CATALOGUE_URL = (lang) => `/web/pkg/${lang}.ftl`;
const LANG_KEY = 'folio-lang';
const DEFAULT_AUTOLOCK_MINUTES = 5;
// A key file is a few hundred bytes; more than this is not one.
const KEY_FILE_MAX = 65536;

let words = null; // the module (text), once loaded
const catalogues = new Map(); // lang -> the catalogue's text, once loaded
let worker = null;
let nextId = 1;
const waiting = new Map();
let state = { exists: false, unlocked: false, persisted: false, privateMode: false };
let autoLockMinutes = DEFAULT_AUTOLOCK_MINUTES;
let idleTimer = null;
let lastShare = null; // the arguments of the share being previewed
let qrUrl = null; // the object URL of the QR picture on screen
let scanStream = null;
let restoreFrom = 's-first';
let currentClient = null;
let leaving = false;

// After a quick exit the page is emptied while an answer may still be on
// its way: whatever it would show then goes to a detached element.
const $ = (id) => document.getElementById(id) || (leaving ? document.createElement('div') : null);

// ---- words ---------------------------------------------------------------

function t(id, args) {
  if (!words) {
    return '';
  }
  try {
    return String(words.text(id, args || {}));
  } catch (_) {
    return '';
  }
}

function pickLang() {
  let saved = null;
  try {
    saved = localStorage.getItem(LANG_KEY);
  } catch (_) {
    saved = null;
  }
  if (LANGS.includes(saved)) {
    return saved;
  }
  for (const l of navigator.languages || [navigator.language || 'en']) {
    const base = String(l).toLowerCase().split('-')[0];
    if (LANGS.includes(base)) {
      return base;
    }
  }
  return 'en';
}

// The catalogue of `lang` handed to this page's module, and its text for
// the Worker's; null for English (embedded) or when it could not be had
// (offline without a copy, a damaged answer): English is spoken then.
async function catalogue(lang) {
  if (lang === 'en' || !LANGS.includes(lang) || !words) {
    return null;
  }
  if (catalogues.has(lang)) {
    return catalogues.get(lang);
  }
  try {
    const res = await fetch(CATALOGUE_URL(lang), { credentials: 'omit', redirect: 'error' });
    const text = res.ok ? await res.text() : '';
    if (text && typeof words.loadCatalogue === 'function' && words.loadCatalogue(lang, text)) {
      catalogues.set(lang, text);
      return text;
    }
  } catch (_) {
    // English, below.
  }
  return null;
}

function applyLang(wanted) {
  let lang = wanted;
  if (words && typeof words.setLanguage === 'function') {
    try {
      lang = words.setLanguage(wanted) || wanted;
    } catch (_) {
      // The module keeps its current language.
    }
  }
  document.documentElement.lang = lang;
  for (const el of document.querySelectorAll('[data-msg]')) {
    const s = t(el.dataset.msg);
    if (s) {
      el.textContent = s;
    }
  }
  for (const pick of document.querySelectorAll('.lang-pick')) {
    pick.value = lang;
  }
}

// ---- the Worker ------------------------------------------------------------

function startWorker() {
  worker = new Worker(WORKER_URL, { type: 'module' });
  worker.onmessage = (e) => {
    const m = e.data || {};
    if (m.event === 'downloadStopped') {
      // A download stopped half-way (the browser drops what it had).
      say(problemText(m.problem));
      return;
    }
    const w = waiting.get(m.id);
    if (!w) {
      return;
    }
    waiting.delete(m.id);
    if (m.ok) {
      w.resolve(m.value || {});
    } else {
      w.reject(m.problem || { kind: 'unknown' });
    }
  };
  worker.onerror = (e) => {
    e.preventDefault();
    for (const w of waiting.values()) {
      w.reject({ kind: 'unknown', message: t('app-worker-failed') });
    }
    waiting.clear();
  };
}

function ask(op, args, transfer) {
  if (!worker) {
    return Promise.reject({ kind: 'unknown', message: t('app-worker-failed') });
  }
  const id = nextId++;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    worker.postMessage({ id, op, args: args || {} }, transfer || []);
  });
}

// One sentence (or the problem's title, what it means, and what to do).
function problemText(p) {
  if (p && (p.title || p.message || p.next)) {
    return [p.title, p.message, p.next].filter(Boolean).join(' ');
  }
  return t('app-problem-generic');
}

function showProblem(el, p) {
  el.textContent = typeof p === 'string' ? p : problemText(p);
  el.hidden = false;
}

function clearProblem(el) {
  el.textContent = '';
  el.hidden = true;
}

function say(text) {
  $('live').textContent = '';
  // A change the screen reader notices even when the words repeat.
  requestAnimationFrame(() => {
    $('live').textContent = text;
  });
}

// ---- screens ---------------------------------------------------------------

const ON_SHOW = {};

function show(id) {
  for (const s of document.querySelectorAll('.screen')) {
    s.hidden = s.id !== id;
  }
  if (id !== 's-qr') {
    clearQr();
  }
  if (id !== 's-share') {
    stopScan();
  }
  const h = $(id + '-h');
  if (h) {
    h.focus();
  }
  window.scrollTo(0, 0);
  if (ON_SHOW[id]) {
    ON_SHOW[id]();
  }
}

function busy(textId) {
  $('s-busy-h').textContent = t(textId);
  show('s-busy');
}

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) {
    e.className = cls;
  }
  if (text !== undefined && text !== null) {
    e.textContent = String(text);
  }
  return e;
}

function button(textId, cls, onClick) {
  const b = el('button', cls || 'secondary', t(textId));
  b.type = 'button';
  b.addEventListener('click', onClick);
  return b;
}

function confirmThen(text) {
  const d = $('confirm');
  $('confirm-text').textContent = text;
  return new Promise((resolve) => {
    const done = (yes) => {
      $('confirm-yes').onclick = null;
      $('confirm-no').onclick = null;
      d.oncancel = null;
      if (d.open) {
        d.close();
      }
      resolve(yes);
    };
    $('confirm-yes').onclick = () => done(true);
    $('confirm-no').onclick = () => done(false);
    d.oncancel = (e) => {
      e.preventDefault();
      done(false);
    };
    d.showModal();
    $('confirm-no').focus();
  });
}

// Asks `question`; on yes, asks the Worker `op` with `args`, says its
// answer's text (or the problem) in the live region, then runs `then`.
async function confirmAndDo(question, op, args, then) {
  if (!(await confirmThen(question))) {
    return;
  }
  try {
    say((await ask(op, args)).text || '');
  } catch (p) {
    say(problemText(p));
  }
  then();
}

function download(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name || 'file';
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

// ---- start, create, unlock, lock -----------------------------------------

async function start() {
  const lang = pickLang();
  try {
    words = await import(MODULE_URL);
    if (typeof words.default === 'function') {
      await words.default();
    }
  } catch (_) {
    words = null;
    show('s-nowasm');
    return;
  }
  const text = await catalogue(lang);
  applyLang(lang);
  registerServiceWorker();
  try {
    startWorker();
    state = await ask('start', { lang, catalogue: text });
  } catch (p) {
    $('s-start-h').textContent = problemText(p);
    return;
  }
  if (state.unlocked) {
    await opened();
  } else if (state.exists) {
    show('s-unlock');
  } else {
    $('private-note').hidden = !state.privateMode;
    show('s-first');
  }
}

function registerServiceWorker() {
  if (!('serviceWorker' in navigator)) {
    return;
  }
  navigator.serviceWorker
    .register(SW_URL, { scope: '/app/' })
    .then((reg) => {
      // Ask it to check that its copy of the app is the relay's current one.
      const sw = reg.active || reg.waiting || reg.installing;
      if (sw && navigator.onLine) {
        sw.postMessage({ op: 'refresh', lang: document.documentElement.lang });
      }
    })
    .catch(() => {
      // Without it the app still works online; nothing to tell.
    });
}

$('first-pass').addEventListener('input', async () => {
  const passphrase = $('first-pass').value;
  if (!passphrase) {
    $('first-hint').textContent = '';
    return;
  }
  try {
    const h = await ask('passphraseHint', { passphrase });
    if ($('first-pass').value === passphrase) {
      $('first-hint').textContent = h.text || '';
    }
  } catch (_) {
    $('first-hint').textContent = '';
  }
});

$('first-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const problem = $('first-problem');
  clearProblem(problem);
  const a = $('first-pass').value;
  const b = $('first-pass2').value;
  if (!a) {
    showProblem(problem, t('app-passphrase-empty'));
    $('first-pass').focus();
    return;
  }
  if (a !== b) {
    showProblem(problem, t('app-passphrase-mismatch'));
    $('first-pass2').value = '';
    $('first-pass2').focus();
    return;
  }
  busy('app-creating');
  try {
    await ask('create', { passphrase: a });
  } catch (p) {
    show('s-first');
    showProblem(problem, p);
    return;
  } finally {
    $('first-pass').value = '';
    $('first-pass2').value = '';
    $('first-hint').textContent = '';
  }
  show('s-keep');
});

$('keep-ask').addEventListener('click', async () => {
  let persisted = false;
  try {
    persisted = (await ask('persist')).persisted === true;
  } catch (_) {
    persisted = false;
  }
  const r = $('keep-result');
  r.textContent = t(persisted ? 'app-keep-yes' : 'app-keep-no');
  r.hidden = false;
  say(r.textContent);
  $('keep-ask').hidden = true;
  $('keep-continue').focus();
});

$('keep-continue').addEventListener('click', () => opened());

$('unlock-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const problem = $('unlock-problem');
  clearProblem(problem);
  const passphrase = $('unlock-pass').value;
  $('unlock-pass').value = '';
  if (!passphrase) {
    showProblem(problem, t('app-passphrase-empty'));
    $('unlock-pass').focus();
    return;
  }
  busy('app-opening');
  let value;
  try {
    value = await ask('unlock', { passphrase });
  } catch (p) {
    show('s-unlock');
    showProblem(problem, p);
    $('unlock-pass').focus();
    return;
  }
  $('unlock-note').hidden = true;
  await opened(value.repairs || []);
});

async function opened(repairs) {
  state.exists = true;
  state.unlocked = true;
  try {
    const s = await ask('settings');
    autoLockMinutes = validMinutes(s.autoLockMinutes) || DEFAULT_AUTOLOCK_MINUTES;
  } catch (_) {
    autoLockMinutes = DEFAULT_AUTOLOCK_MINUTES;
  }
  const list = $('home-repairs');
  list.replaceChildren();
  for (const r of repairs || []) {
    list.append(el('li', 'panel panel-note', r));
  }
  list.hidden = list.children.length === 0;
  resetIdle();
  show('s-home');
}

ON_SHOW['s-home'] = async () => {
  try {
    const b = await ask('backupState');
    $('home-backup').hidden = !b.changedSinceBackup;
  } catch (_) {
    $('home-backup').hidden = true;
  }
};

function validMinutes(v) {
  const n = Number(v);
  return Number.isInteger(n) && n >= 1 && n <= 60 ? n : null;
}

// Forgets everything the page shows of the vault.
function clearScreens() {
  for (const id of [
    'info-list',
    'share-fields',
    'share-contact',
    'preview-leaving',
    'shares-list',
    'history-list',
    'helpers-list',
    'clients-list',
    'client-shares',
    'home-repairs',
  ]) {
    $(id).replaceChildren();
  }
  for (const id of ['preview-text', 'helper-preview-text', 'client-h', 'backup-state', 'doc-chosen', 'scan-note']) {
    $(id).textContent = '';
  }
  for (const f of document.querySelectorAll('form')) {
    f.reset();
  }
  for (const p of document.querySelectorAll('.problem')) {
    clearProblem(p);
  }
  for (const id of ['to-contact-more', 'to-id-more', 'helper-preview', 'client-box']) {
    $(id).hidden = true;
  }
  lastShare = null;
  currentClient = null;
  clearQr();
  stopScan();
}

async function lockNow(noteId, args) {
  clearTimeout(idleTimer);
  idleTimer = null;
  if ($('confirm').open) {
    $('confirm').close();
  }
  clearScreens();
  stopDownloads();
  try {
    await ask('lock');
  } catch (_) {
    // Locked or not, the page shows nothing of the vault any more.
  }
  state.unlocked = false;
  const note = $('unlock-note');
  note.textContent = noteId ? t(noteId, args) : '';
  note.hidden = !noteId;
  show('s-unlock');
}

$('lock').addEventListener('click', () => lockNow('app-locked'));

// ---- auto-lock -------------------------------------------------------------

function resetIdle() {
  if (!state.unlocked) {
    return;
  }
  clearTimeout(idleTimer);
  idleTimer = setTimeout(
    () => lockNow('app-locked-idle', { minutes: autoLockMinutes }),
    autoLockMinutes * 60 * 1000,
  );
}

for (const type of ['pointerdown', 'keydown', 'input', 'wheel', 'touchstart']) {
  document.addEventListener(type, resetIdle, { passive: true, capture: true });
}

// ---- quick exit -------------------------------------------------------------

function quickExit() {
  if (leaving) {
    return;
  }
  leaving = true;
  clearTimeout(idleTimer);
  stopDownloads();
  try {
    if (worker) {
      worker.postMessage({ id: nextId++, op: 'lock', args: {} });
      worker.terminate();
    }
  } catch (_) {
    // Terminated either way below.
  }
  worker = null;
  stopScan();
  clearQr();
  document.body.replaceChildren();
  window.location.replace(EXIT_URL);
}

$('exit').addEventListener('click', quickExit);
document.addEventListener(
  'keydown',
  (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      quickExit();
    }
  },
  { capture: true },
);

// ---- navigation -------------------------------------------------------------

document.addEventListener('click', (e) => {
  const go = e.target.closest('[data-go]');
  if (go) {
    if (go.dataset.go === 's-restore') {
      restoreFrom = state.unlocked ? 's-settings' : 's-first';
    }
    show(go.dataset.go);
  }
});

// ---- my information ---------------------------------------------------------

async function entries() {
  return ask('list');
}

ON_SHOW['s-info'] = async () => {
  let v;
  try {
    v = await entries();
  } catch (p) {
    say(problemText(p));
    return;
  }
  const list = $('info-list');
  list.replaceChildren();
  for (const en of v.entries || []) {
    const li = el('li', 'item');
    // The name the person gave it; a document also shows its file's name.
    li.append(el('p', 'item-name text', en.path));
    if (en.kind === 'document' && en.name) {
      li.append(el('p', 'text', en.name));
    }
    const kind = t(en.kind === 'document' ? 'app-kind-document' : 'app-kind-text');
    li.append(
      el('p', 'help', t('app-entry-detail', { kind, size: en.sizeText || '', updated: en.updatedText || '' })),
    );
    const actions = el('div', 'actions');
    if (en.kind === 'document') {
      actions.append(button('app-download', 'secondary', () => downloadDocument(en.path)));
    } else {
      actions.append(button('app-edit', 'secondary', () => editText(en.path)));
    }
    actions.append(button('app-remove', 'secondary', () => removeEntry(en)));
    li.append(actions);
    list.append(li);
  }
  $('info-empty').hidden = list.children.length > 0;
  $('info-damaged').hidden = !v.damaged;
};

async function editText(path) {
  try {
    const v = await ask('getText', { path });
    $('text-name').value = path;
    $('text-value').value = v.value || '';
    $('text-value').focus();
  } catch (p) {
    say(problemText(p));
  }
}

// A download the service worker streams from the Worker, piece by piece
// (docs/app-worker.md, "Downloads"): false when the service worker did not
// take it, and nothing was read.
async function streamDownload(path, sw) {
  const channel = new MessageChannel();
  const info = await ask('downloadBegin', { path, port: channel.port1 }, [channel.port1]);
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  const id = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  const reply = new MessageChannel();
  const ready = await new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), DOWNLOAD_WAIT);
    reply.port1.onmessage = (e) => {
      clearTimeout(timer);
      resolve(Boolean(e.data && e.data.ready));
    };
    sw.postMessage(
      {
        op: 'download',
        id,
        name: info.name,
        type: info.type,
        size: info.size,
        port: channel.port2,
        reply: reply.port2,
      },
      [channel.port2, reply.port2],
    );
  });
  reply.port1.close();
  if (!ready) {
    await ask('downloadEnd').catch(() => {});
    return false;
  }
  // A plain link, no `download` attribute: Chromium saves the answer as a
  // file because of its Content-Disposition, and the page stays (with the
  // attribute it cancels a download a service worker answers).
  const a = document.createElement('a');
  a.href = `${DOWNLOAD_PATH}${id}`;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  return true;
}

// Tells the service worker to stop every download (lock, quick exit).
function stopDownloads() {
  try {
    const sw = 'serviceWorker' in navigator && navigator.serviceWorker.controller;
    if (sw) {
      sw.postMessage({ op: 'stop-downloads' });
    }
  } catch (_) {
    // No service worker: nothing is streaming.
  }
}

async function downloadDocument(path) {
  try {
    // Without a service worker in charge (a first visit, some private
    // windows) the Worker gives the whole document as one Blob.
    const sw = 'serviceWorker' in navigator && navigator.serviceWorker.controller;
    if (sw && (await streamDownload(path, sw))) {
      return;
    }
    const v = await ask('readDocument', { path });
    download(v.blob, v.name);
  } catch (p) {
    say(problemText(p));
  }
}

async function removeEntry(en) {
  if (!(await confirmThen(t('app-remove-confirm', { name: en.path })))) {
    return;
  }
  try {
    await ask('remove', { path: en.path });
    say(t('app-removed'));
  } catch (p) {
    say(problemText(p));
  }
  ON_SHOW['s-info']();
}

$('text-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const problem = $('text-problem');
  clearProblem(problem);
  const path = $('text-name').value.trim();
  if (!path) {
    showProblem(problem, t('app-need-name'));
    $('text-name').focus();
    return;
  }
  try {
    await ask('putText', { path, value: $('text-value').value });
  } catch (p) {
    showProblem(problem, p);
    return;
  }
  $('text-form').reset();
  say(t('app-saved'));
  ON_SHOW['s-info']();
});

function chosenFile() {
  return $('doc-camera').files[0] || $('doc-file').files[0] || null;
}

for (const id of ['doc-camera', 'doc-file']) {
  $(id).addEventListener('change', () => {
    const other = id === 'doc-camera' ? 'doc-file' : 'doc-camera';
    if ($(id).files[0]) {
      $(other).value = '';
    }
    const f = chosenFile();
    $('doc-chosen').textContent = f ? f.name : '';
  });
}

$('doc-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const problem = $('doc-problem');
  clearProblem(problem);
  const path = $('doc-name').value.trim();
  const file = chosenFile();
  if (!path) {
    showProblem(problem, t('app-need-name'));
    $('doc-name').focus();
    return;
  }
  if (!file) {
    showProblem(problem, t('app-need-file'));
    return;
  }
  let v;
  try {
    v = await ask('putDocument', { path, file });
  } catch (p) {
    showProblem(problem, p);
    return;
  }
  $('doc-form').reset();
  $('doc-chosen').textContent = '';
  say(t('app-document-added', { size: v.sizeText || '' }));
  ON_SHOW['s-info']();
});

// ---- share -----------------------------------------------------------------

ON_SHOW['s-share'] = async () => {
  let list;
  let contacts;
  try {
    [list, contacts] = await Promise.all([entries(), ask('contacts')]);
  } catch (p) {
    say(problemText(p));
    return;
  }
  const fields = $('share-fields');
  fields.replaceChildren();
  (list.entries || []).forEach((en, i) => {
    const li = el('li', 'choice');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.id = 'share-field-' + i;
    box.value = en.path;
    box.checked = false;
    const label = el('label', 'text', en.kind === 'document' && en.name ? `${en.path} (${en.name})` : en.path);
    label.htmlFor = box.id;
    li.append(box, label);
    fields.append(li);
  });
  $('share-no-fields').hidden = fields.children.length > 0;
  const select = $('share-contact');
  select.replaceChildren();
  const none = el('option', null, t('app-share-choose-contact'));
  none.value = '';
  select.append(none);
  for (const c of contacts.contacts || []) {
    const o = el('option', null, c.name);
    o.value = c.name;
    select.append(o);
  }
  select.value = '';
};

for (const r of document.querySelectorAll('input[name="to"]')) {
  r.addEventListener('change', () => {
    const to = document.querySelector('input[name="to"]:checked');
    const v = to ? to.value : '';
    $('to-contact-more').hidden = v !== 'contact';
    $('to-id-more').hidden = v !== 'id';
    if (v !== 'id') {
      stopScan();
    }
  });
}

function wholeAtLeastOne(s) {
  const n = Number(s);
  return Number.isInteger(n) && n >= 1 ? n : null;
}

$('share-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const problem = $('share-problem');
  clearProblem(problem);
  const fields = [...document.querySelectorAll('#share-fields input:checked')].map((b) => b.value);
  const toChoice = document.querySelector('input[name="to"]:checked');
  const purpose = $('share-purpose').value.trim();
  const hours = wholeAtLeastOne($('share-hours').value);
  const uses = wholeAtLeastOne($('share-uses').value);
  if (fields.length === 0) {
    return showProblem(problem, t('app-share-pick-field'));
  }
  let to = null;
  if (!toChoice) {
    return showProblem(problem, t('app-share-pick-who'));
  }
  if (toChoice.value === 'contact') {
    to = $('share-contact').value;
    if (!to) {
      return showProblem(problem, t('app-share-pick-who'));
    }
  } else if (toChoice.value === 'id') {
    to = $('share-id').value.trim();
    if (!to) {
      return showProblem(problem, t('app-share-pick-who'));
    }
    const name = $('share-save-as').value.trim();
    if (name) {
      try {
        await ask('addContact', { name, id: to });
      } catch (p) {
        return showProblem(problem, p);
      }
      // Saved once; a second Preview uses the id as it is.
      $('share-save-as').value = '';
      to = name;
    }
  }
  if (!purpose) {
    return showProblem(problem, t('app-share-need-purpose'));
  }
  if (hours === null || uses === null) {
    return showProblem(problem, t('app-share-need-number'));
  }
  const args = { fields, to, purpose, hours, uses };
  let v;
  try {
    v = await ask('previewShare', args);
  } catch (p) {
    return showProblem(problem, p);
  }
  lastShare = args;
  $('preview-text').textContent = v.preview || '';
  const dl = $('preview-leaving');
  dl.replaceChildren();
  for (const f of v.leaving || []) {
    dl.append(el('dt', 'text', f.path), el('dd', 'text', f.text));
  }
  clearProblem($('preview-problem'));
  show('s-preview');
});

$('preview-change').addEventListener('click', () => {
  lastShare = null;
  $('preview-text').textContent = '';
  $('preview-leaving').replaceChildren();
  $('s-share').hidden = false;
  for (const s of document.querySelectorAll('.screen')) {
    s.hidden = s.id !== 's-share';
  }
  $('s-share-h').focus();
});

$('preview-agree').addEventListener('click', async () => {
  if (!lastShare) {
    return;
  }
  const problem = $('preview-problem');
  clearProblem(problem);
  $('preview-agree').disabled = true;
  say(t('app-sharing'));
  let v;
  try {
    v = await ask('share', lastShare);
  } catch (p) {
    $('preview-agree').disabled = false;
    showProblem(problem, p);
    return;
  }
  $('preview-agree').disabled = false;
  lastShare = null;
  $('preview-text').textContent = '';
  $('preview-leaving').replaceChildren();
  $('share-form').reset();
  $('to-contact-more').hidden = true;
  $('to-id-more').hidden = true;
  showQr(v);
});

function showQr(v) {
  clearQr();
  qrUrl = URL.createObjectURL(new Blob([v.qrSvg || ''], { type: 'image/svg+xml' }));
  const img = document.createElement('img');
  img.src = qrUrl;
  img.alt = t('app-qr-alt');
  $('qr-box').append(img);
  $('qr-link').textContent = v.link || '';
  $('qr-detail').textContent = t('app-qr-detail', { until: v.expiresText || '', uses: v.uses || 1 });
  show('s-qr');
}

function clearQr() {
  $('qr-box').replaceChildren();
  $('qr-link').textContent = '';
  $('qr-detail').textContent = '';
  if (qrUrl) {
    URL.revokeObjectURL(qrUrl);
    qrUrl = null;
  }
}

$('qr-done').addEventListener('click', () => {
  clearQr();
  show('s-home');
  say(t('app-qr-done'));
});

// Scanning an agency's code: BarcodeDetector where the browser has it.
$('scan').addEventListener('click', async () => {
  const note = $('scan-note');
  if (!('BarcodeDetector' in window) || !navigator.mediaDevices) {
    note.textContent = t('app-scan-unavailable');
    return;
  }
  let detector;
  try {
    detector = new window.BarcodeDetector({ formats: ['qr_code'] });
    scanStream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
  } catch (_) {
    note.textContent = t('app-scan-no-camera');
    stopScan();
    return;
  }
  const video = $('scan-video');
  video.srcObject = scanStream;
  $('scan-box').hidden = false;
  note.textContent = '';
  try {
    await video.play();
  } catch (_) {
    note.textContent = t('app-scan-no-camera');
    stopScan();
    return;
  }
  const look = async () => {
    if (!scanStream) {
      return;
    }
    try {
      const found = await detector.detect(video);
      if (found.length > 0 && found[0].rawValue) {
        $('share-id').value = found[0].rawValue.trim();
        stopScan();
        note.textContent = t('app-scan-found');
        $('share-id').focus();
        return;
      }
    } catch (_) {
      // Try the next frame.
    }
    requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
});

function stopScan() {
  if (scanStream) {
    for (const track of scanStream.getTracks()) {
      track.stop();
    }
  }
  scanStream = null;
  const video = $('scan-video');
  if (video) {
    video.srcObject = null;
  }
  if ($('scan-box')) {
    $('scan-box').hidden = true;
  }
}

$('scan-stop').addEventListener('click', stopScan);

// ---- my shares -------------------------------------------------------------

// A share in one of these states cannot be withdrawn any more; any other
// (including a status the relay could not be asked for) still can.
const ENDED = ['revoked', 'withdrawn', 'expired', 'used_up', 'used-up', 'ended'];

function shareItem(s, onWithdraw) {
  const li = el('li', 'item');
  const who = s.who ? s.who : t('app-share-who-anyone');
  // An advocate's list has no purpose and no fields (they never see them).
  if (s.purpose != null) {
    li.append(el('p', 'item-name text', t('app-share-line-purpose', { purpose: s.purpose })));
  }
  li.append(el('p', s.purpose != null ? 'text' : 'item-name text', t('app-share-line-to', { who })));
  if (s.fields && s.fields.length) {
    li.append(el('p', 'text', t('app-share-line-fields', { fields: s.fields.join(', ') })));
  }
  li.append(el('p', 'help', t('app-share-line-until', { until: s.expiresText || '' })));
  li.append(
    el('p', 'help', t('app-share-line-uses', { left: s.usesLeft ?? 0, max: s.maxUses ?? 0 })),
  );
  if (s.statusText) {
    li.append(el('p', 'help', s.statusText));
  }
  if (!ENDED.includes(s.status)) {
    const actions = el('div', 'actions');
    actions.append(button('app-withdraw', 'secondary', onWithdraw));
    li.append(actions);
  }
  return li;
}

ON_SHOW['s-shares'] = async () => {
  let v;
  try {
    v = await ask('shares');
  } catch (p) {
    say(problemText(p));
    return;
  }
  const list = $('shares-list');
  list.replaceChildren();
  for (const s of v.shares || []) {
    list.append(
      shareItem(s, () =>
        confirmAndDo(t('app-withdraw-confirm'), 'withdraw', { tokenId: s.tokenId }, () => ON_SHOW['s-shares']())),
    );
  }
  $('shares-empty').hidden = list.children.length > 0;
  $('withdraw-all').hidden = list.children.length === 0;
  $('shares-offline').hidden = v.relayReached !== false;
};

$('withdraw-all').addEventListener('click', () =>
  confirmAndDo(t('app-withdraw-all-confirm'), 'withdrawAll', {}, () => ON_SHOW['s-shares']()),
);

// ---- history ---------------------------------------------------------------

ON_SHOW['s-history'] = async () => {
  let v;
  try {
    v = await ask('history');
  } catch (p) {
    say(problemText(p));
    return;
  }
  const warning = $('history-warning');
  warning.textContent = v.warning || '';
  warning.hidden = !v.warning;
  $('history-verified').hidden = !(v.verified && !v.warning);
  const list = $('history-list');
  list.replaceChildren();
  for (const line of v.lines || []) {
    const li = el('li', 'item');
    li.append(el('p', 'help', line.timeText), el('p', 'text', line.text));
    list.append(li);
  }
  $('history-empty').hidden = list.children.length > 0;
};

// ---- helpers ---------------------------------------------------------------

let helperArgs = null;

ON_SHOW['s-helpers'] = async () => {
  let v;
  try {
    v = await ask('helpers');
  } catch (p) {
    say(problemText(p));
    return;
  }
  const list = $('helpers-list');
  list.replaceChildren();
  for (const h of v.helpers || []) {
    const li = el('li', 'item');
    li.append(el('p', 'item-name text', h.name || h.advocate));
    li.append(el('p', 'help', t('app-helper-until', { until: h.untilText || '' })));
    const actions = el('div', 'actions');
    actions.append(
      button('app-end', 'secondary', () =>
        confirmAndDo(t('app-end-confirm'), 'endHelper', { advocate: h.advocate }, () => ON_SHOW['s-helpers']())),
    );
    li.append(actions);
    list.append(li);
  }
  $('helpers-empty').hidden = list.children.length > 0;
};

$('helper-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const problem = $('helper-problem');
  clearProblem(problem);
  const advocate = $('helper-who').value.trim();
  const days = wholeAtLeastOne($('helper-days').value);
  if (!advocate) {
    return showProblem(problem, t('app-need-name'));
  }
  if (days === null) {
    return showProblem(problem, t('app-share-need-number'));
  }
  try {
    const v = await ask('previewHelper', { advocate, days });
    helperArgs = { advocate, days };
    $('helper-preview-text').textContent = v.preview || '';
    $('helper-preview').hidden = false;
    $('helper-preview-h').focus();
  } catch (p) {
    showProblem(problem, p);
  }
});

function closeHelperPreview() {
  helperArgs = null;
  $('helper-preview-text').textContent = '';
  $('helper-preview').hidden = true;
}

$('helper-cancel').addEventListener('click', () => {
  closeHelperPreview();
  $('helper-who').focus();
});

$('helper-agree').addEventListener('click', async () => {
  if (!helperArgs) {
    return;
  }
  try {
    say((await ask('addHelper', helperArgs)).text || '');
    $('helper-form').reset();
  } catch (p) {
    showProblem($('helper-problem'), p);
  }
  closeHelperPreview();
  ON_SHOW['s-helpers']();
});

// ---- acting for someone (advocate) -----------------------------------------

ON_SHOW['s-advocate'] = async () => {
  $('client-box').hidden = true;
  currentClient = null;
  let v;
  try {
    v = await ask('advocateClients');
  } catch (_) {
    // No key loaded yet: the list stays empty.
    v = { clients: [] };
  }
  const list = $('clients-list');
  list.replaceChildren();
  for (const c of v.clients || []) {
    const li = el('li', 'item');
    li.append(el('p', 'item-name text', c.name || c.survivor));
    li.append(el('p', 'help', c.whenText || t('app-helper-until', { until: c.untilText || '' })));
    const actions = el('div', 'actions');
    actions.append(button('app-advocate-show', 'secondary', () => showClient(c)));
    li.append(actions);
    list.append(li);
  }
  $('clients-empty').hidden = list.children.length > 0;
};

async function showClient(c) {
  currentClient = c;
  let v;
  try {
    v = await ask('advocateShares', { survivor: c.survivor });
  } catch (p) {
    say(problemText(p));
    return;
  }
  $('client-h').textContent = t('app-advocate-shares-of', { name: c.name || c.survivor });
  $('client-warning').textContent = v.warning || '';
  $('client-warning').hidden = !v.warning;
  const list = $('client-shares');
  list.replaceChildren();
  for (const s of v.shares || []) {
    list.append(
      shareItem(s, () =>
        confirmAndDo(t('app-withdraw-confirm'), 'advocateWithdraw', { survivor: c.survivor, tokenId: s.tokenId }, () => showClient(c))),
    );
  }
  $('client-empty').hidden = list.children.length > 0;
  $('client-withdraw-all').hidden = list.children.length === 0;
  $('client-box').hidden = false;
  $('client-h').focus();
}

$('client-withdraw-all').addEventListener('click', () => {
  const c = currentClient;
  if (c) {
    confirmAndDo(
      t('app-advocate-withdraw-all-confirm', { name: c.name || c.survivor }),
      'advocateWithdraw',
      { survivor: c.survivor, all: true },
      () => showClient(c),
    );
  }
});

$('advocate-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const problem = $('advocate-problem');
  clearProblem(problem);
  const file = $('advocate-file').files[0];
  const passphrase = $('advocate-pass').value;
  $('advocate-pass').value = '';
  if (!file) {
    return showProblem(problem, t('app-need-key-file'));
  }
  if (file.size > KEY_FILE_MAX) {
    return showProblem(problem, t('app-not-key-file'));
  }
  if (!passphrase) {
    return showProblem(problem, t('app-passphrase-empty'));
  }
  try {
    await ask('advocateImport', { file, passphrase });
  } catch (p) {
    return showProblem(problem, p);
  }
  $('advocate-form').reset();
  say(t('app-advocate-loaded'));
  ON_SHOW['s-advocate']();
});

// ---- settings and backup ---------------------------------------------------

ON_SHOW['s-settings'] = async () => {
  try {
    const s = await ask('settings');
    $('set-relay').value = s.relay || '';
    $('set-autolock').value = String(validMinutes(s.autoLockMinutes) || DEFAULT_AUTOLOCK_MINUTES);
  } catch (p) {
    say(problemText(p));
  }
  try {
    const b = await ask('backupState');
    $('backup-state').textContent = b.lastBackupText
      ? t('app-backup-last', { when: b.lastBackupText })
      : t('app-backup-never');
  } catch (_) {
    $('backup-state').textContent = '';
  }
};

$('settings-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const problem = $('settings-problem');
  clearProblem(problem);
  const minutes = validMinutes($('set-autolock').value);
  if (minutes === null) {
    showProblem(problem, t('app-autolock-range'));
    $('set-autolock').focus();
    return;
  }
  try {
    const s = await ask('setSettings', { relay: $('set-relay').value.trim(), autoLockMinutes: minutes });
    autoLockMinutes = validMinutes(s.autoLockMinutes) || minutes;
    resetIdle();
    say(t('app-settings-saved'));
  } catch (p) {
    showProblem(problem, p);
  }
});

async function changeLanguage(e) {
  const lang = LANGS.includes(e.target.value) ? e.target.value : 'en';
  const text = await catalogue(lang);
  let used = text || lang === 'en' ? lang : 'en';
  try {
    used = (await ask('setLanguage', { lang: used, catalogue: text })).lang || used;
  } catch (_) {
    // The Worker keeps its language; the page's words follow the choice.
  }
  try {
    localStorage.setItem(LANG_KEY, lang);
  } catch (_) {
    // Not kept; the browser's preference is used next time.
  }
  applyLang(used);
  // The service worker keeps a copy of this language's words too.
  const sw = 'serviceWorker' in navigator && navigator.serviceWorker.controller;
  if (sw && used !== 'en' && navigator.onLine) {
    sw.postMessage({ op: 'refresh', lang: used });
  }
  if (state.unlocked && !$('s-settings').hidden) {
    ON_SHOW['s-settings']();
  }
  say(t('app-settings-saved'));
}

for (const pick of document.querySelectorAll('.lang-pick')) {
  pick.addEventListener('change', changeLanguage);
}

$('backup-export').addEventListener('click', async () => {
  try {
    const v = await ask('exportBackup');
    download(v.blob, v.fileName);
    say(t('app-backup-made'));
  } catch (p) {
    say(problemText(p));
  }
  ON_SHOW['s-settings']();
});

$('restore-back').addEventListener('click', () => show(restoreFrom));

$('restore-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const problem = $('restore-problem');
  clearProblem(problem);
  const file = $('restore-file').files[0];
  const passphrase = $('restore-pass').value;
  if (!file) {
    return showProblem(problem, t('app-need-backup-file'));
  }
  if (!passphrase) {
    return showProblem(problem, t('app-passphrase-empty'));
  }
  if (state.exists && !(await confirmThen(t('app-backup-replace-confirm')))) {
    return;
  }
  $('restore-pass').value = '';
  busy('app-opening');
  try {
    await ask('importBackup', { file, passphrase, replace: state.exists });
  } catch (p) {
    show('s-restore');
    showProblem(problem, p);
    return;
  }
  $('restore-form').reset();
  state.exists = true;
  let now = { unlocked: false };
  try {
    const lang = document.documentElement.lang;
    now = await ask('start', { lang, catalogue: catalogues.get(lang) || null });
  } catch (_) {
    now = { unlocked: false };
  }
  if (now.unlocked) {
    say(t('app-backup-restored'));
    await opened([]);
  } else {
    clearScreens();
    state.unlocked = false;
    $('unlock-note').textContent = t('app-backup-restored-open');
    $('unlock-note').hidden = false;
    show('s-unlock');
  }
});

start();
