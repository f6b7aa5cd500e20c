// The survivor's app's engine (web/app/worker.js + web/pkg/folio_app*) in a
// real browser against the real relay, driven through the Worker's message
// protocol (docs/app-worker.md) from a page of the relay, with no screen of
// the app involved: the screens are tested on their own.
//
// Driven by scripts/test-app-worker.sh, which builds the binaries, starts
// `vault-server` on a free loopback port and passes here (environment):
//   RELAY_URL   the relay's origin, like http://127.0.0.1:40123
//   RELAY_LOG   the file its standard error goes to
//   VAULT_BIN   the `vault` binary (the agency's id)
//   WORK        a temporary folder (the browser profile lives in it)
//   CHROMIUM    the browser (default /usr/bin/chromium)
//
// The survivor's browser keeps one profile folder for the whole run
// (a persistent context), so a reload and a new page see the same vault,
// and at the end every file of that folder is searched for what must never
// be stored in plain text. The agency opens the link in a second browser
// with a profile of its own.

import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { PHONE, assert, env, includes, installWorker, launchBrowser, launchProfile, needer, runner, within } from './lib.mjs';

const need = needer('app-worker.mjs', 'scripts/test-app-worker.sh');
const RELAY = need('RELAY_URL');
const RELAY_LOG = need('RELAY_LOG');
const VAULT_BIN = need('VAULT_BIN');
const WORK = need('WORK');

// Generous: the machine is shared and Argon2id (64 MiB, t=3) in wasm is slow.
const CALL_TIME_LIMIT = 180_000;

// What the survivor keeps; none of it may be found in the profile's files.
const PASSPHRASE = 'app worker test: lantern orchard velvet';
const FIELD = 'needs.quietplace';
const VALUE = 'Zephyrine Okonkwo-Ballard, room 4B';
const OTHER_FIELD = 'identity.moniker';
const OTHER_VALUE = 'Quillon Marchetti-Adeyemi';
const PURPOSE = 'Tenancy paperwork xylograph';
const DOC_FIELD = 'documents.lease';
const DOC_SIZE = 5 * 1024 * 1024;

// ---------------------------------------------------------------------
// A tiny runner

const { check, fail, failed, consoleLines } = runner();

// ---------------------------------------------------------------------
// The Worker, from a page of the relay


// The Worker (lib.mjs) in a page of this relay.
function install(page) {
  return installWorker(page, RELAY);
}

async function call(page, op, args = {}) {
  return within(
    CALL_TIME_LIMIT,
    op,
    page.evaluate(([o, a]) => window.__call(o, a), [op, args])
  );
}

// The value of a call that must succeed.
async function ok(page, op, args) {
  const a = await call(page, op, args);
  assert(a.ok, `${op} failed: ${JSON.stringify(a.problem)}`);
  return a.value;
}

// The problem of a call that must fail, checked to be one whole answer.
async function refused(page, op, args, kind) {
  const a = await call(page, op, args);
  assert(!a.ok, `${op} was not refused: ${JSON.stringify(a.value)}`);
  const p = a.problem;
  assert(p.kind === kind, `${op}: problem ${p.kind}, not ${kind}: ${JSON.stringify(p)}`);
  for (const part of ['title', 'message', 'next']) {
    assert(typeof p[part] === 'string' && p[part].length > 3, `${op}: no ${part}: ${JSON.stringify(p)}`);
    assert(!/[{}]/.test(p[part]), `${op}: a message is missing from the catalogue: ${p[part]}`);
  }
  return p;
}

// ---------------------------------------------------------------------
// The agency, with the real `vault` binary and its own browser

function vault(dir, args) {
  const pass = path.join(WORK, 'agency-passphrase');
  fs.writeFileSync(pass, 'agency passphrase for the app test', { mode: 0o600 });
  return execFileSync(VAULT_BIN, ['--vault', dir, '--passphrase-file', pass, '--server', RELAY, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 180_000,
  });
}

const agencyDir = path.join(WORK, 'agency');
vault(agencyDir, ['agency', 'init']);
const AGENCY_ID = vault(agencyDir, ['agency', 'id']).trim();
const advocateDir = path.join(WORK, 'advocate');
vault(advocateDir, ['advocate', 'init']);
const ADVOCATE_ID = vault(advocateDir, ['advocate', 'id']).trim();

// What the agency's page (/S) shows for `link`, in a fresh browser context.
async function agencyOpens(browser, link) {
  const context = await browser.newContext({ viewport: PHONE });
  try {
    const page = await context.newPage();
    await page.goto(link);
    await page.waitForSelector('#opened:not([hidden]), #problem:not([hidden])', { timeout: CALL_TIME_LIMIT });
    return await page.evaluate(() => ({
      opened: !document.getElementById('opened').hidden,
      text: document.body.innerText,
    }));
  } finally {
    await context.close();
  }
}

// ---------------------------------------------------------------------
// Cases

const profile = path.join(WORK, 'profile');
let context = await launchProfile(profile);
let page = context.pages()[0] || (await context.newPage());
// What the page and its Worker say on the console, shown if a case fails.
context.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
page.on('pageerror', (e) => consoleLines.push(`pageerror: ${e.message}`));
await install(page);
const agencyBrowser = await launchBrowser();

let survivorId = '';
let share = null;
let docHash = '';

