// The agency's page (/S) in a real browser against the real relay.
//
// Driven by scripts/test-browser.sh, which builds the binaries, starts
// `vault-server` on a free loopback port with a temporary data folder and
// passes here (environment):
//   RELAY_URL   the relay's origin, like http://127.0.0.1:40123
//   RELAY_PID   its process id (the last case stops it)
//   RELAY_LOG   the file its standard error goes to
//   RELAY_DATA  its data folder (the tamper case changes a share file)
//   VAULT_BIN   the `vault` binary; MINT_BIN the mint_share example;
//   SERVER_BIN  the `vault-server` binary (to start the relay again, on the
//               same port and folder, after the case that stops it)
//   WORK        a temporary folder for the people's keys and files
//   SHOTS       where to save screenshots (docs/screenshots), optional
//   CHROMIUM    the browser (default /usr/bin/chromium)
//
// Shares are made with the real `vault` binary (and, for shares the CLI
// will not make, the mint_share example, which uses vault-core and signs
// its upload as the CLI does). Every case asserts what a person sees, by
// text. Across all cases: no request the page makes carries any part of a
// secret or a field value, no Referer is sent, every response of the
// relay carries the CSP, the page reports no CSP violation, no console
// error and no script error, and axe-core finds nothing serious or critical
// in any state. axe-core is evaluated through the DevTools protocol
// (Runtime.evaluate), which the page's CSP does not govern, in the same
// page and the same state: no context with bypassCSP is used.
//
// Timings are printed (from the page's performance marks), never asserted.

import { execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { CSP, PHONE, assert, axe as axeRun, env, includes, launchBrowser, needer, runner, watchCsp } from './lib.mjs';

const need = needer('browser.mjs', 'scripts/test-browser.sh');
const RELAY = need('RELAY_URL');
const RELAY_PID = Number(need('RELAY_PID'));
const RELAY_LOG = need('RELAY_LOG');
const RELAY_DATA = need('RELAY_DATA');
const VAULT_BIN = need('VAULT_BIN');
const MINT_BIN = need('MINT_BIN');
const SERVER_BIN = need('SERVER_BIN');
const WORK = need('WORK');
const SHOTS = env.SHOTS || '';

const NARROW = { width: 320, height: 640 };
// Generous: the machine is shared and Argon2id in wasm is slow.
const STATE_TIME_LIMIT = 120_000;

// The words the page may never show before the fields are opened.
const REVEALING = /survivor|trafficking|victim/i;

// ---------------------------------------------------------------------
// A tiny runner

const { check, failed } = runner();
const timings = [];

// ---------------------------------------------------------------------
// People and shares, with the real `vault` binary

const PASSPHRASE = 'browser tests: not a real passphrase';
const KEY_PASSPHRASE = 'key file: also not a real passphrase';
const passFile = path.join(WORK, 'passphrase');
fs.writeFileSync(passFile, PASSPHRASE, { mode: 0o600 });
const keyPassFile = path.join(WORK, 'key-passphrase');
fs.writeFileSync(keyPassFile, KEY_PASSPHRASE, { mode: 0o600 });

// The commands name their folders and relay themselves.
const runEnv = { ...env };
delete runEnv.VAULT_DIR;
delete runEnv.VAULT_SERVER;

function run(bin, args, what) {
  try {
    return execFileSync(bin, args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 180_000,
      env: runEnv,
    });
  } catch (e) {
    throw new Error(`${what} failed: ${e.message}\n${e.stdout || ''}\n${e.stderr || ''}`);
  }
}

function person(name, role) {
  const dir = path.join(WORK, name);
  const p = {
    dir,
    vault(args) {
      return run(
        VAULT_BIN,
        ['--vault', dir, '--passphrase-file', passFile, '--server', RELAY, ...args],
        `vault ${args.join(' ')}`
      );
    },
  };
  const prefix = role === 'survivor' ? [] : [role];
  p.vault([...prefix, 'init']);
  p.id = p.vault([...prefix, 'id']).trim();
  return p;
}

// The values the survivor puts in; none may ever appear in a request or
// in the relay's log, nor on the page after a refusal.
const VALUES = {
  'identity.name': 'Ama Kwarteng-Mensah',
  'housing.status': 'Waiting list, band B\nsince 3 March',
  'contact.phone': '+44 7700 900123',
};
const DOCUMENT = crypto.randomBytes(150_000);

function grant(survivor, args) {
  const out = survivor.vault(['--json', 'grant', '--yes', ...args]);
  const v = JSON.parse(out);
  assert(typeof v.link === 'string' && v.link.includes('#'), `no link in ${out}`);
  return { link: v.link, tokenId: v.token_id };
}

