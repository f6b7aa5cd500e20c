// Loads the test module (scripts/build-web.sh --test writes it to
// target/web-test/) in Node the way the page loads web/pkg/: the
// `--target no-modules` glue defines a global `wasm_bindgen`, which is
// then given the module's bytes. Node 20, built-ins only.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import vm from 'node:vm';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function loadTestModule() {
  const dir = path.join(process.env.CARGO_TARGET_DIR || path.join(root, 'target'), 'web-test');
  let glue, wasm;
  try {
    glue = readFileSync(path.join(dir, 'vault_web.js'), 'utf8');
    wasm = readFileSync(path.join(dir, 'vault_web_bg.wasm'));
  } catch (e) {
    throw new Error(`no test module in ${dir} (${e.code}); build it with scripts/build-web.sh --test`);
  }
  // A classic script's top-level `let` is not a property of globalThis.
  vm.runInThisContext(`${glue}\nglobalThis.wasm_bindgen = wasm_bindgen;`, { filename: 'vault_web.js' });
  const bindings = globalThis.wasm_bindgen;
  bindings.initSync({ module: wasm });
  return bindings;
}