await check('creates_a_vault_keeps_it_across_a_reload_and_refuses_a_wrong_passphrase', async () => {
  let s = await ok(page, 'start', { lang: 'en' });
  assert(s.exists === false && s.unlocked === false, `a fresh profile: ${JSON.stringify(s)}`);
  assert(s.relay === RELAY, `the relay defaults to the page's origin: ${s.relay}`);
  assert(s.privateMode === false, 'a normal profile is not private');
  assert((await ok(page, 'setLanguage', { lang: 'en-GB' })).lang === 'en', 'English');
  const settings = await ok(page, 'setSettings', { autoLockMinutes: 3 });
  assert(settings.autoLockMinutes === 3 && settings.relay === RELAY, `settings ${JSON.stringify(settings)}`);
  await refused(page, 'setSettings', { autoLockMinutes: 0 }, 'bad_input');
  await refused(page, 'setSettings', { relay: 'ftp://example.org' }, 'bad_input');
  // Only the relay that served the app can be reached (CSP connect-src
  // 'self'): another address is refused in words and not kept.
  await refused(page, 'setSettings', { relay: 'http://127.0.0.1:9' }, 'relay_elsewhere');
  assert((await ok(page, 'settings')).relay === new URL(RELAY).origin, 'the relay setting was kept');
  await refused(page, 'list', {}, 'locked');
  await refused(page, 'unlock', { passphrase: PASSPHRASE }, 'no_vault');
  await refused(page, 'create', { passphrase: 'short' }, 'bad_input');
  const weak = await ok(page, 'passphraseHint', { passphrase: '12345678' });
  const strong = await ok(page, 'passphraseHint', { passphrase: PASSPHRASE });
  assert(weak.score < strong.score && strong.score >= 3, `hints ${JSON.stringify([weak, strong])}`);
  includes(weak.text, 'Add a few unrelated words', 'weak hint');
  const made = await ok(page, 'create', { passphrase: PASSPHRASE });
  survivorId = made.id;
  assert(survivorId.startsWith('survivor1'), `id ${survivorId}`);
  await ok(page, 'putText', { path: FIELD, value: VALUE });
  await ok(page, 'putText', { path: OTHER_FIELD, value: OTHER_VALUE });
  await refused(page, 'putText', { path: 'Not A Path!', value: 'x' }, 'bad_path');
  await refused(page, 'create', { passphrase: PASSPHRASE }, 'exists');

  // A reload is a new Worker: nothing in memory, everything on disk.
  await page.reload();
  await install(page);
  s = await ok(page, 'start', { lang: 'en' });
  assert(s.exists === true && s.unlocked === false, `after a reload: ${JSON.stringify(s)}`);
  assert((await ok(page, 'settings')).autoLockMinutes === 3, 'settings kept across a reload');
  await refused(page, 'unlock', { passphrase: 'not the passphrase at all' }, 'wrong_passphrase');
  await refused(page, 'getText', { path: FIELD }, 'locked');
  const again = await ok(page, 'unlock', { passphrase: PASSPHRASE });
  assert(again.id === survivorId, `the same vault: ${again.id} vs ${survivorId}`);
  const list = await ok(page, 'list');
  const paths = list.entries.map((e) => e.path);
  assert(JSON.stringify(paths) === JSON.stringify([OTHER_FIELD, FIELD].sort()), `list ${paths}`);
  assert(list.damaged === 0, 'nothing damaged');
  const entry = list.entries.find((e) => e.path === FIELD);
  assert(entry.kind === 'text' && entry.size === VALUE.length, `entry ${JSON.stringify(entry)}`);
  assert((await ok(page, 'getText', { path: FIELD })).value === VALUE, 'the value read back');

  await ok(page, 'remove', { path: OTHER_FIELD });
  await refused(page, 'getText', { path: OTHER_FIELD }, 'bad_input');
  await ok(page, 'putText', { path: OTHER_FIELD, value: OTHER_VALUE });
});

await check('stores_a_5_mib_document_reads_it_back_equal_and_replacing_or_removing_leaves_no_file', async () => {
  const result = await within(CALL_TIME_LIMIT, 'the document', page.evaluate(
    async ([field, size]) => {
      // Bytes from a small xorshift, so no two chunks look alike.
      const bytes = new Uint8Array(size);
      let x = 0x9e3779b9;
      for (let i = 0; i < size; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        bytes[i] = x & 0xff;
      }
      const hex = async (buf) =>
        Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', buf)))
          .map((b) => b.toString(16).padStart(2, '0'))
          .join('');
      const want = await hex(bytes);
      const file = new File([bytes], 'lease.pdf', { type: 'application/pdf' });
      const put = await window.__call('putDocument', { path: field, file });
      if (!put.ok) {
        return { put };
      }
      const read = await window.__call('readDocument', { path: field });
      if (!read.ok) {
        return { put, read };
      }
      const got = await hex(await read.value.blob.arrayBuffer());
      return {
        put,
        want,
        got,
        size: read.value.blob.size,
        name: read.value.name,
        type: read.value.type,
      };
    },
    [DOC_FIELD, DOC_SIZE]
  ));
  assert(result.put.ok, `putDocument: ${JSON.stringify(result.put)}`);
  assert(result.put.value.size === DOC_SIZE, `stored size ${result.put.value.size}`);
  assert(result.read === undefined, `readDocument: ${JSON.stringify(result.read)}`);
  assert(result.size === DOC_SIZE && result.got === result.want, 'the document read back differs');
  assert(result.name === 'lease.pdf', `name ${result.name}`);
  docHash = result.want;
  const list = await ok(page, 'list');
  const doc = list.entries.find((e) => e.path === DOC_FIELD);
  assert(doc && doc.kind === 'document' && doc.sizeText === '5.0 MiB', `entry ${JSON.stringify(doc)}`);
  // Replacing it leaves one file behind, not two.
  const files = await page.evaluate(async () => {
    const docs = await (await navigator.storage.getDirectory()).getDirectoryHandle('docs');
    const names = [];
    for await (const n of docs.keys()) {
      names.push(n);
    }
    return names.sort();
  });
  assert(files.filter((n) => /^[0-9a-f]{32}$/.test(n)).length === 1, `files ${files}`);

  // Replacing a document removes the old file once the new record is
  // durable; removing it removes its file.
  const docFiles = async () =>
    Object.keys(await docsState(page)).filter((n) => /^[0-9a-f]{32}$/.test(n)).sort();
  const putSmall = (text) =>
    page.evaluate(
      (t) => window.__call('putDocument', { path: 'documents.note', file: new File([t], 'note.txt', { type: 'text/plain' }) }),
      text
    );
  assert((await putSmall('first version')).ok, 'a small document');
  const two = await docFiles();
  assert(two.length === 2, `files ${two}`);
  assert((await putSmall('second version, longer')).ok, 'replaced');
  const replaced = await docFiles();
  assert(replaced.length === 2 && replaced.join() !== two.join(), `files after replacing ${replaced}`);
  const text = await page.evaluate(async () => {
    const r = await window.__call('readDocument', { path: 'documents.note' });
    return r.ok ? r.value.blob.text() : JSON.stringify(r.problem);
  });
  assert(text === 'second version, longer', `read back ${text}`);
  await ok(page, 'remove', { path: 'documents.note' });
  assert((await docFiles()).length === 1, 'the removed document left its file');
});