function mint(survivor, args) {
  const out = run(
    MINT_BIN,
    ['--vault', survivor.dir, '--passphrase-file', passFile, '--server', RELAY, ...args],
    `mint_share ${args.join(' ')}`
  );
  const v = JSON.parse(out);
  return { link: v.link, tokenId: v.token_id, expires: v.expires };
}

function secretOf(link) {
  return link.slice(link.indexOf('#') + 1);
}

// Every 10-character piece of every secret, in both cases: a request or a
// log line holding any of them carries part of a secret.
const secretPieces = new Set();
function rememberSecret(link) {
  const s = secretOf(link);
  for (let i = 0; i + 10 <= s.length; i += 1) {
    secretPieces.add(s.slice(i, i + 10).toLowerCase());
  }
}

function leaks(text) {
  const lower = String(text).toLowerCase();
  const found = [];
  for (const piece of secretPieces) {
    if (lower.includes(piece)) {
      found.push(`a piece of a secret (${piece})`);
      break;
    }
  }
  for (const value of Object.values(VALUES)) {
    for (const part of value.split('\n')) {
      if (part.length >= 6 && String(text).includes(part)) {
        found.push(`a field value (${JSON.stringify(part)})`);
      }
    }
  }
  return found;
}

// ---------------------------------------------------------------------
// The browser, instrumented

const seen = { requests: [], responses: [] };
let relayStopped = false;

async function newPage(browser, viewport = PHONE) {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  const page = await context.newPage();
  const problems = [];
  await watchCsp(context, problems);
  page.on('console', (m) => {
    // The browser itself logs every answer with an error status: the
    // relay's refusals of /v1/redeem (they are the API), and its 404 for
    // the /favicon.ico the browser asks for on its own. Those are not the
    // page's errors; anything else is.
    const from = (m.location() && m.location().url) || '';
    if (
      /^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text()) &&
      (from.endsWith('/v1/redeem') || from.endsWith('/favicon.ico'))
    ) {
      return;
    }
    // And, in the one case that stops the relay, that it is gone.
    if (relayStopped && from.endsWith('/v1/redeem') && /net::ERR_CONNECTION_REFUSED/.test(m.text())) {
      return;
    }
    if (m.type() === 'error' || m.type() === 'warning') {
      problems.push(`console ${m.type()}: ${m.text()} (${from})`);
    }
  });
  page.on('pageerror', (e) => problems.push(`script error: ${e.message}`));
  page.on('request', (r) => {
    let pageAddress = '';
    try {
      pageAddress = r.frame().url();
    } catch (e) {
      pageAddress = '';
    }
    seen.requests.push({
      url: r.url(),
      pageAddress,
      method: r.method(),
      body: r.postData() || '',
      referer: r.headers()['referer'] || '',
    });
  });
  page.on('response', async (r) => {
    const url = r.url();
    if (!url.startsWith('http')) {
      return;
    }
    let headers = {};
    try {
      headers = await r.allHeaders();
    } catch (e) {
      headers = r.headers();
    }
    seen.responses.push({ url, status: r.status(), csp: headers['content-security-policy'] || '' });
  });
  return { context, page, problems };
}

// The state the page shows once it has settled (not "Checking…").
async function settled(page) {
  await page.waitForSelector(
    '#opened:not([hidden]), #problem:not([hidden]), #nothing:not([hidden]), #nowasm:not([hidden])',
    { timeout: STATE_TIME_LIMIT }
  );
  return state(page);
}

async function state(page) {
  return page.evaluate(() => {
    const shown = ['busy', 'nothing', 'nowasm', 'problem', 'opened'].filter(
      (id) => !document.getElementById(id).hidden
    );
    const name = shown[0] || '';
    const heading = name ? document.getElementById(`${name}-title`) : null;
    return {
      name,
      shown,
      heading: heading ? heading.textContent : '',
      focused: document.activeElement ? document.activeElement.id : '',
      text: document.body.innerText,
      title: document.title,
      headings: Array.from(document.querySelectorAll('h1, h2, h3'))
        .filter((h) => h.offsetParent !== null)
        .map((h) => h.textContent),
      href: location.href,
      live: document.getElementById('live').textContent,
    };
  });
}

// axe-core on what is shown now (lib.mjs), within the state's limit.
function axe(page, label) {
  return axeRun(page, label, STATE_TIME_LIMIT);
}

// The page's performance marks, in ms from the start of the navigation.
async function marks(page) {
  return page.evaluate(() => {
    const at = (n) => {
      const e = performance.getEntriesByName(n)[0];
      return e ? Math.round(e.startTime) : null;
    };
    return { start: at('share:start'), wasm: at('share:wasm'), answered: at('share:answered'), shown: at('share:shown') };
  });
}

async function shot(page, name) {
  if (!SHOTS) {
    return;
  }
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `agency-${name}.png`), fullPage: true });
}

