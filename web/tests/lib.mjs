// What the browser tests share: the Chromium they launch, reading the
// environment their script sets, a tiny runner (check / assert / includes),
// a time limit on a promise, axe-core in the page, and the Worker's message
// protocol from a page of the relay. Each test file keeps its own cases.

import { chromium } from 'playwright-core';
import fs from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const env = process.env;
export const CHROMIUM = env.CHROMIUM || '/usr/bin/chromium';
export const LAUNCH_ARGS = [
  '--no-sandbox',
  '--headless=new',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
export const PHONE = { width: 390, height: 844 };
// The relay's Content-Security-Policy, on every answer.
export const CSP =
  "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' blob:; connect-src 'self'; worker-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

// Chromium with the shared arguments (and `extraArgs`).
export function launchBrowser(extraArgs = []) {
  return chromium.launch({ executablePath: CHROMIUM, args: [...LAUNCH_ARGS, ...extraArgs] });
}

// Chromium with a profile folder `dir` of its own (kept across pages and
// restarts), at phone size; `options` adds to playwright's.
export function launchProfile(dir, { extraArgs = [], ...options } = {}) {
  return chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    args: [...LAUNCH_ARGS, ...extraArgs],
    viewport: PHONE,
    ...options,
  });
}

// Collects the page's Content-Security-Policy violations into `problems`.
export async function watchCsp(context, problems) {
  await context.exposeBinding('__reportCspViolation', (_source, v) => {
    problems.push(`CSP violation: ${v}`);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__reportCspViolation(`${e.violatedDirective} blocked ${e.blockedURI}`);
    });
  });
}

// `need(name)`: the environment variable `name`, or exit 2 saying which
// script sets it.
export function needer(file, script) {
  return (name) => {
    const v = env[name];
    if (!v) {
      console.error(`${file}: ${name} is not set (run ${script})`);
      process.exit(2);
    }
    return v;
  };
}

// ---------------------------------------------------------------------
// A tiny runner

// `check(name, fn)` runs one case and prints ok/FAIL (with its time unless
// `timed` is false, and what was pushed to `consoleLines` since, on a
// failure); `fail(message)` counts a failure found outside a case;
// `failed()` is the number so far.
export function runner({ timed = true } = {}) {
  let failures = 0;
  const consoleLines = [];
  async function check(name, fn) {
    const started = Date.now();
    try {
      await fn();
      const took = timed ? ` (${((Date.now() - started) / 1000).toFixed(1)} s)` : '';
      console.log(`ok   ${name}${took}`);
    } catch (e) {
      failures += 1;
      console.log(`FAIL ${name}\n     ${String(e && e.stack ? e.stack : e).replace(/\n/g, '\n     ')}`);
      if (consoleLines.length) {
        console.log(`     console:\n     ${consoleLines.splice(0).join('\n     ')}`);
      }
    }
  }
  function fail(message) {
    failures += 1;
    console.log(`FAIL ${message}`);
  }
  return { check, fail, failed: () => failures, consoleLines };
}

export function assert(cond, message) {
  if (!cond) {
    throw new Error(message);
  }
}

export function includes(haystack, needle, what) {
  assert(
    String(haystack).includes(needle),
    `${what}: expected to find ${JSON.stringify(needle)} in:\n${haystack}`
  );
}

// `promise`, or a failure after `ms`: nothing here may hang.
export function within(ms, what, promise) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------------
// axe-core

let axeSource;

// axe-core in the page itself, through the DevTools protocol (the page's
// CSP does not apply to it), on what is shown now: nothing serious or
// critical; minor findings are printed. `limit` (ms) bounds the run.
export async function axe(page, label, limit = 120_000) {
  axeSource ??= fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  const cdp = await page.context().newCDPSession(page);
  try {
    const loaded = await cdp.send('Runtime.evaluate', { expression: axeSource });
    assert(!loaded.exceptionDetails, `axe-core did not load: ${JSON.stringify(loaded.exceptionDetails)}`);
    const res = await within(limit, `axe-core (${label})`, cdp.send('Runtime.evaluate', {
      expression: `axe.run(document, { resultTypes: ['violations'] }).then((r) => JSON.stringify(r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) }))))`,
      awaitPromise: true,
      returnByValue: true,
    }));
    assert(!res.exceptionDetails, `axe-core failed: ${JSON.stringify(res.exceptionDetails)}`);
    const violations = JSON.parse(res.result.value);
    const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert(bad.length === 0, `axe-core (${label}): ${JSON.stringify(bad, null, 1)}`);
    const minor = violations.filter((v) => !bad.includes(v));
    if (minor.length > 0) {
      console.log(`     axe-core (${label}), minor: ${minor.map((v) => `${v.id} (${v.impact})`).join(', ')}`);
    }
  } finally {
    await cdp.detach();
  }
}

// ---------------------------------------------------------------------
// The app's Worker, from a page of the relay

// Starts web/app/worker.js in `page` (a page of the relay at `relay`, not
// the app's: the app would start a Worker of its own) and a
// `__call(op, args)` that posts one message and resolves with the Worker's
// answer (docs/app-worker.md).
export async function installWorker(page, relay) {
  await page.goto(`${relay}/`);
  await page.evaluate(() => {
    const worker = new Worker('/app/worker.js', { type: 'module' });
    const waiting = new Map();
    let next = 0;
    // A Worker that fails to start or throws answers every call with it.
    worker.onerror = (e) => {
      for (const done of waiting.values()) {
        done({ ok: false, problem: { kind: 'worker_error', message: String(e.message || e) } });
      }
      waiting.clear();
    };
    worker.onmessage = (e) => {
      const done = waiting.get(e.data.id);
      waiting.delete(e.data.id);
      if (done) {
        done(e.data);
      }
    };
    window.__call = (op, args) =>
      new Promise((resolve) => {
        next += 1;
        waiting.set(next, resolve);
        worker.postMessage({ id: next, op, args });
      });
  });
}