await check('shares_with_preview_the_agency_opens_it_and_a_withdrawal_stops_it', async () => {
  await ok(page, 'addContact', { name: 'Housing North', id: AGENCY_ID });
  const contacts = await ok(page, 'contacts');
  assert(contacts.contacts.length === 1 && contacts.contacts[0].id === AGENCY_ID, 'the contact');
  const toContact = await ok(page, 'previewShare', {
    fields: [FIELD],
    to: 'Housing North',
    purpose: PURPOSE,
    hours: 24,
    uses: 1,
  });
  includes(toContact.preview, 'Housing North', 'preview names the contact');
  assert(toContact.unknownAgency === false, 'a saved contact is known');

  const args = { fields: [FIELD], to: null, purpose: PURPOSE, hours: 24, uses: 2 };
  await refused(page, 'previewShare', { ...args, uses: 0 }, 'bad_input');
  await refused(page, 'previewShare', { ...args, fields: ['nothing.here'] }, 'bad_input');
  const preview = await ok(page, 'previewShare', args);
  includes(preview.preview, PURPOSE, 'preview');
  includes(preview.preview, FIELD, 'preview');
  assert(
    preview.leaving.length === 1 && preview.leaving[0].path === FIELD && preview.leaving[0].text === VALUE,
    `leaving ${JSON.stringify(preview.leaving)}`
  );

  share = await ok(page, 'share', args);
  assert(share.link.startsWith(`${RELAY.toUpperCase()}/S#`) || share.link.startsWith(`${RELAY}/S#`), `link ${share.link}`);
  includes(share.qrSvg, '<svg', 'QR picture');
  assert(share.uses === 2 && share.tokenId.startsWith(share.shortId), 'share details');

  const first = await agencyOpens(agencyBrowser, share.link);
  assert(first.opened, `the agency's page did not open the share:\n${first.text}`);
  includes(first.text, VALUE, "the agency's page");
  includes(first.text, PURPOSE, "the agency's page");

  const listed = await ok(page, 'shares');
  assert(listed.relayReached, 'the relay was reached');
  const mine = listed.shares.find((x) => x.tokenId === share.tokenId);
  assert(mine, `the share is listed: ${JSON.stringify(listed)}`);
  assert(mine.usesLeft === 1 && mine.maxUses === 2 && mine.status === 'active', `status ${JSON.stringify(mine)}`);
  assert(mine.purpose === PURPOSE && mine.fields[0] === FIELD, 'fields and purpose');

  let history = await ok(page, 'history');
  assert(history.verified === true && history.warning === null, `history ${JSON.stringify(history)}`);
  const texts = history.lines.map((l) => l.text).join('\n');
  includes(texts, `Share ${share.shortId} was opened by`, 'history');
  includes(texts, `You shared ${share.shortId}`, 'history');

  const withdrawn = await ok(page, 'withdraw', { tokenId: share.tokenId });
  includes(withdrawn.text, 'Withdrawn.', 'withdrawal words');
  const after = await agencyOpens(agencyBrowser, share.link);
  assert(!after.opened, `the agency could still open it:\n${after.text}`);
  assert(!after.text.includes(VALUE), 'the value was shown after the withdrawal');
  const status = (await ok(page, 'shares')).shares.find((x) => x.tokenId === share.tokenId);
  assert(status.status === 'revoked', `status after withdrawal ${status.status}`);

  history = await ok(page, 'history');
  includes(history.lines.map((l) => l.text).join('\n'), `You withdrew share ${share.shortId}`, 'history');

  // Withdraw all: a second share, listed as stopped with who and what for.
  const second = await ok(page, 'share', { ...args, uses: 1 });
  const all = await ok(page, 'withdrawAll');
  assert(all.stopped.length === 1, `stopped ${JSON.stringify(all)}`);
  includes(all.stopped[0], second.shortId, 'stopped line');
  includes(all.stopped[0], PURPOSE, 'stopped line');
});

await check('lets_an_advocate_act_with_a_preview_lists_and_ends_it', async () => {
  await refused(page, 'previewHelper', { advocate: ADVOCATE_ID, days: 0 }, 'bad_input');
  await refused(page, 'previewHelper', { advocate: AGENCY_ID, days: 7 }, 'bad_input');
  const preview = await ok(page, 'previewHelper', { advocate: ADVOCATE_ID, days: 7 });
  includes(preview.preview, ADVOCATE_ID, 'helper preview');
  includes(preview.preview, 'They will not see any field you saved', 'helper preview');
  const added = await ok(page, 'addHelper', { advocate: ADVOCATE_ID, days: 7 });
  includes(added.text, ADVOCATE_ID, 'helper added');
  const listed = await ok(page, 'helpers');
  assert(listed.helpers.length === 1 && listed.helpers[0].advocate === ADVOCATE_ID, `helpers ${JSON.stringify(listed)}`);
  // The advocate's own program sees the survivor's shares now.
  const clients = vault(advocateDir, ['advocate', 'clients']);
  includes(clients, survivorId, 'the advocate sees the permission');
  const ended = await ok(page, 'endHelper', { advocate: ADVOCATE_ID });
  includes(ended.text, 'can no longer act for you', 'helper ended');
  assert((await ok(page, 'helpers')).helpers.length === 0, 'the permission is gone');
  await refused(page, 'endHelper', { advocate: ADVOCATE_ID }, 'refused');
});

// Imports a key file (bytes read here) into the Worker of `p`, as the
// page does with the File the person chose.
async function importKey(p, bytes, passphrase) {
  return within(
    CALL_TIME_LIMIT,
    'advocateImport',
    p.evaluate(
      ([b, pass]) => window.__call('advocateImport', { file: new File([new Uint8Array(b)], 'key.vaultkey'), passphrase: pass }),
      [Array.from(bytes), passphrase]
    )
  );
}

// The files under `dir` that hold any of `secrets` (UTF-8 or UTF-16).
function plainIn(dir, secrets) {
  const found = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        walk(p);
      } else if (e.isFile()) {
        const bytes = fs.readFileSync(p);
        for (const s of secrets) {
          if (bytes.includes(Buffer.from(s, 'utf8')) || bytes.includes(Buffer.from(s, 'utf16le'))) {
            found.push(`${path.relative(dir, p)}: ${s}`);
          }
        }
      }
    }
  };
  walk(dir);
  return found;
}