// What every state must keep: no fragment in the address, focus on the
// state's heading, nothing revealing before the fields are open, nothing
// stored in the browser, no problem reported.
async function common(page, s, problems, label) {
  assert(!s.href.includes('#'), `${label}: the address still has a fragment: ${s.href}`);
  assert(s.title === 'Shared information', `${label}: title ${JSON.stringify(s.title)}`);
  for (const h of s.headings) {
    assert(!REVEALING.test(h), `${label}: heading ${JSON.stringify(h)}`);
  }
  if (s.name !== 'opened') {
    assert(!REVEALING.test(s.text), `${label}: the page says:\n${s.text}`);
    const leaked = leaks(s.text);
    assert(leaked.length === 0, `${label}: shows ${leaked.join(', ')}`);
  }
  assert(
    s.focused === `${s.name}-title`,
    `${label}: focus is on ${JSON.stringify(s.focused)}, not the heading of ${s.name}`
  );
  assert(s.live.length > 0, `${label}: nothing announced`);
  const stored = await page.evaluate(async () => ({
    local: localStorage.length,
    session: sessionStorage.length,
    cookie: document.cookie,
    idb: indexedDB.databases ? (await indexedDB.databases()).length : 0,
  }));
  assert(
    stored.local === 0 && stored.session === 0 && stored.cookie === '' && stored.idb === 0,
    `${label}: something is stored in the browser: ${JSON.stringify(stored)}`
  );
  await noHorizontalScroll(page, label);
  const small = await page.evaluate(() =>
    Array.from(document.querySelectorAll('button, a, input'))
      .filter((e) => e.offsetParent !== null)
      .map((e) => ({ id: e.id || e.textContent, box: e.getBoundingClientRect() }))
      .filter((e) => e.box.height < 44 || e.box.width < 44)
      .map((e) => `${e.id} (${Math.round(e.box.width)}x${Math.round(e.box.height)})`)
  );
  assert(small.length === 0, `${label}: tap targets under 44 px: ${small.join(', ')}`);
  await axe(page, label);
  assert(problems.length === 0, `${label}: ${problems.join('\n')}`);
}

async function noHorizontalScroll(page, label) {
  const m = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
  assert(m.scroll <= m.client, `${label}: the page scrolls sideways (${m.scroll} > ${m.client} px)`);
}

// Opens a link in a fresh context and waits for its settled state.
async function open(browser, link, label, viewport) {
  const { context, page, problems } = await newPage(browser, viewport);
  await page.goto(link);
  const s = await settled(page);
  return { context, page, problems, s };
}

async function expectProblem(browser, link, label, title, words, shotName) {
  const { context, page, problems, s } = await open(browser, link, label);
  try {
    assert(s.name === 'problem', `${label}: shows ${s.name}:\n${s.text}`);
    includes(s.heading, title, label);
    for (const w of words) {
      includes(s.text, w, label);
    }
    await common(page, s, problems, label);
    if (shotName) {
      await shot(page, shotName);
    }
    return s;
  } finally {
    await context.close();
  }
}

// After "Open with this key" (which disables the button at once): the
// page has answered, with an error next to the form.
async function keyAnswered(page) {
  await page.waitForFunction(
    () => !document.getElementById('key-open').disabled && !document.getElementById('key-error').hidden,
    null,
    { timeout: STATE_TIME_LIMIT }
  );
}

