// The survivor's app (Folio) end to end, through its screens, in a real
// Chromium at phone size against the real relay and the real `vault`
// binary: what a person does, click by click.
//
// Driven by scripts/test-app.sh, which builds the binaries, starts
// `vault-server` on a free loopback port and passes here (environment):
//   RELAY_URL  the relay's origin, like http://127.0.0.1:40123
//   VAULT_BIN  the `vault` binary (the agency, the advocate, and the CLI
//              side of the backup)
//   WORK       a temporary folder (browser profiles, files)
//   SHOTS      if set, a folder for a screenshot of every screen
//   CHROMIUM   the browser (default /usr/bin/chromium)
//
// The cases follow one person's day and share state, in order:
//   whole_flow ...   create, add two fields and a document, share with a
//                    saved agency contact, the QR read by zbarimg is the
//                    link, the agency's page opens it, history shows the
//                    use, withdraw, the agency is refused
//   keeps ...        reload and a new page keep the vault; wrong passphrase
//   offline ...      the vault opens offline; sharing says the relay
//                    cannot be reached
//   streamed ...     with the service worker in charge, a document
//                    downloads as a stream from a one-time address, equal;
//                    the address is refused once used and after a lock,
//                    and nothing of it is in Cache Storage
//   backup ...       the app's backup opens in a fresh profile (equal) and
//                    in `vault import`; a `vault export` opens in the app
//   advocate ...     the survivor lets an advocate act; the advocate, in
//                    the app, imports a key, lists and withdraws
//   words ...        axe-core on every screen; Spanish on every screen
//   leaves_nothing   no field name, value, purpose or passphrase in any
//                    file of the browser profile

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PHONE, assert, axe, env, includes, launchBrowser, launchProfile, needer, runner } from './lib.mjs';

const need = needer('app-flow.mjs', 'scripts/test-app.sh');
const RELAY = need('RELAY_URL');
const VAULT_BIN = need('VAULT_BIN');
const WORK = need('WORK');
const SHOTS = env.SHOTS || '';
const APP = `${RELAY}/app/`;
// Generous: Argon2id (64 MiB, t = 3) in wasm on a busy 2-core machine.
const LIMIT = 180_000;

// What the survivor keeps. Unusual words, so that a search of the
// profile's files cannot find them by chance.
const PASSPHRASE = 'marigold lantern harbour quietly';
const FIELDS = {
  'identity.chosen_name': 'Yolanda Pirozhkova-Tenbrook',
  'needs.housing_notes': 'Ground floor room near Brookfield Lane, quiet street',
};
const DOC_FIELD = 'documents.lease';
const DOC_NAME = 'lease-scan.pdf';
// Words of the document itself, searched for in the profile's files too.
const DOC_WORDS = 'saffron quarry ledger for the tenancy hearing';
const DOC_BYTES = Buffer.concat([
  Buffer.from('%PDF-1.4\n'),
  Buffer.from(`${DOC_WORDS} `.repeat(Math.ceil((300 * 1024) / (DOC_WORDS.length + 1)))),
  Buffer.from('\n%%EOF\n'),
]);
const PURPOSE = 'Housing application at Brookfield Lane';
const CONTACT = 'Housing desk';
const AGENCY_PASS = 'agency key passphrase for the app flow';
const ADVOCATE_PASS = 'advocate key passphrase for the app flow';
const SECRETS = [PASSPHRASE, PURPOSE, ...Object.keys(FIELDS), ...Object.values(FIELDS), DOC_FIELD, DOC_WORDS];

const { check, failed, consoleLines } = runner();

// ---------------------------------------------------------------------
// The command line: the agency, the advocate, the CLI side of backups

function writePass(name, text) {
  const file = path.join(WORK, name);
  fs.writeFileSync(file, text, { mode: 0o600 });
  return file;
}

function vault(dir, passFile, args, input) {
  return execFileSync(VAULT_BIN, ['--vault', dir, '--passphrase-file', passFile, '--server', RELAY, ...args], {
    encoding: 'utf8',
    input,
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    timeout: LIMIT,
    env: { ...env, LANG: 'C.UTF-8', LC_ALL: '', LC_MESSAGES: '', LANGUAGE: '' },
  });
}

const agencyDir = path.join(WORK, 'agency');
const agencyPass = writePass('agency-pass', AGENCY_PASS);
vault(agencyDir, agencyPass, ['agency', 'init']);
const AGENCY_ID = vault(agencyDir, agencyPass, ['agency', 'id']).trim();
const agencyKey = path.join(WORK, 'agency.key');
vault(agencyDir, agencyPass, ['agency', 'export-key', '--out', agencyKey, '--key-passphrase-file', agencyPass]);