await check('an_advocate_in_another_profile_imports_the_cli_key_lists_and_withdraws_one_then_all', async () => {
  // The survivor makes two shares and lets the advocate act.
  const shareArgs = { fields: [FIELD], to: null, purpose: PURPOSE, hours: 24, uses: 1 };
  const first = await ok(page, 'share', shareArgs);
  const second = await ok(page, 'share', shareArgs);
  await ok(page, 'addHelper', { advocate: ADVOCATE_ID, days: 7 });

  // The advocate's key file and an agency's, from the command line.
  const keyPass = 'advocate key passphrase for the phone';
  const keyPassFile = path.join(WORK, 'advocate-key-passphrase');
  fs.writeFileSync(keyPassFile, `${keyPass}\n`, { mode: 0o600 });
  const advocateKey = path.join(WORK, 'advocate.vaultkey');
  const agencyKey = path.join(WORK, 'agency.vaultkey');
  vault(advocateDir, ['advocate', 'export-key', '--out', advocateKey, '--key-passphrase-file', keyPassFile]);
  vault(agencyDir, ['agency', 'export-key', '--out', agencyKey, '--key-passphrase-file', keyPassFile]);

  const advProfile = path.join(WORK, 'advocate-profile');
  const adv = await launchProfile(advProfile);
  const ownPass = 'the advocate own folio passphrase';
  try {
    const ap = adv.pages()[0] || (await adv.newPage());
    await install(ap);
    await ok(ap, 'start', { lang: 'en' });
    const own = (await ok(ap, 'create', { passphrase: ownPass })).id;
    let p = await refused(ap, 'advocateClients', {}, 'bad_input');
    includes(p.message, 'vault advocate export-key', 'no key loaded yet');

    // An agency's key file is never taken, and a wrong passphrase is said.
    let a = await importKey(ap, fs.readFileSync(agencyKey), keyPass);
    assert(!a.ok && a.problem.kind === 'bad_input', `an agency key: ${JSON.stringify(a)}`);
    includes(a.problem.message, "does not hold an advocate's key", 'an agency key');
    a = await importKey(ap, fs.readFileSync(advocateKey), 'not the key passphrase');
    assert(!a.ok && a.problem.kind === 'bad_input', `a wrong passphrase: ${JSON.stringify(a)}`);
    includes(a.problem.message, 'passphrase is wrong', 'a wrong key passphrase');
    a = await importKey(ap, Buffer.alloc(10000, 7), keyPass);
    assert(!a.ok && a.problem.kind === 'bad_input', `a large file: ${JSON.stringify(a)}`);
    a = await importKey(ap, fs.readFileSync(advocateKey), keyPass);
    assert(a.ok && a.value.id === ADVOCATE_ID, `the advocate key: ${JSON.stringify(a)}`);

    // Kept sealed in the advocate's own vault: there after a lock.
    await ok(ap, 'lock');
    await ok(ap, 'unlock', { passphrase: ownPass });
    const clients = (await ok(ap, 'advocateClients')).clients;
    const me = clients.find((c) => c.survivor === survivorId);
    assert(me && me.active === true && me.untilText, `clients ${JSON.stringify(clients)}`);

    const listed = await ok(ap, 'advocateShares', { survivor: survivorId });
    const ids = listed.shares.map((x) => x.tokenId);
    assert(ids.includes(first.tokenId) && ids.includes(second.tokenId), `shares ${JSON.stringify(ids)}`);
    const said = JSON.stringify(listed);
    assert(!said.includes(PURPOSE) && !said.includes(FIELD) && !said.includes(VALUE), `the advocate sees content: ${said}`);
    assert(listed.shares.every((x) => x.purpose === null && x.fields.length === 0), 'no purpose, no fields');

    const one = await ok(ap, 'advocateWithdraw', { survivor: survivorId, tokenId: first.tokenId });
    includes(one.text, 'Withdrawn.', 'one withdrawn');
    includes(one.text, 'Let the person know', 'one withdrawn');
    assert(!(await agencyOpens(agencyBrowser, first.link)).opened, 'the first share still opens');
    const stillOpen = (await ok(ap, 'advocateShares', { survivor: survivorId })).shares;
    assert(stillOpen.find((x) => x.tokenId === first.tokenId).status === 'revoked', 'status after one');
    assert(stillOpen.find((x) => x.tokenId === second.tokenId).status === 'active', 'the other stays');

    const all = await ok(ap, 'advocateWithdraw', { survivor: survivorId, all: true });
    includes(all.text, 'Let the person know', 'all withdrawn');
    assert(!(await agencyOpens(agencyBrowser, second.link)).opened, 'the second share still opens');
    const again = await ok(ap, 'advocateWithdraw', { survivor: survivorId, all: true });
    includes(again.text, 'nothing changed', 'withdrawing again');

    // Someone who gave no permission: said, and nothing done.
    p = await refused(ap, 'advocateShares', { survivor: own }, 'refused');
    includes(p.message, 'no permission', 'no permission');
    await refused(ap, 'advocateShares', { survivor: 'not an id' }, 'bad_input');

    // The survivor ends the permission: the advocate is told when.
    await ok(page, 'endHelper', { advocate: ADVOCATE_ID });
    p = await refused(ap, 'advocateWithdraw', { survivor: survivorId, all: true }, 'refused');
    assert(/ended on|no permission/.test(p.message), `permission ended: ${p.message}`);
    includes(p.message, 'nothing was withdrawn', 'permission ended');
    await ok(ap, 'lock');
  } finally {
    await adv.close();
  }
  const found = plainIn(advProfile, [keyPass, ownPass]);
  assert(found.length === 0, `found in plain text in the advocate's profile:\n${found.join('\n')}`);
});

await check('an_unreachable_relay_keeps_nothing_and_says_so', async () => {
  const before = (await ok(page, 'shares')).shares.length;
  await context.setOffline(true);
  try {
    await refused(
      page,
      'share',
      { fields: [FIELD], to: null, purpose: PURPOSE, hours: 24, uses: 1 },
      'relay_unreachable'
    );
    const offline = await ok(page, 'shares');
    assert(offline.relayReached === false, 'the relay was not reached');
    assert(offline.shares.length === before, 'a share that was not uploaded was kept');
  } finally {
    await context.setOffline(false);
  }
});

