// The page's contract (issue 11, web-api): each function of the browser
// module, in Node, on the test vectors' links and answers: the shapes of
// `Opened` and `Problem`, a refusal of the relay per kind, `needs_key`,
// `unknown` for answers outside the API, and what throws. Exits 1 on any
// difference. Node 20, built-ins only.
//
//   scripts/build-web.sh --test && node web/tests/api.mjs
import { readFileSync } from 'node:fs';
import crypto from 'node:crypto';
import path from 'node:path';
import assert from 'node:assert/strict';
import { loadTestModule, root } from './wasm-module.mjs';

const { linkInfo, redeemBody, openAnswer, unreachable, AgencyKey } = loadTestModule();

function vector(name) {
  const text = readFileSync(path.join(root, 'tests/vectors', `${name}.vec`), 'utf8');
  const lines = text.split('\n').filter((l) => l && !l.startsWith('#'));
  const all = (k) => lines.filter((l) => l.startsWith(`${k}: `)).map((l) => l.slice(k.length + 2));
  return { get: (k) => all(k)[0], all };
}
const b64 = (hex) => Buffer.from(hex, 'hex').toString('base64url');
function answerOf(v) {
  return JSON.stringify({
    token: b64(v.get('token')), share: b64(v.get('share')), receipt: b64(v.get('receipt')),
    receipt_signature: b64(v.get('receipt_signature')), relay: v.get('relay'),
  });
}
const refusal = (code) => JSON.stringify({ error: code, message: 'words of the relay' });
function isProblem(p, kind) {
  assert.equal(p.ok, false, JSON.stringify(p));
  assert.equal(p.kind, kind, JSON.stringify(p));
  for (const k of ['title', 'message', 'next']) {
    assert.equal(typeof p[k], 'string');
    assert.ok(p[k].length > 5, `${kind}.${k}`);
    assert.ok(!/survivor|trafficking|victim|withdr|revok/i.test(p[k]), `${kind}.${k}: ${p[k]}`);
  }
}
const tests = [];
const test = (name, f) => tests.push([name, f]);

test('linkInfo gives the origin and token id, never the secret', () => {
  const v = vector('link_ok_with_port');
  const info = linkInfo(v.get('link'));
  assert.deepEqual({ ...info }, { origin: v.get('origin'), tokenId: v.get('token_id') });
});

test('linkInfo and redeemBody throw bad_link on a malformed link', () => {
  for (const href of ['', 'https://relay.example.org/S', 'https://relay.example.org/S#ABC', 'http://relay.example.org/S#' + 'A'.repeat(52)]) {
    assert.throws(() => linkInfo(href), (p) => (isProblem(p, 'bad_link'), true));
    assert.throws(() => redeemBody(href, undefined, 1), (p) => (isProblem(p, 'bad_link'), true));
    isProblem(openAnswer(href, 200, '{}', undefined, 1), 'bad_link');
  }
});

test('openAnswer opens a genuine answer: every field of Opened', () => {
  const v = vector('open_ok_text_and_document');
  const key = AgencyKey.fromSeed(Buffer.from(crypto.hkdfSync('sha256', crypto.createHash('sha256').update('survivor-vault test vectors v1').digest(), Buffer.alloc(0), 'vector/agency/A', 32)));
  try {
    assert.equal(key.id(), v.get('presenter'));
    const o = openAnswer(v.get('link'), 200, answerOf(v), key, Number(v.get('now')));
    assert.equal(o.ok, true, JSON.stringify(o));
    assert.match(o.from, /^survivor1/);
    assert.match(o.relay, /^relay1/);
    assert.equal(o.relay, v.get('relay'));
    for (const k of ['notBefore', 'expires', 'useNumber', 'maxUses']) assert.equal(typeof o[k], 'number', k);
    assert.ok(o.useNumber >= 1 && o.useNumber <= o.maxUses);
    assert.match(o.expiresText, /^\d{1,2} [A-Z][a-z]+ \d{4}, \d\d:\d\d UTC$/);
    assert.equal(o.consentText, Buffer.from(v.get('consent_text'), 'hex').toString('utf8').trimEnd());
    assert.equal(typeof o.purpose, 'string');
    const [doc, name] = o.entries;
    assert.deepEqual([doc.field, doc.kind, doc.fileName, doc.mediaType, doc.size], ['documents.passport', 'document', 'documents.passport', 'application/octet-stream', 239]);
    assert.ok(doc.bytes instanceof Uint8Array && doc.bytes.length === 239);
    assert.deepEqual({ ...name }, { field: 'identity.name', kind: 'text', text: 'Ama Mensah' });
  } finally {
    key.free();
  }
});