// The relay again, on the same folder and port (links name its origin).
let restarted = null;
process.on('exit', () => {
  if (restarted && restarted.exitCode === null) {
    restarted.kill('SIGKILL');
  }
});
const RELAY_LOG_AGAIN = path.join(WORK, 'relay-again.log');
async function startRelayAgain() {
  const listen = new URL(RELAY).host;
  const log = fs.openSync(RELAY_LOG_AGAIN, 'a');
  const deadline = Date.now() + 30_000;
  for (;;) {
    const child = spawn(SERVER_BIN, ['--data', RELAY_DATA, '--listen', listen], {
      stdio: ['ignore', 'ignore', log],
      env: { ...runEnv, RUST_LOG: 'vault_server=info' },
    });
    const exited = new Promise((r) => child.once('exit', () => r(true)));
    for (;;) {
      const text = fs.readFileSync(RELAY_LOG_AGAIN, 'utf8');
      if (text.split('\n').some((l) => l.startsWith('vault-server listening on '))) {
        restarted = child;
        return;
      }
      const gone = await Promise.race([exited, new Promise((r) => setTimeout(() => r(false), 100))]);
      if (gone) {
        break;
      }
    }
    // The port was just released; try again for a while.
    assert(Date.now() < deadline, `the relay did not start again:\n${fs.readFileSync(RELAY_LOG_AGAIN, 'utf8')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function waitForExit(pid) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      process.kill(pid, 0);
    } catch (e) {
      return;
    }
    assert(Date.now() < deadline, 'the relay did not stop within 30 s');
    await new Promise((r) => setTimeout(r, 100));
  }
}

// ---------------------------------------------------------------------
// Setup

console.log(`relay ${RELAY}; making vaults and shares with ${VAULT_BIN}`);
const survivor = person('survivor', 'survivor');
const agency = person('agency', 'agency');
const other = person('other-agency', 'agency');
const advocate = person('advocate', 'advocate');
survivor.vault(['put', 'identity.name', VALUES['identity.name']]);
survivor.vault(['put', 'housing.status', VALUES['housing.status']]);
survivor.vault(['put', 'contact.phone', VALUES['contact.phone']]);
const docFile = path.join(WORK, 'id-scan.pdf');
fs.writeFileSync(docFile, DOCUMENT);
survivor.vault(['put', 'documents.id', '--file', docFile]);

const FIELDS = 'identity.name,housing.status,documents.id';
const happy = grant(survivor, ['--fields', FIELDS, '--anyone', '--purpose', 'Housing application', '--uses', '2']);
const revoked = grant(survivor, ['--fields', 'identity.name', '--anyone', '--purpose', 'Revoked']);
survivor.vault(['revoke', revoked.tokenId]);
const tampered = grant(survivor, ['--fields', FIELDS, '--anyone', '--purpose', 'Tampered']);
const bound = grant(survivor, ['--fields', 'identity.name,contact.phone', '--to', agency.id, '--purpose', 'Case 1234']);
const boundClock = grant(survivor, ['--fields', 'contact.phone', '--to', agency.id, '--purpose', 'Case 1236']);
const boundKeyboard = grant(survivor, ['--fields', 'contact.phone', '--to', agency.id, '--purpose', 'Case 1235']);
const down = grant(survivor, ['--fields', 'identity.name', '--anyone', '--purpose', 'Relay down']);
// Opened LOADS times, for the figure in docs/performance.md.
const LOADS = 7;
const timed = grant(survivor, ['--fields', FIELDS, '--anyone', '--purpose', 'Timing', '--uses', String(LOADS)]);
const expiring = mint(survivor, ['--fields', 'identity.name', '--lasts', '2']);
for (const s of [happy, revoked, tampered, bound, boundKeyboard, down, timed, expiring]) {
  rememberSecret(s.link);
}

// Tampered ciphertext: one byte of the stored share changed on the relay's
// disk (same length, so the relay serves it).
{
  const file = path.join(RELAY_DATA, 'shares', tampered.tokenId);
  const bytes = fs.readFileSync(file);
  bytes[Math.floor(bytes.length / 2)] ^= 0x01;
  fs.writeFileSync(file, bytes);
}

// Tampered token: one character of the secret changed (a link nobody
// made; its token id is unknown to the relay).
const wrongSecretLink = (() => {
  const i = happy.link.indexOf('#') + 5;
  const c = happy.link[i] === 'A' ? 'B' : 'A';
  return happy.link.slice(0, i) + c + happy.link.slice(i + 1);
})();
rememberSecret(wrongSecretLink);

// The agencies' key files (vault agency export-key).
const keyFile = path.join(WORK, 'agency.vaultkey');
const otherKeyFile = path.join(WORK, 'other.vaultkey');
const junkKeyFile = path.join(WORK, 'junk.vaultkey');
// An advocate's key file (vault advocate export-key): for Folio, never here.
const advocateKeyFile = path.join(WORK, 'advocate.vaultkey');
let keyFilesMade = true;
try {
  agency.vault(['agency', 'export-key', '--out', keyFile, '--key-passphrase-file', keyPassFile]);
  advocate.vault(['advocate', 'export-key', '--out', advocateKeyFile, '--key-passphrase-file', keyPassFile]);
  other.vault(['agency', 'export-key', '--out', otherKeyFile, '--key-passphrase-file', keyPassFile]);
} catch (e) {
  keyFilesMade = false;
  console.log(`     could not make key files: ${e.message.split('\n')[0]}`);
}
fs.writeFileSync(junkKeyFile, crypto.randomBytes(300));

const browser = await launchBrowser();

// ---------------------------------------------------------------------
// Cases

await check('opens_a_share_shows_its_fields_and_downloads_the_document_byte_for_byte', async () => {
  const { context, page, problems, s } = await open(browser, happy.link, 'happy');
  try {
    assert(s.name === 'opened', `shows ${s.name}:\n${s.text}`);
    includes(s.text, 'confirmed by the relay', 'happy');
    includes(s.text, 'identity.name', 'happy');
    includes(s.text, VALUES['identity.name'], 'happy');
    includes(s.text, 'housing.status', 'happy');
    includes(s.text, VALUES['housing.status'], 'happy');
    assert(!s.text.includes(VALUES['contact.phone']), 'a field that was not shared is shown');
    includes(s.text, 'Housing application', 'happy');
    includes(s.text, 'Use 1 of 2', 'happy');
    includes(s.text, 'Save what you need now', 'happy');
    includes(s.text, 'Reloading this page will not show it again', 'happy');
    includes(s.text, "Sender's id", 'happy');
    includes(s.text, 'survivor1', 'happy');
    includes(s.text, 'Valid until', 'happy');
    includes(s.text, 'What the sender agreed to', 'happy');
    // The consent text the survivor saw names the fields and the purpose.
    const consent = await page.textContent('#opened-consent');
    includes(consent, 'identity.name', 'consent text');
    includes(consent, 'Housing application', 'consent text');
    // Text only: a value never becomes markup.
    const markup = await page.evaluate(() => document.querySelectorAll('#fields *:not(dt):not(dd)').length);
    assert(markup === 0, 'a field value became markup');
    await common(page, s, problems, 'happy');

    timings.push(await marks(page));

    await shot(page, 'opened');

    const link = page.locator('#docs a[download]');
    // Saved under the survivor's own file name, next to the field's name.
    includes(await page.locator('#docs .doc-name').textContent(), 'documents.id', 'document field');
    includes(await link.textContent(), 'id-scan.pdf', 'download button');
    includes(await link.textContent(), '150 KB', 'download button');
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    assert(download.suggestedFilename() === 'id-scan.pdf', `file name ${download.suggestedFilename()}`);
    const got = fs.readFileSync(await download.path());
    assert(got.equals(DOCUMENT), `the downloaded document differs (${got.length} bytes, want ${DOCUMENT.length})`);
    assert(problems.length === 0, problems.join('\n'));

    // Reloading shows nothing (the secret left the address bar).
    await page.reload();
    const again = await settled(page);
    assert(again.name === 'nothing', `after reload: ${again.name}`);
    includes(again.text, 'Scan the code again', 'reload');
    assert(!again.text.includes(VALUES['identity.name']), 'a value is shown after reload');
  } finally {
    await context.close();
  }
});

// Measured, never asserted: a fresh context (no cache) for each load.
await check('measures_the_time_from_page_load_to_fields_shown', async () => {
  for (let i = 0; i < LOADS; i += 1) {
    const { context, page, s } = await open(browser, timed.link, 'timing');
    try {
      assert(s.name === 'opened', `load ${i + 1}: ${s.name}`);
      timings.push(await marks(page));
    } finally {
      await context.close();
    }
  }
});

await check('keeps_a_320_px_wide_screen_free_of_sideways_scrolling', async () => {
  const { context, page, problems, s } = await open(browser, happy.link, 'narrow', NARROW);
  try {
    assert(s.name === 'opened', `shows ${s.name}:\n${s.text}`);
    includes(s.text, 'Use 2 of 2', 'narrow');
    await noHorizontalScroll(page, 'narrow');
    await common(page, s, problems, 'narrow');
  } finally {
    await context.close();
  }
});

await check('refuses_a_used_up_share_in_plain_words', async () => {
  await expectProblem(browser, happy.link, 'used up', 'already been used', ['someone else may have used it'], null);
});

await check('refuses_a_revoked_share_without_saying_who_acted', async () => {
  const s = await expectProblem(browser, revoked.link, 'revoked', 'can no longer be used', ['ask the person who gave you the code'], 'no-longer-usable');
  assert(!/withdr|revok/i.test(s.heading), `the heading says who acted: ${s.heading}`);
});

await check('refuses_a_share_before_its_start', async () => {
  // Made just before it is opened: the relay takes a share that starts at
  // most 300 s after its clock (relay-api §5.1), so it starts in 240 s.
  const notYet = mint(survivor, ['--fields', 'identity.name', '--starts-in', '240', '--lasts', '3600']);
  rememberSecret(notYet.link);
  await expectProblem(browser, notYet.link, 'not yet valid', 'not valid yet', ['clock on this device'], null);
});

await check('refuses_a_share_after_its_time_is_over', async () => {
  while (Date.now() / 1000 <= expiring.expires + 1) {
    await new Promise((r) => setTimeout(r, 200));
  }
  await expectProblem(browser, expiring.link, 'expired', 'has expired', ['time this code was given for is over'], null);
});

await check('refuses_a_share_whose_stored_bytes_were_changed_as_not_genuine', async () => {
  await expectProblem(browser, tampered.link, 'tampered ciphertext', 'could not be verified', ['Do not use any of it'], 'not-genuine');
});

await check('refuses_a_link_whose_secret_was_changed', async () => {
  await expectProblem(browser, wrongSecretLink, 'tampered token', 'Nothing was found', ['Scan the code again'], null);
});

await check('refuses_a_malformed_link', async () => {
  await expectProblem(browser, `${RELAY}/S#THIS-IS-NOT-A-SECRET`, 'bad link', 'not complete', ['everything after'], null);
});

await check('shows_nothing_without_a_secret', async () => {
  const { context, page, problems, s } = await open(browser, `${RELAY}/S`, 'nothing');
  try {
    assert(s.name === 'nothing', `shows ${s.name}`);
    includes(s.text, 'Nothing to show', 'nothing');
    includes(s.text, 'shows shared information only once', 'nothing');
    await common(page, s, problems, 'nothing');
    await shot(page, 'nothing');
  } finally {
    await context.close();
  }
});

await check('asks_for_the_key_file_then_refuses_wrong_keys_and_opens_with_the_right_one', async () => {
  assert(keyFilesMade, 'no key files (vault agency export-key)');
  const { context, page, problems, s } = await open(browser, bound.link, 'needs key');
  try {
    assert(s.name === 'problem', `shows ${s.name}:\n${s.text}`);
    includes(s.heading, 'for one named agency', 'needs key');
    includes(s.text, "Load the agency's key file", 'needs key');
    assert(await page.isVisible('#key-form'), 'no key form');
    await common(page, s, problems, 'needs key');
    await shot(page, 'needs-key');

    // Not a key file.
    await page.setInputFiles('#key-file', junkKeyFile);
    await page.fill('#key-pass', KEY_PASSPHRASE);
    await page.click('#key-open');
    await keyAnswered(page);
    let err = await page.textContent('#key-error');
    includes(err, 'not an agency key file', 'bad key file');
    assert((await page.evaluate(() => document.activeElement.id)) === 'key-file', 'focus after a bad file');

    // An advocate's key file, with its right passphrase: refused in words.
    await page.setInputFiles('#key-file', advocateKeyFile);
    await page.fill('#key-pass', KEY_PASSPHRASE);
    await page.click('#key-open');
    await keyAnswered(page);
    err = await page.textContent('#key-error');
    includes(err, 'not an agency key file', 'an advocate key file');
    includes(err, "an advocate's key file does not work here", 'an advocate key file');

    // The right file, a wrong passphrase.
    await page.setInputFiles('#key-file', keyFile);
    await page.fill('#key-pass', 'not the passphrase');
    await page.click('#key-open');
    await keyAnswered(page);
    err = await page.textContent('#key-error');
    includes(err, 'does not match this key file', 'wrong passphrase');
    assert((await page.evaluate(() => document.activeElement.id)) === 'key-pass', 'focus after a wrong passphrase');
    assert((await page.inputValue('#key-pass')) === '', 'the passphrase stays in the field');
    await axe(page, 'wrong passphrase');
    await shot(page, 'wrong-passphrase');

    // Another agency's key: the relay refuses it for this code.
    await page.setInputFiles('#key-file', otherKeyFile);
    await page.fill('#key-pass', KEY_PASSPHRASE);
    await page.click('#key-open');
    await page.waitForFunction(
      () => !document.getElementById('problem').hidden && document.activeElement.id === 'problem-title' && !document.getElementById('key-open').disabled,
      null,
      { timeout: STATE_TIME_LIMIT }
    );
    const wrong = await state(page);
    assert(wrong.name === 'problem', `wrong agency: ${wrong.name}`);
    includes(wrong.heading, 'for a different agency', 'wrong agency key');
    assert(await page.isVisible('#key-form'), 'the key form is gone after a wrong agency');
    await common(page, wrong, problems, 'wrong agency key');

    // The right key.
    await page.setInputFiles('#key-file', keyFile);
    await page.fill('#key-pass', KEY_PASSPHRASE);
    await page.click('#key-open');
    const s2 = await page
      .waitForSelector('#opened:not([hidden])', { timeout: STATE_TIME_LIMIT })
      .then(() => state(page));
    includes(s2.text, VALUES['identity.name'], 'right key');
    includes(s2.text, '+44 7700 900123', 'right key');
    includes(s2.text, 'Case 1234', 'right key');
    includes(s2.text, 'No documents were shared', 'right key');
    await common(page, s2, problems, 'right key');
    // The key is gone from the page once used.
    const files = await page.evaluate(() => document.getElementById('key-pass').value);
    assert(files === '', 'the passphrase is still in the field');
  } finally {
    await context.close();
  }
});

await check('a_wrong_device_clock_is_said_and_try_again_opens_once_it_is_right', async () => {
  assert(keyFilesMade, 'no key files (vault agency export-key)');
  const { context, page, problems, s } = await open(browser, boundClock.link, 'clock');
  try {
    assert(s.name === 'problem', `shows ${s.name}`);
    // This phone's clock runs 10 minutes fast: the key's proof carries
    // that time, and the relay refuses it without counting a use.
    await page.clock.setSystemTime(new Date(Date.now() + 10 * 60 * 1000));
    await page.setInputFiles('#key-file', keyFile);
    await page.fill('#key-pass', KEY_PASSPHRASE);
    await page.click('#key-open');
    await page.waitForFunction(
      () => !document.getElementById('problem').hidden && document.activeElement.id === 'problem-title' && !document.getElementById('key-open').disabled,
      null,
      { timeout: STATE_TIME_LIMIT }
    );
    const skewed = await state(page);
    assert(skewed.name === 'problem', `clock 10 minutes fast: ${skewed.name}`);
    includes(skewed.heading, "clock is wrong", 'clock 10 minutes fast');
    includes(skewed.text, 'about 10 minutes off', 'clock 10 minutes fast');
    includes(skewed.text, 'The code was not used', 'clock 10 minutes fast');
    assert(!skewed.text.includes('+44 7700 900123'), 'a value is shown');
    assert(await page.isVisible('#retry'), 'no "Try again" after a wrong clock');
    await common(page, skewed, problems, 'clock 10 minutes fast');
    await shot(page, 'clock');

    // The clock is put right: "Try again" opens it, as its first use.
    await page.clock.setSystemTime(new Date());
    await page.click('#retry');
    await page.waitForSelector('#opened:not([hidden])', { timeout: STATE_TIME_LIMIT });
    const right = await state(page);
    includes(right.text, '+44 7700 900123', 'clock put right');
    includes(right.text, 'Use 1 of 1', 'clock put right');
    await common(page, right, problems, 'clock put right');
  } finally {
    await context.close();
  }
});

await check('opens_an_agency_share_with_the_keyboard_only_at_320_px', async () => {
  assert(keyFilesMade, 'no key files (vault agency export-key)');
  // At 320 px, the narrowest phones.
  const { context, page, problems, s } = await open(browser, boundKeyboard.link, 'keyboard', NARROW);
  try {
    assert(s.name === 'problem', `shows ${s.name}`);
    // Focus order from the heading: the file, the passphrase, the button.
    await page.keyboard.press('Tab');
    assert((await page.evaluate(() => document.activeElement.id)) === 'key-file', 'first Tab');
    await page.setInputFiles('#key-file', keyFile);
    await page.keyboard.press('Tab');
    assert((await page.evaluate(() => document.activeElement.id)) === 'key-pass', 'second Tab');
    await page.keyboard.type(KEY_PASSPHRASE);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#opened:not([hidden])', { timeout: STATE_TIME_LIMIT });
    const s2 = await state(page);
    includes(s2.text, '+44 7700 900123', 'keyboard');
    await common(page, s2, problems, 'keyboard');
  } finally {
    await context.close();
  }
});

await check('says_javascript_is_needed_when_it_is_off', async () => {
  const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    const link = grant(survivor, ['--fields', 'identity.name', '--anyone', '--purpose', 'No script']).link;
    rememberSecret(link);
    await page.goto(link);
    const text = await page.locator('body').innerText();
    includes(text, 'This page needs JavaScript', 'no script');
    assert(!REVEALING.test(text), `no script: the page says:\n${text}`);
    assert((await page.title()) === 'Shared information', 'no script: title');
    // No axe-core here: it needs the page's scripts to run (its timers).
    // The sentence is a paragraph under the page's one heading.
  } finally {
    await context.close();
  }
});