const advocateDir = path.join(WORK, 'advocate');
const advocatePass = writePass('advocate-pass', ADVOCATE_PASS);
vault(advocateDir, advocatePass, ['advocate', 'init']);
const ADVOCATE_ID = vault(advocateDir, advocatePass, ['advocate', 'id']).trim();
const advocateKey = path.join(WORK, 'advocate.key');

// ---------------------------------------------------------------------
// The browser

const browser = await launchBrowser();

// Every catalogue (`/web/pkg/LANG.ftl`) any profile asked the relay for.
const catalogueRequests = [];

async function profile(name, options = {}) {
  const context = await launchProfile(path.join(WORK, name), { acceptDownloads: true, ...options });
  context.on('console', (m) => consoleLines.push(`${name} ${m.type()}: ${m.text()}`));
  context.on('request', (r) => {
    if (new URL(r.url()).pathname.endsWith('.ftl')) {
      catalogueRequests.push(`${name} ${new URL(r.url()).pathname}`);
    }
  });
  const page = context.pages()[0] || (await context.newPage());
  page.on('pageerror', (e) => consoleLines.push(`${name} pageerror: ${e.message}`));
  return { context, page };
}

async function visible(page, selector) {
  await page.waitForSelector(`${selector}:not([hidden])`, { state: 'visible', timeout: LIMIT });
}

async function openApp(page) {
  await page.goto(APP);
  await page.waitForSelector('#s-first:not([hidden]), #s-unlock:not([hidden]), #s-home:not([hidden])', {
    timeout: LIMIT,
  });
}

async function live(page) {
  return page.textContent('#live');
}

// Goes to a screen from the home screen's menu (home first if needed).
async function go(page, screen) {
  if (await page.isHidden('#s-home')) {
    const back = page.locator('.screen:not([hidden]) button.back');
    if ((await back.count()) > 0) {
      await back.first().click();
    }
  }
  await visible(page, '#s-home');
  await page.click(`#s-home nav [data-go="${screen}"]`);
  await visible(page, `#${screen}`);
}

async function create(page, passphrase, shots = false) {
  await visible(page, '#s-first');
  await page.fill('#first-pass', passphrase);
  await page.fill('#first-pass2', passphrase);
  if (shots) {
    await shot(page, 'create');
  }
  await page.click('#first-form button[type="submit"]');
  await visible(page, '#s-keep');
  if (shots) {
    await axe(page, 'keeping the data', LIMIT);
    await shot(page, 'keep');
  }
  await page.click('#keep-continue');
  await visible(page, '#s-home');
}

async function unlock(page, passphrase) {
  await visible(page, '#s-unlock');
  await page.fill('#unlock-pass', passphrase);
  await page.click('#unlock-form button[type="submit"]');
  await page.waitForSelector('#s-home:not([hidden]), #unlock-problem:not([hidden])', { timeout: LIMIT });
}

async function addText(page, name, value) {
  await page.fill('#text-name', name);
  await page.fill('#text-value', value);
  await page.click('#text-form button[type="submit"]');
  await page.waitForFunction((n) => document.getElementById('info-list').innerText.includes(n), name, {
    timeout: LIMIT,
  });
}

// Every text on the info screen, by field name, read through Edit.
async function readAllTexts(page) {
  await go(page, 's-info');
  const out = {};
  for (const name of Object.keys(FIELDS)) {
    const item = page.locator('#info-list li', { hasText: name });
    await item.locator('button', { hasText: /Edit|Cambiar|Editar/ }).click();
    await page.waitForFunction((n) => document.getElementById('text-name').value === n, name, { timeout: LIMIT });
    out[name] = await page.inputValue('#text-value');
  }
  await page.fill('#text-name', '');
  await page.fill('#text-value', '');
  return out;
}

async function downloadDocument(page) {
  await go(page, 's-info');
  const item = page.locator('#info-list li', { hasText: DOC_FIELD });
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: LIMIT }),
    item.locator('button', { hasText: /Download|Descargar/ }).click(),
  ]);
  const file = path.join(WORK, `download-${Date.now()}`);
  await download.saveAs(file);
  const bytes = fs.readFileSync(file);
  fs.rmSync(file);
  return { bytes, name: download.suggestedFilename(), url: download.url() };
}

// Clicks "Download" for the document, but keeps the one-time address the
// page would open instead of opening it.
async function catchDownloadAddress(page) {
  await go(page, 's-info');
  await page.evaluate(() => {
    const open = HTMLAnchorElement.prototype.click;
    window.__caught = new Promise((resolve) => {
      HTMLAnchorElement.prototype.click = function () {
        if (new URL(this.href).pathname.startsWith('/app/download/')) {
          HTMLAnchorElement.prototype.click = open;
          resolve(this.href);
          return;
        }
        open.call(this);
      };
    });
  });
  const item = page.locator('#info-list li', { hasText: DOC_FIELD });
  await item.locator('button', { hasText: /Download|Descargar/ }).click();
  return page.evaluate(() => window.__caught);
}