await check('refuses_a_second_tab_while_one_has_it_open_then_opens_after_lock', async () => {
  const other = await context.newPage();
  try {
    await install(other);
    await ok(other, 'start', { lang: 'en' });
    await refused(other, 'unlock', { passphrase: PASSPHRASE }, 'open_elsewhere');
    await ok(page, 'lock');
    await ok(other, 'unlock', { passphrase: PASSPHRASE });
    assert((await ok(other, 'getText', { path: FIELD })).value === VALUE, 'read in the second tab');
    await ok(other, 'putText', { path: 'needs.fromothertab', value: OTHER_VALUE });
    await ok(other, 'lock');
    // The first tab's Worker started before that write, and sees it.
    await ok(page, 'unlock', { passphrase: PASSPHRASE });
    assert(
      (await ok(page, 'getText', { path: 'needs.fromothertab' })).value === OTHER_VALUE,
      'what the other tab wrote'
    );
    await ok(page, 'remove', { path: 'needs.fromothertab' });
  } finally {
    await other.close();
  }
});

await check('gives_a_document_piece_by_piece_to_a_pulling_port_and_stops_on_lock', async () => {
  const field = 'documents.pulled';
  const size = 2 * 1024 * 1024 + 300 * 1024 + 5;
  const r = await within(CALL_TIME_LIMIT, 'the pulled document', page.evaluate(async ([f, n]) => {
    // The page hands the channel's end over (as the app's page does).
    if (!window.__transfers) {
      window.__transfers = true;
      const post = Worker.prototype.postMessage;
      Worker.prototype.postMessage = function (m, transfer) {
        const port = m && m.args && m.args.port;
        return post.call(this, m, port instanceof MessagePort ? [port] : transfer || []);
      };
    }
    const bytes = new Uint8Array(n);
    let x = 0x2545f491;
    for (let i = 0; i < n; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      bytes[i] = x & 0xff;
    }
    const put = await window.__call('putDocument', { path: f, file: new File([bytes], 'notes.txt', { type: 'text/plain' }) });
    if (!put.ok) {
      return { problem: put.problem };
    }
    // Begins a download and pulls `count` pieces (all when null); the
    // pieces, what ended it, and the port.
    const pull = async (count) => {
      const channel = new MessageChannel();
      const begun = await window.__call('downloadBegin', { path: f, port: channel.port1 });
      if (!begun.ok) {
        return { problem: begun.problem };
      }
      const pieces = [];
      // Everything the Worker sends, in order (it may say it stopped
      // before it is asked again).
      const inbox = [];
      let wake = null;
      channel.port2.onmessage = (e) => {
        inbox.push(e.data || {});
        if (wake) {
          wake();
        }
      };
      const next = async () => {
        channel.port2.postMessage({ op: 'pull' });
        while (inbox.length === 0) {
          await new Promise((resolve) => {
            wake = resolve;
          });
        }
        return inbox.shift();
      };
      for (;;) {
        if (count !== null && pieces.length === count) {
          return { begun: begun.value, pieces, next };
        }
        const m = await next();
        if (!(m.bytes instanceof Uint8Array)) {
          return { begun: begun.value, pieces, end: m };
        }
        pieces.push(m.bytes);
      }
    };
    const whole = await pull(null);
    const joined = new Uint8Array(whole.pieces.reduce((a, p) => a + p.length, 0));
    whole.pieces.reduce((at, p) => (joined.set(p, at), at + p.length), 0);
    const equal = joined.length === n && joined.every((b, i) => b === bytes[i]);
    // Locked half-way: the next pull is told it stopped.
    const half = await pull(1);
    const locked = await window.__call('lock');
    const after = await half.next();
    const noPort = await window.__call('downloadBegin', { path: f });
    return {
      begun: whole.begun,
      sizes: whole.pieces.map((p) => p.length),
      end: whole.end,
      equal,
      locked: locked.ok,
      after,
      noPort: noPort.ok ? null : noPort.problem.kind,
    };
  }, [field, size]));
  assert(!r.problem, `a call failed: ${JSON.stringify(r.problem)}`);
  assert(r.begun.size === size && r.begun.name === 'notes.txt' && r.begun.type === 'text/plain', `begun ${JSON.stringify(r.begun)}`);
  assert(r.equal, 'the pieces put together differ from the document');
  assert(JSON.stringify(r.sizes) === JSON.stringify([1 << 20, 1 << 20, 300 * 1024 + 5]), `pieces of ${r.sizes}`);
  assert(r.end && r.end.done === true, `the end was ${JSON.stringify(r.end)}`);
  assert(r.locked && r.after && r.after.stopped === true, `after lock a pull got ${JSON.stringify(r.after)}`);
  assert(r.noPort === 'locked', `downloadBegin while locked: ${r.noPort}`);
  await ok(page, 'unlock', { passphrase: PASSPHRASE });
  await ok(page, 'remove', { path: field });
});

await check('locks_and_a_new_page_opens_the_same_vault', async () => {
  await ok(page, 'lock');
  await refused(page, 'getText', { path: FIELD }, 'locked');
  const other = await context.newPage();
  await install(other);
  const s = await ok(other, 'start', { lang: 'en' });
  assert(s.exists, 'the vault is there for a new page');
  await other.close();
});

// What the page sees of OPFS `docs` (name and size of each file), and
// the SHA-256 of what `readDocument` gives for DOC_FIELD.
async function docsState(p) {
  return p.evaluate(async () => {
    const docs = await (await navigator.storage.getDirectory()).getDirectoryHandle('docs');
    const out = {};
    for await (const [name, h] of docs.entries()) {
      out[name] = (await h.getFile()).size;
    }
    return out;
  });
}

async function readBackHash(p) {
  return within(CALL_TIME_LIMIT, 'readDocument', p.evaluate(async (field) => {
    const read = await window.__call('readDocument', { path: field });
    if (!read.ok) {
      return JSON.stringify(read.problem);
    }
    const d = await crypto.subtle.digest('SHA-256', await read.value.blob.arrayBuffer());
    return Array.from(new Uint8Array(d)).map((b) => b.toString(16).padStart(2, '0')).join('');
  }, DOC_FIELD));
}