await check('says_webassembly_is_turned_off_and_how_to_allow_it', async () => {
  const noWasm = await launchBrowser([
    // Without a JIT, V8 has no WebAssembly: what iOS Lockdown Mode does.
    '--js-flags=--jitless',
  ]);
  try {
    const link = grant(survivor, ['--fields', 'identity.name', '--anyone', '--purpose', 'No wasm']).link;
    rememberSecret(link);
    const { context, page, problems, s } = await open(noWasm, link, 'no wasm');
    assert(s.name === 'nowasm', `shows ${s.name}:\n${s.text}`);
    includes(s.text, 'needs WebAssembly', 'no wasm');
    includes(s.text, 'Lockdown Mode', 'no wasm');
    includes(s.text, "agency's computer program", 'no wasm');
    await common(page, s, problems, 'no wasm');
    await shot(page, 'no-webassembly');
    await context.close();
  } finally {
    await noWasm.close();
  }
});

await check('never_shows_a_share_as_valid_when_the_relay_is_gone', async () => {
  const { context, page, problems } = await newPage(browser);
  try {
    // Hold the page's redemption until the relay has stopped.
    let release;
    const held = new Promise((r) => {
      release = r;
    });
    let arrived;
    const arrival = new Promise((r) => {
      arrived = r;
    });
    await page.route('**/v1/redeem', async (route) => {
      arrived();
      await held;
      await route.continue();
    });
    await page.goto(down.link);
    await arrival;
    const busy = await state(page);
    assert(busy.name === 'busy', `while checking: ${busy.name}`);
    includes(busy.text, 'Checking the code', 'busy');
    await common(page, busy, problems, 'checking');
    await shot(page, 'checking');

    process.kill(RELAY_PID, 'SIGTERM');
    await waitForExit(RELAY_PID);
    relayStopped = true;
    release();
    const s = await settled(page);
    assert(s.name === 'problem', `relay down: ${s.name}:\n${s.text}`);
    includes(s.heading, 'could not confirm', 'relay down');
    includes(s.text, 'Do not treat it as valid', 'relay down');
    assert(!s.text.includes(VALUES['identity.name']), 'a value is shown');
    assert(await page.isVisible('#retry'), 'no "Try again" when the relay is gone');
    await common(page, s, problems, 'relay down');
    await shot(page, 'unknown');

    // The relay comes back: "Try again" opens the share (the first try
    // never reached it, so nothing was counted).
    await page.unroute('**/v1/redeem');
    await startRelayAgain();
    await page.click('#retry');
    await page.waitForSelector('#opened:not([hidden])', { timeout: STATE_TIME_LIMIT });
    const back = await state(page);
    includes(back.text, VALUES['identity.name'], 'after the relay came back');
    includes(back.text, 'Use 1 of 1', 'after the relay came back');
    await common(page, back, problems, 'after the relay came back');
  } finally {
    await context.close();
  }
});