// Fetches `url` from the page: its status and, when 200, its bytes.
async function fetchFromPage(page, url) {
  const got = await page.evaluate(async (u) => {
    const answer = await fetch(u, { cache: 'no-store' });
    const body = answer.ok ? Array.from(new Uint8Array(await answer.arrayBuffer())) : [];
    return { status: answer.status, body, disposition: answer.headers.get('content-disposition') };
  }, url);
  return { ...got, body: Buffer.from(got.body) };
}

async function confirmYes(page) {
  await visible(page, '#confirm');
  await page.click('#confirm-yes');
}

// Nothing is wider than the phone: long ids and links wrap.
async function fitsTheWidth(page, where) {
  const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert(scroll <= width, `${where}: the page is ${scroll} px wide on a ${width} px screen`);
}

async function shot(page, name) {
  if (SHOTS) {
    // From the top, so the fixed header is where a person sees it.
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(SHOTS, `app-${name}.png`), fullPage: true });
  }
}

// The agency's page (/S), in a browser of its own, with its key file.
async function agencyOpens(link) {
  const context = await browser.newContext({ viewport: PHONE });
  try {
    const page = await context.newPage();
    await page.goto(link);
    await page.waitForSelector('#key-form:not([hidden]), #opened:not([hidden]), #problem:not([hidden])', {
      timeout: LIMIT,
    });
    if (await page.isVisible('#key-form')) {
      await page.setInputFiles('#key-file', agencyKey);
      await page.fill('#key-pass', AGENCY_PASS);
      await page.click('#key-open');
      await page.waitForFunction(
        () =>
          !document.getElementById('opened').hidden ||
          (!document.getElementById('problem').hidden && !document.getElementById('key-open').disabled),
        null,
        { timeout: LIMIT },
      );
    }
    return {
      opened: await page.isVisible('#opened'),
      text: await page.evaluate(() => document.body.innerText),
    };
  } finally {
    await context.close();
  }
}

function zbar(file) {
  return execFileSync('zbarimg', ['--quiet', '--raw', file], { encoding: 'utf8' }).trim();
}

// ---------------------------------------------------------------------
// Cases

let { context, page } = await profile('survivor');
let link = '';

