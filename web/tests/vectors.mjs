// The browser module gives the same result as vault-core on every test
// vector (issue 11): runs each tests/vectors/*.vec through the WebAssembly
// build of vault-core's own runner (`checkVector`), then opens every `open`
// vector's answer through the page's API (`openAnswer`, as JSON the way the
// relay sends it) and checks `redeemBody` against the relay API's proof
// rule with Node's own Ed25519. Exits 1 on any mismatch.
//
//   scripts/build-web.sh --test && node web/tests/vectors.mjs
import { readFileSync, readdirSync } from 'node:fs';
import crypto from 'node:crypto';
import path from 'node:path';
import { loadTestModule, root } from './wasm-module.mjs';

const { checkVector, openAnswer, redeemBody, AgencyKey } = loadTestModule();
const dir = path.join(root, 'tests', 'vectors');
const files = readdirSync(dir).filter((f) => f.endsWith('.vec')).sort();
const failures = [];
const fail = (name, why) => failures.push(`${name}.vec: ${why}`);

/** A vector's `key: value` lines (comments dropped), as [key, value] pairs. */
function fields(text) {
  return text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => {
    const at = l.indexOf(': ');
    return [l.slice(0, at), l.slice(at + 2)];
  });
}

// The agencies the generator (vault-core/examples/gen_vectors.rs) makes:
// seed = HKDF-SHA256(SHA-256("survivor-vault test vectors v1"), info "vector/agency/<label>").
const root32 = crypto.createHash('sha256').update('survivor-vault test vectors v1').digest();
const keys = new Map();
const seeds = new Map();
for (const label of ['A', 'B']) {
  const seed = Buffer.from(crypto.hkdfSync('sha256', root32, Buffer.alloc(0), `vector/agency/${label}`, 32));
  const key = AgencyKey.fromSeed(seed);
  keys.set(key.id(), key);
  seeds.set(key.id(), seed);
}

/** Node's Ed25519 public key for an agency seed (PKCS#8 wrapping of the seed). */
function publicKeyOf(seed) {
  const pkcs8 = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  return crypto.createPublicKey(crypto.createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }));
}

const b64 = (hex) => Buffer.from(hex, 'hex').toString('base64url');
let opened = 0;

for (const file of files) {
  const name = file.slice(0, -'.vec'.length);
  const text = readFileSync(path.join(dir, file), 'utf8');
  // 1. vault-core's runner, compiled to WebAssembly.
  const diff = checkVector(name, text);
  if (diff !== undefined) fail(name, diff);

  const f = fields(text);
  const get = (k) => f.find(([key]) => key === k)?.[1];
  if (get('kind') !== 'open') continue;
  // 2. The page's API on the same answer, as the relay sends it.
  const presenter = get('presenter');
  const key = presenter === 'none' ? undefined : keys.get(presenter);
  if (presenter !== 'none' && !key) {
    fail(name, `no key for the presenter ${presenter}`);
    continue;
  }
  const now = Number(get('now'));
  const link = get('link');
  const body = JSON.stringify({
    token: b64(get('token')),
    share: b64(get('share')),
    receipt: b64(get('receipt')),
    receipt_signature: b64(get('receipt_signature')),
    relay: get('relay'),
  });
  const got = openAnswer(link, 200, body, key, now);
  const expect = get('expect');
  opened++;
  if (expect === 'ok') {
    if (!got.ok) {
      fail(name, `openAnswer refused it: ${got.kind} (${got.detail})`);
      continue;
    }
    const want = f.filter(([k]) => k === 'entry').map(([, v]) => v.split(' '));
    const same = got.entries.length === want.length && got.entries.every((e, i) => {
      const [field, kind, len, hex, nameHex, mediaType] = want[i];
      const bytes = Buffer.from(hex === '-' ? '' : hex, 'hex');
      if (e.field !== field) return false;
      if (kind === 'document') {
        return e.kind === 'document' && e.fileName === field && e.mediaType === 'application/octet-stream'
          && e.size === Number(len) && Buffer.from(e.bytes).equals(bytes);
      }
      // A named document: offered under its name (the vectors' names are
      // already safe file names) and a harmless type (the vectors' is PDF).
      if (kind === 'named_document') {
        return e.kind === 'document' && e.fileName === Buffer.from(nameHex, 'hex').toString('utf8')
          && e.mediaType === mediaType && e.size === Number(len) && Buffer.from(e.bytes).equals(bytes);
      }
      if (e.kind !== kind) return false;
      // Texts are shown with hidden characters made visible: compare
      // those that have none.
      const plain = bytes.toString('utf8');
      return /[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/.test(plain) || e.text === plain;
    });
    if (!same) fail(name, `openAnswer's entries differ: ${JSON.stringify(got.entries.map((e) => [e.field, e.kind, e.size ?? e.text, e.fileName, e.mediaType]))}`);
  } else if (got.ok || got.kind !== 'not_genuine' || got.detail !== expect) {
    fail(name, `openAnswer gave ${got.ok ? 'ok' : `${got.kind} (${got.detail})`}, expected not_genuine (${expect})`);
  }

  // 3. redeemBody: the token id, and with a key the agency's proof over
  // "survivor-vault/v1/redeem\0" ‖ origin ‖ 0x00 ‖ token id ‖ be64(now).
  const req = JSON.parse(redeemBody(link, key, now));
  const secret = link.slice(link.indexOf('#') + 1);
  if (JSON.stringify(req).toUpperCase().includes(secret.toUpperCase())) fail(name, 'the request holds the secret');
  if (!key) {
    if (Object.keys(req).join() !== 'token_id') fail(name, `anyone's request is ${JSON.stringify(req)}`);
    continue;
  }
  const origin = link.slice(0, link.indexOf('/S#')).toLowerCase();
  const ts = Buffer.alloc(8);
  ts.writeBigUInt64BE(BigInt(now));
  const message = Buffer.concat([
    Buffer.from('survivor-vault/v1/redeem\0'), Buffer.from(origin), Buffer.from([0]),
    Buffer.from(req.token_id, 'hex'), ts,
  ]);
  const proofOk = crypto.verify(null, message, publicKeyOf(seeds.get(presenter)), Buffer.from(req.proof, 'base64url'));
  if (req.agency !== presenter || req.timestamp !== now || !proofOk) {
    fail(name, `redeemBody's proof does not verify: ${JSON.stringify(req)}`);
  }
}

for (const key of keys.values()) key.free();
if (failures.length) {
  console.error(`${failures.length} of ${files.length} vectors differ between the browser module and vault-core:\n${failures.join('\n')}`);
  process.exit(1);
}
console.log(`${files.length} vectors: same result as vault-core (${opened} answers also opened through openAnswer)`);
