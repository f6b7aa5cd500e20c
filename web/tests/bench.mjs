// Token check (decode + verify_strict + window + audience) in WebAssembly
// (the test module, in Node) versus native, in the same run, on the token of
// tests/vectors/token_ok_audience.vec with the same loop
// (vault_core::vectors::check_token_times). Both are built with the `wasm`
// profile, so the comparison is the target, not the optimisation. Prints
// the figures; asserts nothing about time (docs/performance.md has them).
//
//   scripts/build-web.sh --test && node web/tests/bench.mjs [TIMES]
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadTestModule, root } from './wasm-module.mjs';

const times = Number(process.argv[2] || 2000);
const text = readFileSync(path.join(root, 'tests/vectors/token_ok_audience.vec'), 'utf8');
const get = (k) => text.split('\n').find((l) => l.startsWith(`${k}: `)).slice(k.length + 2);
const token = Buffer.from(get('token'), 'hex');
const now = Number(get('now'));
const presenter = get('presenter');

const native = JSON.parse(execFileSync('cargo', [
  'run', '-q', '--locked', '--profile', 'wasm', '-p', 'vault-web', '--features', 'vectors',
  '--example', 'token_check', '--', String(times),
], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));

const { checkTokenTimes } = loadTestModule();
checkTokenTimes(token, now, presenter, Math.floor(times / 10) + 1); // warm up
const start = performance.now();
const ok = checkTokenTimes(token, now, presenter, times);
const ms = performance.now() - start;
if (ok !== times) {
  console.error(`only ${ok} of ${times} checks in wasm accepted the token`);
  process.exit(1);
}
const wasmUs = (ms * 1000) / times;
console.log(`token check, ${times} times (Node ${process.version}, ${process.arch}):`);
console.log(`  native: ${native.per_check_us.toFixed(1)} µs per check`);
console.log(`  wasm:   ${wasmUs.toFixed(1)} µs per check (${(wasmUs / native.per_check_us).toFixed(2)}× native)`);