await check('finishes_a_rename_a_crash_interrupted_and_empties_an_orphan_spare', async () => {
  // Locked: the Worker holds no file. Play a crash after the commit and
  // before the rename: the document is back in `spare`, and `files` says
  // where it goes.
  const before = await docsState(page);
  const doc = Object.keys(before).find((n) => /^[0-9a-f]{32}$/.test(n));
  assert(doc && before[doc] > DOC_SIZE, `the document file: ${JSON.stringify(before)}`);
  await page.evaluate(async (name) => {
    const docs = await (await navigator.storage.getDirectory()).getDirectoryHandle('docs');
    const bytes = await (await (await docs.getFileHandle(name)).getFile()).arrayBuffer();
    await docs.removeEntry('spare').catch(() => {});
    const w = await (await docs.getFileHandle('spare', { create: true })).createWritable();
    await w.write(bytes);
    await w.close();
    await docs.removeEntry(name);
    const db = await new Promise((resolve, reject) => {
      const r = indexedDB.open('folio');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    await new Promise((resolve, reject) => {
      const tx = db.transaction(['files'], 'readwrite');
      tx.objectStore('files').put({ move: name }, 'spare');
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  }, doc);
  await page.reload();
  await install(page);
  await ok(page, 'start', { lang: 'en' });
  const finished = await docsState(page);
  assert(finished[doc] === before[doc], `the rename was not finished: ${JSON.stringify(finished)}`);
  assert(!('spare' in finished), `the spare was left: ${JSON.stringify(finished)}`);
  await ok(page, 'unlock', { passphrase: PASSPHRASE });
  assert((await readBackHash(page)) === docHash, 'the document after the finished rename differs');

  // A crash before a commit leaves bytes in `spare` and nothing pointing
  // at them: the spare is emptied when it is next opened.
  await ok(page, 'lock');
  await page.evaluate(async () => {
    const docs = await (await navigator.storage.getDirectory()).getDirectoryHandle('docs');
    const w = await (await docs.getFileHandle('spare', { create: true })).createWritable();
    await w.write(new Uint8Array(1000).fill(7));
    await w.close();
  });
  await page.reload();
  await install(page);
  await ok(page, 'start', { lang: 'en' });
  await ok(page, 'unlock', { passphrase: PASSPHRASE });
  await ok(page, 'lock');
  const emptied = await docsState(page);
  assert(emptied.spare === 0, `the orphan spare was kept: ${JSON.stringify(emptied)}`);
  assert(Object.keys(emptied).length === 2, `files: ${JSON.stringify(emptied)}`);
});

// ---------------------------------------------------------------------
// Backups: the app's file in a fresh profile and in `vault import`, and
// `vault export`'s file in the app.

// `vault` for the survivor's own side, with `pass` as its passphrase.
function cli(dir, pass, args) {
  const file = path.join(WORK, `pass-${crypto.createHash('sha256').update(pass).digest('hex').slice(0, 8)}`);
  fs.writeFileSync(file, pass, { mode: 0o600 });
  return execFileSync(VAULT_BIN, ['--vault', dir, '--passphrase-file', file, '--server', RELAY, ...args], {
    encoding: 'utf8',
    env: { ...env, LC_ALL: '', LC_MESSAGES: '', LANGUAGE: '', LANG: 'C.UTF-8' },
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 180_000,
  });
}

// exportBackup in `p`: the file's bytes and name.
async function exportFrom(p) {
  const got = await within(CALL_TIME_LIMIT, 'exportBackup', p.evaluate(async () => {
    const r = await window.__call('exportBackup', {});
    if (!r.ok) {
      return { problem: r.problem };
    }
    const bytes = new Uint8Array(await r.value.blob.arrayBuffer());
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000) {
      bin += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return { fileName: r.value.fileName, base64: btoa(bin) };
  }));
  assert(!got.problem, `exportBackup: ${JSON.stringify(got.problem)}`);
  return { fileName: got.fileName, bytes: Buffer.from(got.base64, 'base64') };
}

// importBackup in `p` of `bytes` (a File made in the page).
async function importInto(p, bytes, passphrase, replace) {
  return within(CALL_TIME_LIMIT, 'importBackup', p.evaluate(
    ([b64, pass, rep]) => {
      const bin = atob(b64);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) {
        bytes[i] = bin.charCodeAt(i);
      }
      const file = new File([bytes], 'folio.backup', { type: 'application/octet-stream' });
      return window.__call('importBackup', { file, passphrase: pass, replace: rep });
    },
    [bytes.toString('base64'), passphrase, replace]
  ));
}

function sha256(bytes) {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

async function texts(p) {
  const out = {};
  for (const e of (await ok(p, 'list')).entries) {
    if (e.kind === 'text') {
      out[e.path] = (await ok(p, 'getText', { path: e.path })).value;
    }
  }
  return out;
}

const freshProfile = path.join(WORK, 'profile-restored');

await check('a_backup_from_the_app_opens_equal_in_a_fresh_profile_and_a_wrong_passphrase_changes_nothing', async () => {
  await ok(page, 'unlock', { passphrase: PASSPHRASE });
  let state = await ok(page, 'backupState');
  assert(state.changedSinceBackup === true && state.lastBackup === null, `before any backup: ${JSON.stringify(state)}`);
  const want = await texts(page);
  assert(want[FIELD] === VALUE && want[OTHER_FIELD] === OTHER_VALUE, `texts ${JSON.stringify(want)}`);
  const wantContacts = (await ok(page, 'contacts')).contacts;
  const made = await exportFrom(page);
  assert(/^folio-\d{4}-\d\d-\d\d\.backup$/.test(made.fileName), `file name ${made.fileName}`);
  assert(made.bytes.subarray(0, 4).toString('latin1') === 'SVBK', 'the backup format');
  assert(made.bytes.length > DOC_SIZE, `the backup holds the document: ${made.bytes.length} bytes`);
  for (const secret of [VALUE, FIELD, PURPOSE, 'lease.pdf']) {
    assert(!made.bytes.includes(Buffer.from(secret)), `the backup file shows ${secret}`);
  }
  fs.writeFileSync(path.join(WORK, 'app.backup'), made.bytes, { mode: 0o600 });
  state = await ok(page, 'backupState');
  assert(state.changedSinceBackup === false, `after the backup: ${JSON.stringify(state)}`);
  assert(typeof state.lastBackup === 'number' && Math.abs(state.lastBackup - Date.now() / 1000) < 600, `when ${state.lastBackup}`);
  assert(typeof state.lastBackupText === 'string' && state.lastBackupText.length > 5, `text ${state.lastBackupText}`);
  // A change is seen; undoing it makes the vault what the backup holds.
  await ok(page, 'putText', { path: 'needs.after', value: 'x' });
  assert((await ok(page, 'backupState')).changedSinceBackup === true, 'a change after the backup');
  await ok(page, 'remove', { path: 'needs.after' });
  assert((await ok(page, 'backupState')).changedSinceBackup === false, 'the change undone');
  await ok(page, 'lock');

  const fresh = await launchProfile(freshProfile);
  try {
    const p = fresh.pages()[0] || (await fresh.newPage());
    await install(p);
    assert((await ok(p, 'start', { lang: 'en' })).exists === false, 'a fresh profile');
    await refused(p, 'importBackup', { file: null, passphrase: PASSPHRASE }, 'bad_input');
    let a = await importInto(p, made.bytes, 'not the passphrase at all', false);
    assert(!a.ok && a.problem.kind === 'wrong_passphrase', `wrong passphrase: ${JSON.stringify(a)}`);
    includes(a.problem.message, 'did not open this backup', 'wrong passphrase words');
    let s = await ok(p, 'start', { lang: 'en' });
    assert(s.exists === false && s.unlocked === false, `nothing imported: ${JSON.stringify(s)}`);
    const left = await docsState(p);
    assert(!Object.keys(left).some((n) => /^[0-9a-f]{32}$/.test(n)), `a document file was left: ${JSON.stringify(left)}`);

    a = await importInto(p, made.bytes, PASSPHRASE, false);
    assert(a.ok, `importBackup: ${JSON.stringify(a.problem)}`);
    assert(a.value.id === survivorId, `the same vault: ${a.value.id}`);
    s = await ok(p, 'start', { lang: 'en' });
    assert(s.exists && s.unlocked, `open after the import: ${JSON.stringify(s)}`);
    const got = await texts(p);
    assert(JSON.stringify(got) === JSON.stringify(want), `texts after the import ${JSON.stringify(got)}`);
    assert((await readBackHash(p)) === docHash, 'the document after the import differs');
    assert(JSON.stringify((await ok(p, 'contacts')).contacts) === JSON.stringify(wantContacts), 'contacts');
    const st = await ok(p, 'backupState');
    assert(st.changedSinceBackup === false && st.lastBackup === state.lastBackup, `imported: ${JSON.stringify(st)}`);
    const files = await docsState(p);
    assert(Object.keys(files).filter((n) => /^[0-9a-f]{32}$/.test(n)).length === 1, `files ${JSON.stringify(files)}`);
    const root = await p.evaluate(async () => {
      const names = [];
      for await (const n of (await navigator.storage.getDirectory()).keys()) {
        names.push(n);
      }
      return names.sort();
    });
    assert(JSON.stringify(root) === JSON.stringify(['docs']), `the import left ${root}`);

    // A vault is here now: not replaced unless asked; a wrong passphrase
    // or a damaged file, even when asked, leave it as it was.
    a = await importInto(p, made.bytes, PASSPHRASE, false);
    assert(!a.ok && a.problem.kind === 'exists', `without replace: ${JSON.stringify(a)}`);
    await ok(p, 'putText', { path: 'needs.onlyhere', value: 'kept' });
    a = await importInto(p, made.bytes, 'not the passphrase at all', true);
    assert(!a.ok && a.problem.kind === 'wrong_passphrase', `wrong passphrase: ${JSON.stringify(a)}`);
    const damaged = Buffer.from(made.bytes);
    damaged[damaged.length - 100] ^= 1;
    a = await importInto(p, damaged, PASSPHRASE, true);
    assert(!a.ok && a.problem.kind === 'bad_input', `damaged: ${JSON.stringify(a)}`);
    includes(a.problem.message, 'damaged', 'damaged words');
    a = await importInto(p, made.bytes.subarray(0, made.bytes.length - 5000), PASSPHRASE, true);
    assert(!a.ok && a.problem.kind === 'bad_input', `cut short: ${JSON.stringify(a)}`);
    a = await importInto(p, Buffer.from('just some text'), PASSPHRASE, true);
    assert(!a.ok && a.problem.kind === 'bad_input', `not a backup: ${JSON.stringify(a)}`);
    // Still open, and after a reload it opens as it was.
    assert((await ok(p, 'getText', { path: 'needs.onlyhere' })).value === 'kept', 'the vault stayed open');
    await ok(p, 'lock');
    await p.reload();
    await install(p);
    await ok(p, 'start', { lang: 'en' });
    await ok(p, 'unlock', { passphrase: PASSPHRASE });
    assert((await ok(p, 'getText', { path: 'needs.onlyhere' })).value === 'kept', 'the vault after failed imports');
    assert((await readBackHash(p)) === docHash, 'the document after failed imports');
    await ok(p, 'lock');
  } finally {
    await fresh.close();
  }
});

await check('the_apps_backup_opens_in_vault_import_and_a_vault_export_replaces_the_app_vault', async () => {
  const appBackup = path.join(WORK, 'app.backup');
  const cliDir = path.join(WORK, 'cli-vault');
  cli(cliDir, PASSPHRASE, ['import', appBackup]);
  assert(cli(cliDir, PASSPHRASE, ['id']).trim() === survivorId, 'vault id after vault import');
  assert(cli(cliDir, PASSPHRASE, ['get', FIELD]).replace(/\n$/, '') === VALUE, 'vault get after vault import');
  assert(cli(cliDir, PASSPHRASE, ['get', OTHER_FIELD]).replace(/\n$/, '') === OTHER_VALUE, 'vault get');
  const out = path.join(WORK, 'cli-doc');
  cli(cliDir, PASSPHRASE, ['get', DOC_FIELD, '--out', out]);
  assert(sha256(fs.readFileSync(out)) === docHash, 'vault get of the document after vault import differs');
  fs.rmSync(out);

  // The command line's own vault, exported, replaces the app's (asked).
  const ownDir = path.join(WORK, 'cli-own');
  const ownPass = 'command line passphrase: copper meadow';
  cli(ownDir, ownPass, ['init']);
  const ownId = cli(ownDir, ownPass, ['id']).trim();
  cli(ownDir, ownPass, ['put', 'needs.fromcli', 'Quokka from the command line']);
  const small = path.join(WORK, 'small.txt');
  fs.writeFileSync(small, 'a small document from the command line');
  cli(ownDir, ownPass, ['put', 'documents.small', '--file', small]);
  const cliBackup = path.join(WORK, 'cli.backup');
  cli(ownDir, ownPass, ['export', '--out', cliBackup]);

  const fresh = await launchProfile(freshProfile);
  try {
    const p = fresh.pages()[0] || (await fresh.newPage());
    await install(p);
    assert((await ok(p, 'start', { lang: 'en' })).exists === true, 'the restored vault is there');
    // Replaced while it is open: the new vault is the open one.
    await ok(p, 'unlock', { passphrase: PASSPHRASE });
    const a = await importInto(p, fs.readFileSync(cliBackup), ownPass, true);
    assert(a.ok, `importBackup of vault export: ${JSON.stringify(a.problem)}`);
    assert(a.value.id === ownId && a.value.documents === 1 && a.value.records === 1, `imported ${JSON.stringify(a.value)}`);
    const got = await texts(p);
    assert(JSON.stringify(got) === JSON.stringify({ 'needs.fromcli': 'Quokka from the command line' }), `texts ${JSON.stringify(got)}`);
    const doc = await p.evaluate(async () => {
      const r = await window.__call('readDocument', { path: 'documents.small' });
      return r.ok ? r.value.blob.text() : JSON.stringify(r.problem);
    });
    assert(doc === 'a small document from the command line', `document ${doc}`);
    // The old vault's document file is gone; only the new one and the spare.
    const files = await docsState(p);
    assert(Object.keys(files).filter((n) => /^[0-9a-f]{32}$/.test(n)).length === 1, `files ${JSON.stringify(files)}`);
    await ok(p, 'lock');
    await refused(p, 'unlock', { passphrase: PASSPHRASE }, 'wrong_passphrase');
    await ok(p, 'unlock', { passphrase: ownPass });
    await ok(p, 'lock');

    // A crash after an import's commit, before its file was moved: the
    // document is still in `import`, `files` says where it goes, and an
    // old file of that name is in `docs`. The next start finishes it.
    const name = Object.keys(files).find((n) => /^[0-9a-f]{32}$/.test(n));
    await p.evaluate(async (n) => {
      const root = await navigator.storage.getDirectory();
      const docs = await root.getDirectoryHandle('docs');
      const bytes = await (await (await docs.getFileHandle(n)).getFile()).arrayBuffer();
      const dir = await root.getDirectoryHandle('import', { create: true });
      let w = await (await dir.getFileHandle(n, { create: true })).createWritable();
      await w.write(bytes);
      await w.close();
      w = await (await docs.getFileHandle(n)).createWritable();
      await w.write(new Uint8Array(100).fill(9));
      await w.close();
      const db = await new Promise((resolve, reject) => {
        const r = indexedDB.open('folio');
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      await new Promise((resolve, reject) => {
        const tx = db.transaction(['files'], 'readwrite');
        tx.objectStore('files').put({ replace: n }, `import/${n}`);
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    }, name);
    await p.reload();
    await install(p);
    await ok(p, 'start', { lang: 'en' });
    const after = await docsState(p);
    assert(after[name] === files[name], `the move was not finished: ${JSON.stringify(after)}`);
    const rootNames = async () =>
      p.evaluate(async () => {
        const names = [];
        for await (const n of (await navigator.storage.getDirectory()).keys()) {
          names.push(n);
        }
        return names.sort();
      });
    assert(JSON.stringify(await rootNames()) === JSON.stringify(['docs']), `left: ${await rootNames()}`);

    // A crash before an import's commit leaves `import` with no entry in
    // `files`: it is thrown away when the vault is next opened, and the
    // vault is as it was.
    await p.evaluate(async () => {
      const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('import', { create: true });
      const w = await (await dir.getFileHandle('staging', { create: true })).createWritable();
      await w.write(new Uint8Array(1000).fill(7));
      await w.close();
    });
    await ok(p, 'unlock', { passphrase: ownPass });
    assert(JSON.stringify(await rootNames()) === JSON.stringify(['docs']), `left: ${await rootNames()}`);
    const again = await p.evaluate(async () => {
      const r = await window.__call('readDocument', { path: 'documents.small' });
      return r.ok ? r.value.blob.text() : JSON.stringify(r.problem);
    });
    assert(again === 'a small document from the command line', `document after the crashes ${again}`);
    await ok(p, 'lock');
  } finally {
    await fresh.close();
  }
});

await context.close();
await agencyBrowser.close();

await check('the_profile_holds_no_value_field_name_purpose_or_passphrase_in_plain_text', async () => {
  const secrets = [VALUE, OTHER_VALUE, FIELD, OTHER_FIELD, DOC_FIELD, PURPOSE, PASSPHRASE];
  const needles = secrets.flatMap((s) => [
    { s, enc: 'utf-8', bytes: Buffer.from(s, 'utf8') },
    { s, enc: 'utf-16', bytes: Buffer.from(s, 'utf16le') },
  ]);
  const found = [];
  let files = 0;
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        walk(p);
      } else if (e.isFile()) {
        files += 1;
        const bytes = fs.readFileSync(p);
        for (const n of needles) {
          if (bytes.includes(n.bytes)) {
            found.push(`${path.relative(profile, p)}: ${n.s} (${n.enc})`);
          }
        }
      }
    }
  };
  walk(profile);
  if (fs.existsSync(freshProfile)) {
    walk(freshProfile);
  }
  assert(files > 10, `only ${files} files in the profile`);
  assert(found.length === 0, `found in plain text:\n${found.join('\n')}`);
});

if (fs.readFileSync(RELAY_LOG, 'utf8').match(new RegExp(`${VALUE}|${PURPOSE}|${FIELD}`))) {
  fail("the relay's log names a value, a purpose or a field");
}

console.log(failed() ? `${failed()} failed` : 'all passed');
process.exit(failed() ? 1 : 0);