await check('whole_flow_create_add_share_with_a_saved_contact_the_agency_opens_history_withdraw_refused', async () => {
  await openApp(page);
  assert((await page.title()) === 'Folio', `title ${await page.title()}`);
  await shot(page, 'start');
  await create(page, PASSPHRASE, true);
  await shot(page, 'home');

  await go(page, 's-info');
  for (const [name, value] of Object.entries(FIELDS)) {
    await addText(page, name, value);
  }
  await page.fill('#doc-name', DOC_FIELD);
  await page.setInputFiles('#doc-file', { name: DOC_NAME, mimeType: 'application/pdf', buffer: DOC_BYTES });
  await page.click('#doc-form button[type="submit"]');
  await page.waitForFunction((n) => document.getElementById('info-list').innerText.includes(n), DOC_FIELD, {
    timeout: LIMIT,
  });
  await shot(page, 'information');

  // Share: nothing is pre-selected; the agency is pasted once and saved
  // as a contact, then picked from the contacts for the share itself.
  await go(page, 's-share');
  const checked = await page.$$eval('#s-share input:checked', (xs) => xs.length);
  assert(checked === 0, `${checked} choices are pre-selected on the share screen`);
  await page.check('#to-id');
  await page.fill('#share-id', AGENCY_ID);
  await page.fill('#share-save-as', CONTACT);
  await page.fill('#share-purpose', PURPOSE);
  await page.fill('#share-uses', '2');
  await page.check('#share-fields input[value="needs.housing_notes"]');
  await page.click('#share-form button[type="submit"]');
  await visible(page, '#s-preview');
  await page.click('#preview-change');
  await visible(page, '#s-share');
  await go(page, 's-share');
  await page.check('#to-contact');
  await page.selectOption('#share-contact', CONTACT);
  await page.check('#share-fields input[value="needs.housing_notes"]');
  await page.check('#share-fields input[value="identity.chosen_name"]');
  await page.fill('#share-purpose', PURPOSE);
  await page.fill('#share-uses', '2');
  await shot(page, 'share');
  await page.click('#share-form button[type="submit"]');
  await visible(page, '#s-preview');
  const preview = await page.textContent('#s-preview');
  includes(preview, CONTACT, 'the preview names the contact');
  includes(preview, PURPOSE, 'the preview');
  includes(preview, FIELDS['needs.housing_notes'], 'the preview shows what leaves');
  includes(preview, FIELDS['identity.chosen_name'], 'the preview shows what leaves');
  await axe(page, 'preview', LIMIT);
  await fitsTheWidth(page, 'preview');
  await shot(page, 'preview');
  await page.click('#preview-agree');
  await visible(page, '#s-qr');
  link = (await page.textContent('#qr-link')).trim();
  assert(link.startsWith(`${RELAY.toUpperCase()}/S#`) || link.includes('/S#'), `link ${link}`);
  const qrFile = path.join(WORK, 'qr.png');
  await page.locator('#qr-box img').screenshot({ path: qrFile });
  assert(zbar(qrFile) === link, 'the QR code does not read as the link shown');
  await axe(page, 'the code', LIMIT);
  await fitsTheWidth(page, 'the code');
  await shot(page, 'qr');
  await page.click('#qr-done');
  await visible(page, '#s-home');
  assert((await page.textContent('#qr-link')) === '', 'the link stays on the page after Done');
  assert((await page.$$('#qr-box img')).length === 0, 'the code stays on the page after Done');

  const first = await agencyOpens(link);
  assert(first.opened, `the agency's page did not open the share:\n${first.text}`);
  includes(first.text, FIELDS['needs.housing_notes'], "the agency's page");
  includes(first.text, PURPOSE, "the agency's page");

  await go(page, 's-history');
  await page.waitForFunction(() => document.getElementById('history-list').children.length >= 2, null, {
    timeout: LIMIT,
  });
  const history = await page.textContent('#s-history');
  assert(await page.isVisible('#history-verified'), 'the history is not said to be checked');
  assert(await page.isHidden('#history-warning'), 'a rewritten-history warning shows');
  assert(/opened|used/i.test(history), `the history does not show the use:\n${history}`);
  await shot(page, 'history');

  await go(page, 's-shares');
  await page.waitForSelector('#shares-list li', { timeout: LIMIT });
  const shares = await page.textContent('#shares-list');
  includes(shares, PURPOSE, 'my shares');
  includes(shares, CONTACT, 'my shares');
  await shot(page, 'shares');
  await page.locator('#shares-list li', { hasText: PURPOSE }).locator('button').click();
  await confirmYes(page);
  await page.waitForFunction(() => /withdr/i.test(document.getElementById('live').textContent), null, {
    timeout: LIMIT,
  });
  const after = await agencyOpens(link);
  assert(!after.opened, `the agency could still open it after the withdrawal:\n${after.text}`);
  includes(after.text, 'can no longer be used', "the agency's page after the withdrawal");
});

await check('keeps_the_vault_across_a_reload_and_a_new_page_and_refuses_a_wrong_passphrase', async () => {
  await page.reload();
  await openApp(page);
  await unlock(page, 'not the passphrase at all');
  assert(await page.isVisible('#unlock-problem'), 'a wrong passphrase was not refused');
  assert((await page.inputValue('#unlock-pass')) === '', 'the wrong passphrase stays in the field');
  await axe(page, 'a wrong passphrase', LIMIT);
  await shot(page, 'unlock-wrong');
  await unlock(page, PASSPHRASE);
  await visible(page, '#s-home');
  // A new page once this one is locked (one page at a time has the vault
  // open: the other is told so, which app-worker.mjs checks).
  await page.click('#lock');
  await visible(page, '#s-unlock');
  const again = await context.newPage();
  await openApp(again);
  await unlock(again, PASSPHRASE);
  await visible(again, '#s-home');
  const texts = await readAllTexts(again);
  for (const [name, value] of Object.entries(FIELDS)) {
    assert(texts[name] === value, `${name} reads ${JSON.stringify(texts[name])} after a new page`);
  }
  const doc = await downloadDocument(again);
  assert(doc.bytes.equals(DOC_BYTES), 'the document read back differs');
  assert(doc.name === DOC_NAME, `the document downloads as ${doc.name}`);
  await again.close();
  await unlock(page, PASSPHRASE);
  await visible(page, '#s-home');
});