test("openAnswer offers a named document under the survivor's file name and type", () => {
  const v = vector('open_ok_named_document');
  const key = AgencyKey.fromSeed(Buffer.from(crypto.hkdfSync('sha256', crypto.createHash('sha256').update('survivor-vault test vectors v1').digest(), Buffer.alloc(0), 'vector/agency/A', 32)));
  try {
    const o = openAnswer(v.get('link'), 200, answerOf(v), key, Number(v.get('now')));
    assert.equal(o.ok, true, JSON.stringify(o));
    const [doc] = o.entries;
    assert.deepEqual([doc.field, doc.kind, doc.fileName, doc.mediaType, doc.size], ['documents.passport', 'document', 'Pasaporte de María.pdf', 'application/pdf', 239]);
  } finally {
    key.free();
  }
});

test('openAnswer gives each refusal of the relay its own problem', () => {
  const v = vector('open_ok_anyone');
  for (const [status, code] of [[410, 'revoked'], [410, 'expired'], [410, 'used_up'], [403, 'not_yet_valid'], [404, 'not_found'], [429, 'rate_limited'], [503, 'busy']]) {
    isProblem(openAnswer(v.get('link'), status, refusal(code), undefined, 1), code);
  }
  // The page's words for a withdrawn code say only that it can no longer be used.
  assert.equal(openAnswer(v.get('link'), 410, refusal('revoked'), undefined, 1).title, 'This code can no longer be used');
});

