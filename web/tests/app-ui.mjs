// The survivor's app (/app/, "Folio") in a real browser against the real
// relay: what the page does by itself, before any vault operation of the
// Worker (the whole flow is in the tests that follow the merge).
//
// The last case (auto-lock, wrong passphrase) uses the Worker's vault
// operations too.
//
// Driven by scripts/test-app.sh, which builds the relay, starts it on a
// free loopback port with a temporary data folder and passes here:
//   RELAY_URL   the relay's origin, like http://127.0.0.1:40123
//   SHOTS       where to save screenshots, optional
//   CHROMIUM    the browser (default /usr/bin/chromium)
//
// Across all cases: every answer carries the relay's CSP, the page reports
// no CSP violation, no console error and no script error. axe-core is
// evaluated through the DevTools protocol (Runtime.evaluate), which the
// page's CSP does not govern. Nothing is timed.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CSP, PHONE, assert, axe, env, launchBrowser, launchProfile, needer, runner, watchCsp } from './lib.mjs';

const RELAY = needer('app-ui.mjs', 'scripts/test-app.sh')('RELAY_URL');
const SHOTS = env.SHOTS || '';
const APP = `${RELAY}/app/`;
const NARROW = { width: 320, height: 640 };
const LIMIT = 120_000;
// Words a bystander may never see in the app's name, title or files.
const REVEALING = /survivor|trafficking|victim|abuse/i;
// The first screen the app shows: set up, or open.
const FIRST_SCREEN = '#s-first:not([hidden]), #s-unlock:not([hidden])';

const { check, failed } = runner({ timed: false });

// A fresh browser profile (context) with its page, watched for problems.
async function newPage(browser, viewport = PHONE) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const problems = [];
  await watchCsp(context, problems);
  page.on('console', (m) => {
    const from = (m.location() && m.location().url) || '';
    // The browser's own request for /favicon.ico on the relay's page.
    if (/status of 404/.test(m.text()) && from.endsWith('/favicon.ico')) {
      return;
    }
    if (m.type() === 'error' || m.type() === 'warning') {
      problems.push(`console ${m.type()}: ${m.text()} (${from})`);
    }
  });
  page.on('pageerror', (e) => problems.push(`script error: ${e.message}`));
  page.on('response', (r) => {
    if (r.url().startsWith(RELAY) && r.headers()['content-security-policy'] !== CSP) {
      problems.push(`no CSP on ${r.url()}`);
    }
  });
  return { context, page, problems };
}

function noProblems(problems) {
  assert(problems.length === 0, problems.join('\n'));
}

async function openApp(page) {
  const answer = await page.goto(APP);
  assert(answer && answer.ok(), `GET /app/ answered ${answer && answer.status()}`);
  await page.waitForSelector(FIRST_SCREEN, { timeout: LIMIT });
}

async function shot(page, name) {
  if (SHOTS) {
    fs.mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, `app-${name}.png`), fullPage: true });
  }
}

const browser = await launchBrowser();

await check('the app opens at /app/ titled "Folio", with its first screen and its heading focused', async () => {
  const { context, page, problems } = await newPage(browser);
  await openApp(page);
  assert((await page.title()) === 'Folio', `title ${await page.title()}`);
  const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
  assert(focused === 's-first-h', `focus is on ${focused}`);
  const heading = await page.textContent('#s-first-h');
  assert(heading && heading.trim().length > 0, 'the heading has no words');
  // Every static element marked with a message id got its words.
  const empty = await page.evaluate(() =>
    [...document.querySelectorAll('[data-msg]')].filter((e) => !e.textContent.trim()).map((e) => e.dataset.msg),
  );
  assert(empty.length === 0, `no words for ${empty.join(', ')}`);
  // The words of every screen, shown or not.
  const text = await page.evaluate(() => document.body.textContent);
  assert(!REVEALING.test(text), 'the page uses a revealing word');
  // No passphrase field invites the browser to remember what is typed.
  const remembered = await page.evaluate(() =>
    [...document.querySelectorAll('input[type=password]')].filter((e) => e.autocomplete !== 'off').map((e) => e.id),
  );
  assert(remembered.length === 0, `the browser may offer to save: ${remembered.join(', ')}`);
  // Nothing about the screen is in the address.
  assert(page.url() === APP, `the address changed to ${page.url()}`);
  await shot(page, 'first-run');
  noProblems(problems);
  await context.close();
});

await check('nothing is pre-selected: no box, choice or list item is chosen for the person', async () => {
  const { context, page, problems } = await newPage(browser);
  await openApp(page);
  const chosen = await page.evaluate(() => ({
    checked: [...document.querySelectorAll('input:checked')].map((e) => e.id || e.name),
    // The language pickers show the language in use, not a choice.
    selected: [...document.querySelectorAll('select:not(.lang-pick)')]
      .filter((s) => s.value !== '')
      .map((s) => s.id),
    radios: document.querySelectorAll('input[type=radio]').length,
  }));
  assert(chosen.radios > 0, 'the share screen has no choices to check');
  assert(chosen.checked.length === 0, `pre-selected: ${chosen.checked.join(', ')}`);
  assert(chosen.selected.length === 0, `pre-selected: ${chosen.selected.join(', ')}`);
  // The safe defaults: 24 hours, one use.
  assert((await page.inputValue('#share-hours')) === '24', 'the time limit is not 24 hours');
  assert((await page.inputValue('#share-uses')) === '1', 'uses is not 1');
  noProblems(problems);
  await context.close();
});