await check('offline_the_vault_opens_and_sharing_says_the_relay_cannot_be_reached', async () => {
  // The service worker has the app's files once the page has loaded.
  await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller, null, {
    timeout: LIMIT,
  });
  await context.setOffline(true);
  try {
    await page.reload();
    await openApp(page);
    await unlock(page, PASSPHRASE);
    await visible(page, '#s-home');
    await go(page, 's-share');
    await page.check('#to-contact');
    await page.selectOption('#share-contact', CONTACT);
    await page.check('#share-fields input[value="needs.housing_notes"]');
    await page.fill('#share-purpose', PURPOSE);
    await page.click('#share-form button[type="submit"]');
    await visible(page, '#s-preview');
    await page.click('#preview-agree');
    await visible(page, '#preview-problem');
    const said = await page.textContent('#preview-problem');
    assert(/reach/i.test(said), `offline sharing said: ${said}`);
    await axe(page, 'sharing offline', LIMIT);
    await shot(page, 'offline-share');
    await page.click('#preview-change');
  } finally {
    await context.setOffline(false);
  }
});

await check('streamed_download_is_equal_and_its_one_time_address_is_refused_once_used_and_after_lock', async () => {
  await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller, null, {
    timeout: LIMIT,
  });
  if (await page.isVisible('#s-unlock')) {
    await unlock(page, PASSPHRASE);
  }
  // What a person does: the browser saves the stream as a file.
  const doc = await downloadDocument(page);
  assert(/\/app\/download\/[0-9a-f]{32}$/.test(doc.url), `the document came from ${doc.url}, not a one-time address`);
  assert(doc.bytes.equals(DOC_BYTES), 'the streamed document differs from the original');
  assert(doc.name === DOC_NAME, `the streamed document downloads as ${doc.name}`);
  // The address it came from is spent.
  const again = await fetchFromPage(page, doc.url);
  assert(again.status === 404, `a used download address answered ${again.status}`);

  // An address opened once answers with the document and its name, then
  // never again.
  const url = await catchDownloadAddress(page);
  assert(!url.includes('lease') && !url.includes('documents'), `the address shows the document: ${url}`);
  const first = await fetchFromPage(page, url);
  assert(first.status === 200 && first.body.equals(DOC_BYTES), `the address gave ${first.status}, not the document`);
  assert(
    /^attachment; filename="lease-scan\.pdf"; filename\*=UTF-8''lease-scan\.pdf$/.test(first.disposition || ''),
    `Content-Disposition: ${first.disposition}`,
  );
  const second = await fetchFromPage(page, url);
  assert(second.status === 404, `an address used twice answered ${second.status}`);

  // An address not yet used is refused once the vault is locked.
  const waiting = await catchDownloadAddress(page);
  await page.locator('#s-info button.back').first().click();
  await visible(page, '#s-home');
  await page.click('#lock');
  await visible(page, '#s-unlock');
  const locked = await fetchFromPage(page, waiting);
  assert(locked.status === 404, `a download address answered ${locked.status} after lock`);

  // Nothing of a download is kept in Cache Storage.
  const kept = await page.evaluate(async () => {
    const out = [];
    for (const key of await caches.keys()) {
      for (const r of await (await caches.open(key)).keys()) {
        out.push(new URL(r.url).pathname);
      }
    }
    return out;
  });
  assert(!kept.some((p) => p.startsWith('/app/download/')), `Cache Storage keeps ${kept.join(', ')}`);
  await unlock(page, PASSPHRASE);
  await visible(page, '#s-home');
});