test("clock_skew says how far off this device's clock is, from the relay's time", () => {
  const v = vector('open_ok_anyone');
  const now = 1_800_000_000;
  const body = JSON.stringify({ error: 'clock_skew', message: 'words of the relay', relay_time: now - 600 });
  const p = openAnswer(v.get('link'), 403, body, undefined, now);
  isProblem(p, 'clock_skew');
  assert.match(p.message, /clock is about 10 minutes off \(ahead of the relay's time\)/);
  assert.match(p.next, /then try again/);
  const behind = openAnswer(v.get('link'), 403, JSON.stringify({ error: 'clock_skew', message: 'w', relay_time: now + 600 }), undefined, now);
  assert.match(behind.message, /about 10 minutes off \(behind/);
});

test('wrong_audience without a key is needs_key; with a key, wrong_audience', () => {
  const v = vector('open_ok_anyone');
  isProblem(openAnswer(v.get('link'), 403, refusal('wrong_audience'), undefined, 1), 'needs_key');
  const key = AgencyKey.fromSeed(Buffer.alloc(32, 9));
  try {
    isProblem(openAnswer(v.get('link'), 403, refusal('wrong_audience'), key, 1), 'wrong_audience');
  } finally {
    key.free();
  }
});

test('a changed answer is not_genuine, with the failed check as detail', () => {
  const v = vector('open_ok_anyone');
  const a = JSON.parse(answerOf(v));
  const share = Buffer.from(a.share, 'base64url');
  share[share.length - 1] ^= 1;
  a.share = share.toString('base64url');
  const p = openAnswer(v.get('link'), 200, JSON.stringify(a), undefined, Number(v.get('now')));
  isProblem(p, 'not_genuine');
  assert.equal(p.detail, 'not_signed');
  assert.equal(p.entries, undefined);
});

test('an answer outside the API, or none, is unknown', () => {
  const v = vector('open_ok_anyone');
  for (const [status, body] of [[200, '<html></html>'], [200, '{}'], [200, ''], [500, refusal('server_error')], [400, refusal('bad_request')], [502, 'Bad Gateway'], [201, answerOf(v)], [NaN, answerOf(v)], [200.5, answerOf(v)], [65736, answerOf(v)]]) {
    isProblem(openAnswer(v.get('link'), status, body, undefined, Number(v.get('now'))), 'unknown');
  }
  isProblem(unreachable(), 'unknown');
});

test('redeemBody: the token id alone without a key; a freed key is refused', () => {
  const v = vector('link_ok_https');
  assert.equal(redeemBody(v.get('link'), undefined, 5), JSON.stringify({ token_id: v.get('token_id') }));
  assert.equal(redeemBody(v.get('link'), null, 5), JSON.stringify({ token_id: v.get('token_id') }));
  const key = AgencyKey.fromSeed(Buffer.alloc(32, 9));
  const body = JSON.parse(redeemBody(v.get('link'), key, 1795000000));
  assert.deepEqual(Object.keys(body), ['token_id', 'agency', 'timestamp', 'proof']);
  assert.equal(body.agency, key.id());
  key.free();
  assert.throws(() => redeemBody(v.get('link'), key, 1), (p) => (isProblem(p, 'bad_key_file'), true));
  assert.throws(() => redeemBody(v.get('link'), { id: () => 'agency1nope' }, 1), (p) => (isProblem(p, 'bad_key_file'), true));
  isProblem(openAnswer(v.get('link'), 200, '{}', key, 1), 'bad_key_file');
});

/** The key file of docs/spec/agency-key-v1.md §8 (its passphrase: "correct horse battery staple"). */
function specKeyFile() {
  const spec = readFileSync(path.join(root, 'docs/spec/agency-key-v1.md'), 'utf8');
  const block = spec.split('<!-- vector:file -->')[1].split('```text')[1].split('```')[0];
  return Buffer.from(block.trim().split('\n').map((l) => l.trim().split(/\s+/)[0]).join(''), 'hex');
}

test('AgencyKey.load opens the spec\'s key file; its key proves a redemption', () => {
  const key = AgencyKey.load(specKeyFile(), 'correct horse battery staple');
  try {
    assert.equal(key.id(), 'agency1y4pmjtl3p923z3m2mjpknkmdmjfnvedpr9udmg2qfmssvm9f2kws5yqszr');
    const v = vector('link_ok_https');
    const body = JSON.parse(redeemBody(v.get('link'), key, 1795000000));
    assert.equal(body.agency, key.id());
    assert.equal(body.timestamp, 1795000000);
    assert.equal(Buffer.from(body.proof, 'base64url').length, 64);
  } finally {
    key.free();
  }
});

test('AgencyKey.load refuses a wrong passphrase and a file that is not a key file', () => {
  const file = specKeyFile();
  assert.throws(() => AgencyKey.load(file, 'correct horse battery stapler'), (p) => (isProblem(p, 'wrong_passphrase'), true));
  const changed = Buffer.from(file);
  changed[changed.length - 1] ^= 1;
  assert.throws(() => AgencyKey.load(changed, 'correct horse battery staple'), (p) => (isProblem(p, 'wrong_passphrase'), true));
  for (const bad of [Buffer.alloc(0), Buffer.from('not a key file at all'), file.subarray(0, 60), Buffer.concat([file, Buffer.from([0])]), Buffer.alloc(5000, 1)]) {
    assert.throws(() => AgencyKey.load(bad, 'correct horse battery staple'), (p) => (isProblem(p, 'bad_key_file'), true));
  }
});

let failed = 0;
for (const [name, f] of tests) {
  try {
    f();
  } catch (e) {
    failed++;
    console.error(`FAILED ${name}\n  ${e?.stack ?? JSON.stringify(e)}`);
  }
}
if (failed) process.exit(1);
console.log(`${tests.length} checks of the page's API: as the contract says`);