await browser.close();
if (restarted) {
  restarted.kill('SIGTERM');
  await new Promise((r) => (restarted.exitCode !== null ? r() : restarted.once('exit', r)));
}

// ---------------------------------------------------------------------
// Across every case

await check('sends_no_secret_no_value_and_no_referer_in_any_request', async () => {
  assert(seen.requests.length > 0, 'no requests were seen');
  for (const r of seen.requests) {
    const u = new URL(r.url);
    // The fragment never leaves the browser; what is sent is the path,
    // the query and the body.
    const sent = `${r.method} ${u.pathname}${u.search}\n${r.body}`;
    const leaked = leaks(sent);
    assert(leaked.length === 0, `${r.method} ${u.pathname} carries ${leaked.join(', ')}`);
    assert(r.referer === '', `${r.method} ${u.pathname} sent a Referer`);
    assert(u.origin === RELAY, `a request left the relay: ${r.url}`);
  }
  // The page's own requests (the module, the redemption) are made only
  // after the secret has left the address bar.
  for (const r of seen.requests) {
    if (r.url.endsWith('.wasm') || r.url.endsWith('/v1/redeem')) {
      assert(!r.pageAddress.includes('#'), `${r.url} was requested while the address was ${r.pageAddress}`);
    }
  }
  const redeems = seen.requests.filter((r) => r.url.endsWith('/v1/redeem'));
  assert(redeems.length >= 10, `only ${redeems.length} redemptions seen`);
  for (const r of redeems) {
    const body = JSON.parse(r.body);
    assert(/^[0-9a-f]{64}$/.test(body.token_id), `redeem body ${r.body}`);
  }
});