await check('axe-core finds nothing serious on the first screen, at 390 and 320 px wide', async () => {
  for (const viewport of [PHONE, NARROW]) {
    const { context, page, problems } = await newPage(browser, viewport);
    await openApp(page);
    await axe(page, `first screen, ${viewport.width} px`);
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    assert(wide <= viewport.width, `the page is ${wide} px wide at ${viewport.width} px`);
    // Every visible control is at least 44 px high and wide.
    const small = await page.evaluate(() =>
      [...document.querySelectorAll('button, input, select, textarea, .file-button')]
        .filter((e) => e.offsetParent !== null && e.type !== 'file' && e.type !== 'hidden')
        .map((e) => ({ e, r: e.getBoundingClientRect() }))
        .filter(({ r }) => r.height < 44 || r.width < 44)
        .map(({ e, r }) => `${e.id || e.tagName} ${Math.round(r.width)}x${Math.round(r.height)}`),
    );
    assert(small.length === 0, `small touch targets: ${small.join(', ')}`);
    noProblems(problems);
    await context.close();
  }
});

await check('the manifest makes an installable app named "Folio" with neutral icons', async () => {
  const { context, page, problems } = await newPage(browser);
  await openApp(page);
  const href = await page.getAttribute('link[rel=manifest]', 'href');
  assert(href === '/app/manifest.webmanifest', `manifest at ${href}`);
  const answer = await page.request.get(`${RELAY}${href}`);
  assert(answer.ok(), `the manifest answered ${answer.status()}`);
  assert(answer.headers()['content-type'] === 'application/manifest+json', answer.headers()['content-type']);
  assert(answer.headers()['cache-control'] === 'no-store', 'the manifest may be stored');
  const m = await answer.json();
  assert(m.name === 'Folio' && m.short_name === 'Folio', `named ${m.name} / ${m.short_name}`);
  assert(m.start_url === '/app/' && m.scope === '/app/' && m.display === 'standalone', JSON.stringify(m));
  assert(!REVEALING.test(JSON.stringify(m)), 'the manifest uses a revealing word');
  for (const icon of m.icons) {
    const i = await page.request.get(`${RELAY}${icon.src}`);
    assert(i.ok() && i.headers()['content-type'] === icon.type, `${icon.src}: ${i.status()} ${i.headers()['content-type']}`);
  }
  noProblems(problems);
  await context.close();
  // Chromium's own verdict, in a profile that is not a private window
  // (a private one is never installable), once the service worker is ready.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'folio-profile-'));
  const persistent = await launchProfile(dir);
  try {
    const p = persistent.pages()[0] || (await persistent.newPage());
    await openApp(p);
    await p.evaluate(() => navigator.serviceWorker.ready);
    const cdp = await persistent.newCDPSession(p);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    await cdp.detach();
    assert(installabilityErrors.length === 0, `not installable: ${JSON.stringify(installabilityErrors)}`);
  } finally {
    await persistent.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

await check('the service worker registers for /app/, keeps the bundle, and the app opens offline', async () => {
  const { context, page, problems } = await newPage(browser);
  await openApp(page);
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  assert(scope === APP, `scope ${scope}`);
  const info = await (await page.request.get(`${RELAY}/v1/relay`)).json();
  const want = `folio-${info.web_bundle.replace(/^sha256:/, '')}`;
  // The copy is made in the background: wait for the set named after the
  // relay's bundle, with every file and nothing else.
  await page.waitForFunction(
    async (name) => {
      if (!(await caches.has(name))) {
        return false;
      }
      return (await (await caches.open(name)).keys()).length === 10;
    },
    want,
    { timeout: LIMIT, polling: 250 },
  );
  const kept = await page.evaluate(async () => {
    const out = [];
    for (const name of await caches.keys()) {
      for (const r of await (await caches.open(name)).keys()) {
        out.push(`${name} ${new URL(r.url).pathname}`);
      }
    }
    return out;
  });
  assert(kept.every((k) => k.startsWith(`${want} `)), `other copies: ${kept.join(', ')}`);
  assert(!kept.some((k) => k.includes('/v1/')), `a relay answer was kept: ${kept.join(', ')}`);
  // Offline, a new page of the same profile opens the app from the copy.
  await context.setOffline(true);
  const offline = await context.newPage();
  offline.on('pageerror', (e) => problems.push(`offline script error: ${e.message}`));
  await offline.goto(APP);
  await offline.waitForSelector(FIRST_SCREEN, { timeout: LIMIT });
  assert((await offline.title()) === 'Folio', 'offline title');
  await shot(offline, 'offline');
  await context.setOffline(false);
  noProblems(problems);
  await context.close();
});

for (const how of ['the Exit button', 'the Escape key']) {
  await check(`quick exit by ${how} leaves for the neutral page with no way Back into the app`, async () => {
    const { context, page, problems } = await newPage(browser);
    // Came from the relay's page, as someone following a link would.
    await page.goto(`${RELAY}/`);
    await openApp(page);
    await page.fill('#first-pass', 'a passphrase being typed');
    const left = page.waitForURL(`${RELAY}/`, { timeout: LIMIT });
    if (how === 'the Exit button') {
      await page.click('#exit');
    } else {
      await page.keyboard.press('Escape');
    }
    await left;
    assert((await page.title()) !== 'Folio', `still titled ${await page.title()}`);
    assert(!(await page.evaluate(() => document.body.innerText)).includes('a passphrase'), 'the typed text is on screen');
    await page.goBack().catch(() => null);
    await page.waitForLoadState();
    assert(!page.url().includes('/app/'), `Back returned to ${page.url()}`);
    // And once more: nothing further back is the app either.
    await page.goBack().catch(() => null);
    assert(!page.url().includes('/app/'), `Back returned to ${page.url()}`);
    noProblems(problems);
    await context.close();
  });
}

await check('quick exit from the first page of a profile leaves no history entry of the app', async () => {
  const { context, page, problems } = await newPage(browser);
  await openApp(page);
  await page.click('#exit');
  await page.waitForURL(`${RELAY}/`, { timeout: LIMIT });
  const length = await page.evaluate(() => history.length);
  await page.goBack().catch(() => null);
  assert(!page.url().includes('/app/'), `Back returned to ${page.url()} (history ${length})`);
  noProblems(problems);
  await context.close();
});

// From here on the Worker's vault operations are used (create, unlock,
// lock, putText, list): these cases need the real Worker and module.
const PASSPHRASE = 'app tests: not a real passphrase';
const VALUE = 'a value typed into the app';

await check('auto-lock after the idle minutes (5 by default): Open with a note, nothing of the vault left on the page; then a wrong passphrase is refused in words and the right one opens', async () => {
  const { context, page, problems } = await newPage(browser);
  await page.clock.install();
  await openApp(page);
  await page.fill('#first-pass', PASSPHRASE);
  await page.fill('#first-pass2', PASSPHRASE);
  await page.click('#first-form button[type=submit]');
  await page.waitForSelector('#s-keep:not([hidden])', { timeout: LIMIT });
  await page.click('#keep-continue');
  await page.waitForSelector('#s-home:not([hidden])', { timeout: LIMIT });
  await axe(page, 'the menu');
  await page.click('[data-go=s-info]');
  await page.fill('#text-name', 'note');
  await page.fill('#text-value', VALUE);
  await page.click('#text-form button[type=submit]');
  await page.waitForSelector('#info-list li', { timeout: LIMIT });
  await page.click('#info-list li button');
  await page.waitForFunction((v) => document.getElementById('text-value').value === v, VALUE, { timeout: LIMIT });
  await axe(page, 'my information');
  // Four minutes: still open.
  await page.clock.fastForward('04:00');
  assert(!(await page.isHidden('#s-info')), 'locked before the idle time');
  await page.clock.fastForward('01:01');
  await page.waitForSelector('#s-unlock:not([hidden])', { timeout: LIMIT });
  const note = (await page.textContent('#unlock-note')).trim();
  assert(note.length > 0 && (await page.isVisible('#unlock-note')), 'no note says why it locked');
  const left = await page.evaluate(
    (v) =>
      document.body.textContent.includes(v) ||
      [...document.querySelectorAll('input, textarea')].some((e) => e.value.includes(v)),
    VALUE,
  );
  assert(!left, 'the value is still on the page after locking');
  assert(page.url() === APP, `the address changed to ${page.url()}`);
  await shot(page, 'auto-locked');
  await axe(page, 'locked, with its note');
  await page.fill('#unlock-pass', 'not the passphrase');
  await page.click('#unlock-form button[type=submit]');
  await page.waitForSelector('#unlock-problem:not([hidden])', { timeout: LIMIT });
  const refused = (await page.textContent('#unlock-problem')).trim();
  assert(refused.length > 0, 'the refusal has no words');
  assert((await page.inputValue('#unlock-pass')) === '', 'the wrong passphrase stays in the field');
  await page.fill('#unlock-pass', PASSPHRASE);
  await page.click('#unlock-form button[type=submit]');
  await page.waitForSelector('#s-home:not([hidden])', { timeout: LIMIT });
  await page.click('#lock');
  await page.waitForSelector('#s-unlock:not([hidden])', { timeout: LIMIT });
  noProblems(problems);
  await context.close();
});

await browser.close();
if (failed() > 0) {
  console.log(`${failed()} app test(s) failed`);
  process.exit(1);
}
console.log('all app tests passed');