await check('backup_from_the_app_opens_in_a_fresh_profile_and_in_vault_import_and_a_cli_export_opens_in_the_app', async () => {
  await go(page, 's-settings');
  await shot(page, 'settings');
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: LIMIT }),
    page.click('#backup-export'),
  ]);
  assert(/^folio-\d{4}-\d\d-\d\d\.backup$/.test(download.suggestedFilename()), download.suggestedFilename());
  const backup = path.join(WORK, 'app.backup');
  await download.saveAs(backup);

  // A fresh profile restores it: every field and the document equal.
  const fresh = await profile('fresh');
  try {
    await openApp(fresh.page);
    await fresh.page.click('#s-first [data-go="s-restore"]');
    await visible(fresh.page, '#s-restore');
    await fresh.page.setInputFiles('#restore-file', backup);
    await fresh.page.fill('#restore-pass', PASSPHRASE);
    await axe(fresh.page, 'restore', LIMIT);
    await shot(fresh.page, 'restore');
    await fresh.page.click('#restore-form button[type="submit"]');
    await fresh.page.waitForSelector('#s-home:not([hidden]), #s-unlock:not([hidden])', { timeout: LIMIT });
    if (await fresh.page.isVisible('#s-unlock')) {
      await unlock(fresh.page, PASSPHRASE);
    }
    await visible(fresh.page, '#s-home');
    const texts = await readAllTexts(fresh.page);
    for (const [name, value] of Object.entries(FIELDS)) {
      assert(texts[name] === value, `${name} reads ${JSON.stringify(texts[name])} after the restore`);
    }
    const doc = await downloadDocument(fresh.page);
    assert(doc.bytes.equals(DOC_BYTES), 'the restored document differs');
  } finally {
    await fresh.context.close();
  }

  // The same file in the command line.
  const cliDir = path.join(WORK, 'cli-vault');
  const cliPass = writePass('cli-pass', PASSPHRASE);
  vault(cliDir, cliPass, ['import', backup]);
  for (const [name, value] of Object.entries(FIELDS)) {
    const got = vault(cliDir, cliPass, ['get', name]).replace(/\n$/, '');
    assert(got === value, `vault get ${name} after vault import: ${JSON.stringify(got)}`);
  }
  const cliDoc = path.join(WORK, 'cli-doc');
  vault(cliDir, cliPass, ['get', DOC_FIELD, '--out', cliDoc]);
  assert(fs.readFileSync(cliDoc).equals(DOC_BYTES), 'vault get of the document after vault import differs');

  // And back: the command line changes something and exports; the app
  // restores that, replacing what it had (confirmed).
  vault(cliDir, cliPass, ['put', 'needs.note', 'Quokka from the command line']);
  const cliBackup = path.join(WORK, 'cli.backup');
  vault(cliDir, cliPass, ['export', '--out', cliBackup]);
  const other = await profile('from-cli');
  try {
    await openApp(other.page);
    await other.page.click('#s-first [data-go="s-restore"]');
    await other.page.setInputFiles('#restore-file', cliBackup);
    await other.page.fill('#restore-pass', PASSPHRASE);
    await other.page.click('#restore-form button[type="submit"]');
    await other.page.waitForSelector('#s-home:not([hidden]), #s-unlock:not([hidden])', { timeout: LIMIT });
    if (await other.page.isVisible('#s-unlock')) {
      await unlock(other.page, PASSPHRASE);
    }
    await go(other.page, 's-info');
    await other.page
      .waitForFunction(() => document.getElementById('info-list').innerText.includes('needs.note'), null, {
        timeout: LIMIT,
      })
      .catch(() => {});
    const list = await other.page.textContent('#info-list');
    includes(list, 'needs.note', 'the app after importing a vault export');
  } finally {
    await other.context.close();
  }
});

await check('an_advocate_in_the_app_imports_a_key_lists_and_withdraws', async () => {
  vault(advocateDir, advocatePass, ['advocate', 'export-key', '--out', advocateKey, '--key-passphrase-file', advocatePass]);
  // The survivor shares once more, then lets the advocate act.
  await go(page, 's-share');
  await page.check('#to-anyone');
  await page.check('#share-fields input[value="needs.housing_notes"]');
  await page.fill('#share-purpose', PURPOSE);
  await page.click('#share-form button[type="submit"]');
  await visible(page, '#s-preview');
  await page.click('#preview-agree');
  await visible(page, '#s-qr');
  const anyoneLink = (await page.textContent('#qr-link')).trim();
  await page.click('#qr-done');

  await go(page, 's-helpers');
  await page.fill('#helper-who', ADVOCATE_ID);
  await page.fill('#helper-days', '7');
  await page.click('#helper-form button[type="submit"]');
  await visible(page, '#helper-preview');
  const said = await page.textContent('#helper-preview-text');
  assert(/cannot|never|not/i.test(said), `the helper preview does not say what the advocate cannot do:\n${said}`);
  await axe(page, 'the helper preview', LIMIT);
  await shot(page, 'helpers');
  await page.click('#helper-agree');
  await page.waitForSelector('#helpers-list li', { timeout: LIMIT });

  const adv = await profile('advocate');
  try {
    await openApp(adv.page);
    await create(adv.page, 'advocate own app passphrase here');
    await go(adv.page, 's-advocate');
    await adv.page.setInputFiles('#advocate-file', advocateKey);
    await adv.page.fill('#advocate-pass', ADVOCATE_PASS);
    await adv.page.click('#advocate-form button[type="submit"]');
    await adv.page.waitForSelector('#clients-list li', { timeout: LIMIT });
    await adv.page.locator('#clients-list li button').first().click();
    await visible(adv.page, '#client-box');
    await adv.page.waitForSelector('#client-shares li', { timeout: LIMIT });
    await fitsTheWidth(adv.page, "an advocate's list of shares");
    await axe(adv.page, "an advocate's list of shares", LIMIT);
    await shot(adv.page, 'advocate');
    await adv.page.click('#client-withdraw-all');
    await confirmYes(adv.page);
    await adv.page.waitForFunction(() => /withdr|stopp/i.test(document.getElementById('live').textContent), null, {
      timeout: LIMIT,
    });
  } finally {
    await adv.context.close();
  }
  const refused = await agencyOpens(anyoneLink);
  assert(!refused.opened, `the code still opens after the advocate withdrew everything:\n${refused.text}`);
});