await check('keeps_secrets_and_values_out_of_the_relay_log', async () => {
  let log = fs.readFileSync(RELAY_LOG, 'utf8');
  assert(log.includes('listening on'), 'the relay log is empty');
  if (fs.existsSync(RELAY_LOG_AGAIN)) {
    log += fs.readFileSync(RELAY_LOG_AGAIN, 'utf8');
  }
  assert(!log.includes('panicked'), `the relay panicked:\n${log}`);
  const leaked = leaks(log);
  assert(leaked.length === 0, `the relay's log holds ${leaked.join(', ')}`);
});

await check('sends_the_csp_on_every_response', async () => {
  assert(seen.responses.length > 0, 'no responses were seen');
  const kinds = new Set();
  for (const r of seen.responses) {
    kinds.add(new URL(r.url).pathname.replace(/^\/web\/.*\./, '/web/*.'));
    assert(r.csp === CSP, `${r.url} (${r.status}) has CSP ${JSON.stringify(r.csp)}`);
  }
  for (const p of ['/S', '/v1/redeem']) {
    assert(kinds.has(p), `no response for ${p} was seen`);
  }
});

if (timings.length > 0) {
  const median = (k) => {
    const v = timings.map((t) => t[k]).sort((a, b) => a - b);
    return v[Math.floor(v.length / 2)];
  };
  const shown = timings.map((t) => t.shown);
  console.log(
    `timing: page load to fields shown (2 text fields and a 150 kB document, loopback, ${timings.length} loads, fresh context each): ` +
      `median ${median('shown')} ms (min ${Math.min(...shown)}, max ${Math.max(...shown)}); ` +
      `medians from navigation start: script ${median('start')} ms, wasm ready ${median('wasm')} ms, relay answered ${median('answered')} ms`
  );
}

if (failed() > 0) {
  console.log(`${failed()} browser test(s) failed`);
  process.exit(1);
}
console.log('all browser tests passed');