await check('helpers_end_stops_the_advocate_at_the_relay', async () => {
  // The permission given above is running: the advocate sees it.
  const clients = () => JSON.parse(vault(advocateDir, advocatePass, ['--json', 'advocate', 'clients'])).clients;
  const before = clients().filter((c) => c.active);
  assert(before.length === 1, `the advocate should have one running permission: ${JSON.stringify(before)}`);
  const survivor = before[0].survivor;

  // Helpers -> End, a question first: "no" changes nothing.
  await go(page, 's-helpers');
  await page.waitForSelector('#helpers-list li', { timeout: LIMIT });
  const end = page.locator('#helpers-list li button');
  assert((await end.count()) === 1, 'one helper, one End button');
  await end.click();
  await visible(page, '#confirm');
  await page.click('#confirm-no');
  assert((await page.locator('#helpers-list li').count()) === 1, 'answering no still ended the permission');
  assert(clients().some((c) => c.active), 'answering no still ended the permission at the relay');

  await end.click();
  await confirmYes(page);
  await page.waitForFunction(() => !document.getElementById('helpers-empty').hidden, null, { timeout: LIMIT });
  assert((await page.locator('#helpers-list li').count()) === 0, 'the ended helper is still listed');
  const said = (await page.textContent('#live')).trim();
  assert(said.length > 0 && !/\{|undefined|error/i.test(said), `the app said: ${said}`);

  // The relay holds it as ended: the advocate can no longer list or withdraw.
  assert(!clients().some((c) => c.active), 'the relay still lets the advocate act');
  let refused = false;
  try {
    vault(advocateDir, advocatePass, ['advocate', 'shares', survivor]);
  } catch (e) {
    refused = e.status !== 0;
  }
  assert(refused, 'vault advocate shares still lists after the survivor ended the permission');
});

await check('a_person_who_reads_english_never_downloads_another_language', async () => {
  // Every profile so far read English (the module embeds it).
  assert(catalogueRequests.length === 0, `English pages fetched: ${catalogueRequests.join(', ')}`);
});

await check('axe_finds_nothing_serious_and_spanish_shows_on_every_screen', async () => {
  const screens = ['s-home', 's-info', 's-share', 's-shares', 's-history', 's-helpers', 's-advocate', 's-settings'];
  for (const lang of ['en', 'es']) {
    if (lang === 'es') {
      await go(page, 's-settings');
      await page.selectOption('#set-lang', 'es');
      await page.waitForFunction(() => document.documentElement.lang === 'es', null, { timeout: LIMIT });
    }
    for (const s of screens) {
      if (s === 's-home') {
        await go(page, 's-info');
        await page.click('#s-info button.back');
        await visible(page, '#s-home');
      } else {
        await go(page, s);
      }
      // Let the screen's own request answer before reading it.
      await page.waitForTimeout(300);
      await axe(page, `${lang} ${s}`, LIMIT);
      await fitsTheWidth(page, `${lang} ${s}`);
      const text = await page.textContent(`#${s}`);
      assert(!/\bapp-[a-z-]+\b/.test(text), `${lang} ${s}: a message id shows instead of words:\n${text}`);
      assert(!/[{}]/.test(text), `${lang} ${s}: a message with a missing argument:\n${text}`);
      if (lang === 'es') {
        await shot(page, `es-${s.slice(2)}`);
      }
    }
  }
  await go(page, 's-settings');
  await page.selectOption('#set-lang', 'en');
});

await check('spanish_is_kept_for_offline_use_and_english_is_spoken_when_it_cannot_be_had', async () => {
  assert(
    catalogueRequests.some((r) => r.endsWith(' /web/pkg/es.ftl')),
    `Spanish showed without its catalogue: ${catalogueRequests.join(', ')}`,
  );
  // The catalogue cannot be had (a relay that lost it, a cut answer):
  // the app stays in English, calmly, and the choice shows English.
  // (No service worker here: a route does not see what one fetches.)
  const fresh = await profile('spanish-cut', { serviceWorkers: 'block' });
  try {
    await fresh.page.route('**/web/pkg/es.ftl', (route) =>
      route.fulfill({ status: 200, contentType: 'text/plain', body: 'app-first-title = cut sh' }),
    );
    await fresh.page.goto(APP);
    await visible(fresh.page, '#s-first');
    await fresh.page.selectOption('#first-lang', 'es');
    await fresh.page.waitForFunction(() => document.getElementById('live').textContent.trim() !== '', null, {
      timeout: LIMIT,
    });
    const lang = await fresh.page.evaluate(() => document.documentElement.lang);
    assert(lang === 'en', `a damaged catalogue was used: lang ${lang}`);
    assert((await fresh.page.inputValue('#first-lang')) === 'en', 'the choice shows Spanish, the words are English');
    const heading = await fresh.page.textContent('#s-first h1');
    assert(heading.trim().length > 0 && !/cut sh|[{}]/.test(heading), `first screen says: ${heading}`);
  } finally {
    await fresh.context.close();
  }

  // Spanish chosen online: the service worker keeps its catalogue, so the
  // app opens in Spanish offline, and the Worker speaks it too.
  await go(page, 's-settings');
  await page.selectOption('#set-lang', 'es');
  await page.waitForFunction(() => document.documentElement.lang === 'es', null, { timeout: LIMIT });
  await page.waitForFunction(
    async () => {
      for (const key of await caches.keys()) {
        if (await (await caches.open(key)).match('/web/pkg/es.ftl')) {
          return true;
        }
      }
      return false;
    },
    null,
    { timeout: LIMIT, polling: 200 },
  );
  await context.setOffline(true);
  try {
    await page.reload();
    await openApp(page);
    await page.waitForFunction(() => document.documentElement.lang === 'es', null, { timeout: LIMIT });
    await visible(page, '#s-unlock');
    await unlock(page, 'not the passphrase at all');
    await visible(page, '#unlock-problem');
    const said = await page.textContent('#unlock-problem');
    assert(/frase de contraseña/.test(said), `the Worker answered offline in another language: ${said}`);
    await unlock(page, PASSPHRASE);
    await visible(page, '#s-home');
  } finally {
    await context.setOffline(false);
  }
  await go(page, 's-settings');
  await page.selectOption('#set-lang', 'en');
  await page.waitForFunction(() => document.documentElement.lang === 'en', null, { timeout: LIMIT });
});

await check('a_browser_that_prefers_spanish_opens_in_spanish_on_its_first_visit', async () => {
  const es = await profile('spanish-first', { locale: 'es-MX' });
  try {
    await es.page.goto(APP);
    await visible(es.page, '#s-first');
    await es.page.waitForFunction(() => document.documentElement.lang === 'es', null, { timeout: LIMIT });
    const title = (await es.page.textContent('#s-first-h')).trim();
    assert(title === 'Preparar Folio', `the first screen says: ${title}`);
    // The Worker's words too: the strength hint comes from its module.
    await es.page.fill('#first-pass', 'ab');
    await es.page.waitForFunction(() => document.getElementById('first-hint').textContent.trim() !== '', null, {
      timeout: LIMIT,
    });
    const hint = await es.page.textContent('#first-hint');
    assert(/caracteres|adivinar/.test(hint), `the Worker's hint is not in Spanish: ${hint}`);
  } finally {
    await es.context.close();
  }
  assert(
    catalogueRequests.some((r) => r === 'spanish-first /web/pkg/es.ftl'),
    `the first visit did not fetch the Spanish words: ${catalogueRequests.join(', ')}`,
  );
});

await check('quick_exit_leaves_no_way_back_into_the_app', async () => {
  await page.keyboard.press('Escape');
  await page.waitForURL((u) => !u.pathname.startsWith('/app'), { timeout: LIMIT });
  await page.goBack().catch(() => {});
  assert(!new URL(page.url()).pathname.startsWith('/app'), `Back returned to ${page.url()}`);
});

await context.close();

await check('leaves_no_field_name_value_purpose_or_passphrase_in_the_profiles_files', async () => {
  const found = [];
  const profiles = ['survivor', 'fresh', 'from-cli', 'advocate'].filter((n) => fs.existsSync(path.join(WORK, n)));
  assert(profiles.includes('survivor'), 'no survivor profile to search');
  for (const name of profiles) {
    const stack = [path.join(WORK, name)];
    while (stack.length) {
      const dir = stack.pop();
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) {
          stack.push(p);
        } else if (e.isFile()) {
          const bytes = fs.readFileSync(p);
          for (const s of SECRETS) {
            for (const enc of ['utf8', 'utf16le']) {
              if (bytes.includes(Buffer.from(s, enc))) {
                found.push(`${JSON.stringify(s)} (${enc}) in ${path.relative(WORK, p)}`);
              }
            }
          }
        }
      }
    }
  }
  assert(found.length === 0, found.join('\n'));
});

await browser.close();
if (failed() > 0) {
  console.log(`app-flow: ${failed()} failed`);
  process.exit(1);
}
console.log('app-flow: all passed');
