// The survivor's app's benchmarks (issue 13), in one run, in Debian's
// Chromium against the real relay; docs/performance.md ("In the browser:
// the survivor's app") has the figures and how to read them.
//
//   1. Unlock: the Worker's `unlock` op (Argon2id in wasm, KdfParams::DEFAULT)
//      against `vault ls` (the native CLI opening a vault with the same
//      parameters), interleaved, median of RUNS each, and the ratio.
//   2. App size: every file /app/ loads, as the relay serves it, raw and
//      gzip -9, against the 400 KB gzip budget; checked against what a
//      fresh load really requests.
//   3. Time to interactive on loopback: navigation to the first screen
//      usable (#s-first or #s-unlock shown, its input enabled), median of
//      LOADS fresh loads: with no service worker; with the service worker
//      installed and the relay up; with the relay stopped (the service
//      worker's copy).
//   4. Memory with a DOC_MIB MiB document stored and read back: the
//      Worker's wasm memory (the module's `memory` export, read in the
//      Worker) and the RSS of the browser's processes (/proc), before,
//      during (peak: VmHWM after a reset, and samples) and after.
//
// Prints the figures; asserts only that every step worked (the document
// read back equal), never anything about time or memory.
//
// Driven by scripts/bench-app.sh, which builds the binaries, starts
// `vault-server` on a free loopback port and passes here (environment):
//   RELAY_URL   the relay's origin, like http://127.0.0.1:40123
//   RELAY_PID   its process id (stopped here, last, for the offline loads)
//   VAULT_BIN   the `vault` binary
//   WORK        a temporary folder (profiles, the document, the CLI's vault)
//   CHROMIUM    the browser (default /usr/bin/chromium)
//   RUNS        unlocks timed in each (default 5)
//   LOADS       page loads timed in each case (default 8)
//   DOC_MIB     the document's size in MiB (default 100)

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';

import { CHROMIUM, PHONE, assert, env, installWorker, launchBrowser, launchProfile, needer, within } from './lib.mjs';

const need = needer('app-bench.mjs', 'scripts/bench-app.sh');
const RELAY = need('RELAY_URL');
const RELAY_PID = Number(need('RELAY_PID'));
const VAULT_BIN = need('VAULT_BIN');
const WORK = need('WORK');
const RUNS = Number(env.RUNS || 5);
const LOADS = Number(env.LOADS || 8);
const DOC_MIB = Number(env.DOC_MIB || 100);

const LIMIT = 300_000;
const PASSPHRASE = 'bench passphrase: cobalt meadow lantern';

// Every file the app loads (web/app/sw.js keeps the same list, plus sw.js).
const APP_FILES = [
  '/app/',
  '/app/app.js',
  '/app/app.css',
  '/app/worker.js',
  '/app/sw.js',
  '/app/manifest.webmanifest',
  '/app/icon.svg',
  '/app/icon-192.png',
  '/app/icon-512.png',
  '/web/pkg/folio_app.js',
  '/web/pkg/folio_app_bg.wasm',
];
const BUDGET_GZIP = 400_000;

// ---------------------------------------------------------------------
// Helpers

const fmt = (n) => Math.round(n).toLocaleString('en-GB');
const ms = (n) => `${Math.round(n)} ms`;
const mib = (bytes) => `${(bytes / 1048576).toFixed(1)} MiB`;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const spread = (xs) =>
  `median ${ms(median(xs))}, min ${ms(Math.min(...xs))}, max ${ms(Math.max(...xs))} (${xs.map((x) => Math.round(x)).join(', ')})`;
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');

// The Worker in a page of the relay (lib.mjs, as in app-worker.mjs).
function install(page) {
  return installWorker(page, RELAY);
}

// Calls `op` and gives { value, ms } (the time as the page sees it).
async function timedCall(page, op, args = {}) {
  const a = await within(
    LIMIT,
    op,
    page.evaluate(async ([o, x]) => {
      const t0 = performance.now();
      const r = await window.__call(o, x);
      return { r, ms: performance.now() - t0 };
    }, [op, args])
  );
  assert(a.r.ok, `${op} failed: ${JSON.stringify(a.r.problem)}`);
  return { value: a.r.value, ms: a.ms };
}

// ---- processes and memory ----------------------------------------------

function procStatus(pid) {
  try {
    const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => {
      const m = text.match(new RegExp(`^${k}:\\s+(\\d+) kB`, 'm'));
      return m ? Number(m[1]) * 1024 : 0;
    };
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch (e) {
    return null;
  }
}

// Chromium's child processes rewrite their command line as one string
// with spaces (their process title): split on both.
function cmdline(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(/[\0 ]/);
  } catch (e) {
    return [];
  }
}

function ppid(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch (e) {
    return -1;
  }
}

// The browser process using `profile`, and every process under it, by
// role: { browser: [pid], renderer: [..], gpu-process: [..], ... }.
function browserProcesses(profile) {
  const pids = fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number);
  const main = pids.find((p) => {
    const c = cmdline(p);
    return c.includes(`--user-data-dir=${profile}`) && !c.some((a) => a.startsWith('--type='));
  });
  assert(main, `no browser process with the profile ${profile}`);
  const parents = new Map(pids.map((p) => [p, ppid(p)]));
  const roles = { browser: [main] };
  const under = (p) => {
    for (let q = parents.get(p); q && q > 1; q = parents.get(q)) {
      if (q === main) {
        return true;
      }
    }
    return false;
  };
  for (const p of pids) {
    if (p !== main && under(p)) {
      const type = (cmdline(p).find((a) => a.startsWith('--type=')) || '--type=other').slice(7);
      const role = type === 'utility' || type === 'zygote' || type === 'other' ? 'other' : type;
      (roles[role] = roles[role] || []).push(p);
    }
  }
  return roles;
}

// Starts a new peak (VmHWM) at the current RSS for each process.
function resetPeaks(roles) {
  for (const p of Object.values(roles).flat()) {
    try {
      fs.writeFileSync(`/proc/${p}/clear_refs`, '5');
    } catch (e) {
      // Gone, or not ours: its peak is since it started.
    }
  }
}

// { role: { rss, hwm } } summed over the role's processes.
function memory(roles) {
  const out = {};
  for (const [role, ps] of Object.entries(roles)) {
    out[role] = { rss: 0, hwm: 0 };
    for (const p of ps) {
      const s = procStatus(p);
      if (s) {
        out[role].rss += s.rss;
        out[role].hwm += s.hwm;
      }
    }
  }
  return out;
}

// Samples the RSS of each role every 100 ms until stopped; the largest seen.
function sampler(roles) {
  const max = {};
  const tick = () => {
    for (const [role, m] of Object.entries(memory(roles))) {
      max[role] = Math.max(max[role] || 0, m.rss);
    }
  };
  tick();
  const timer = setInterval(tick, 100);
  return () => {
    clearInterval(timer);
    tick();
    return max;
  };
}

// The Worker's wasm memory: the module's `memory` export, read in the
// Worker (the same module instance the Worker imported).
async function wasmBytes(page) {
  const w = page.workers().find((x) => x.url().endsWith('/app/worker.js'));
  assert(w, 'the Worker is not there');
  return w.evaluate(async () => {
    const m = await import('/web/pkg/folio_app.js');
    return (await m.default()).memory.buffer.byteLength;
  });
}

// Where an operation's time goes: the Worker's `folioHost` functions (the
// module calls them for every chunk) are wrapped, from here, to add up the
// time spent in each; the rest is the module (crypto, copies) and glue.
async function hostWatch(page) {
  const w = page.workers().find((x) => x.url().endsWith('/app/worker.js'));
  await w.evaluate(() => {
    if (self.__spent) {
      return;
    }
    self.__spent = {};
    const host = self.folioHost;
    for (const name of Object.keys(host)) {
      const f = host[name];
      host[name] = function (...args) {
        const t0 = performance.now();
        try {
          return f.apply(this, args);
        } finally {
          const s = self.__spent[name] || (self.__spent[name] = { ms: 0, calls: 0 });
          s.ms += performance.now() - t0;
          s.calls += 1;
        }
      };
    }
  });
  return {
    reset: () => w.evaluate(() => {
      self.__spent = {};
    }),
    report: async (total) => {
      const spent = await w.evaluate(() => self.__spent);
      const parts = Object.entries(spent)
        .sort((a, b) => b[1].ms - a[1].ms)
        .map(([k, v]) => `${k} ${ms(v.ms)} (${v.calls} calls)`);
      const host = Object.values(spent).reduce((a, v) => a + v.ms, 0);
      return `${parts.join(', ')}; the rest (module and glue) ${ms(total - host)}`;
    },
  };
}

async function collectGarbage(page) {
  // The service worker too (the pieces of a streamed download pass there).
  for (const w of [...page.workers(), ...page.context().serviceWorkers()]) {
    await w.evaluate(() => (typeof gc === 'function' ? gc() : undefined));
  }
  await page.evaluate(() => (typeof gc === 'function' ? gc() : undefined));
  await new Promise((r) => setTimeout(r, 1000));
}

// ---------------------------------------------------------------------
// The run

const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch (e) {
    return 'unknown';
  }
})();
const browserVersion = execFileSync(CHROMIUM, ['--version'], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'ignore'],
}).trim();
console.log(`date ${new Date().toISOString()}, commit ${commit}, ${browserVersion}, Node ${process.version}`);
console.log(`machine: ${os.cpus().length} cores (${os.cpus()[0].model}), ${mib(os.totalmem())} RAM`);
console.log(`load average at the start: ${load()}`);

// ---- 1. app size ---------------------------------------------------------

console.log('\n== app size (as the relay serves it; gzip -9) ==');
let rawTotal = 0;
let gzTotal = 0;
for (const f of APP_FILES) {
  const answer = await fetch(RELAY + f);
  assert(answer.ok, `GET ${f}: ${answer.status}`);
  const body = Buffer.from(await answer.arrayBuffer());
  const gz = execFileSync('gzip', ['-9', '-c', '-n'], { input: body, maxBuffer: 64 << 20 }).length;
  rawTotal += body.length;
  gzTotal += gz;
  console.log(`| \`${f}\` | ${fmt(body.length)} | ${fmt(gz)} |`);
}
console.log(`| **total** | **${fmt(rawTotal)}** | **${fmt(gzTotal)}** |`);
console.log(
  `budget 400 KB gzip: ${gzTotal <= BUDGET_GZIP ? 'within' : 'OVER'} (${fmt(gzTotal)} of ${fmt(BUDGET_GZIP)}, ${fmt(BUDGET_GZIP - gzTotal)} left)`
);

// ---- 2. unlock, Worker against the CLI -----------------------------------

console.log('\n== unlock: Argon2id (KdfParams::DEFAULT) in the Worker against `vault ls` ==');
const profile = path.join(WORK, 'profile');
const context = await launchProfile(profile, { extraArgs: ['--js-flags=--expose-gc'], acceptDownloads: true });
const page = context.pages()[0] || (await context.newPage());
await install(page);
await timedCall(page, 'start', { lang: 'en' });
const created = await timedCall(page, 'create', { passphrase: PASSPHRASE });
await timedCall(page, 'lock');

const pass = path.join(WORK, 'passphrase');
fs.writeFileSync(pass, `${PASSPHRASE}\n`, { mode: 0o600 });
const nativeVault = path.join(WORK, 'native');
const cli = (args) => {
  const t0 = performance.now();
  execFileSync(VAULT_BIN, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: LIMIT });
  return performance.now() - t0;
};
const nativeInit = cli(['--vault', nativeVault, '--passphrase-file', pass, 'init']);
console.log(`create once: Worker ${ms(created.ms)}, \`vault init\` ${ms(nativeInit)}`);

const wasmUnlock = [];
const nativeOpen = [];
const processOnly = [];
for (let i = 0; i < RUNS; i++) {
  wasmUnlock.push((await timedCall(page, 'unlock', { passphrase: PASSPHRASE })).ms);
  await timedCall(page, 'lock');
  nativeOpen.push(cli(['--vault', nativeVault, '--passphrase-file', pass, 'ls']));
  processOnly.push(cli(['--version']));
}
console.log(`Worker \`unlock\` (page to page): ${spread(wasmUnlock)}`);
console.log(`\`vault ls\` (whole process):     ${spread(nativeOpen)}`);
console.log(`\`vault --version\` (start-up):   ${spread(processOnly)}`);
console.log(
  `ratio of medians: ${(median(wasmUnlock) / median(nativeOpen)).toFixed(2)}× ` +
    `(${(median(wasmUnlock) / (median(nativeOpen) - median(processOnly))).toFixed(2)}× without the CLI's start-up)`
);

// ---- 3. memory with a large document -------------------------------------

console.log(`\n== memory: a ${DOC_MIB} MiB document stored and read back ==`);
const docPath = path.join(WORK, 'document.bin');
{
  const fd = fs.openSync(docPath, 'w', 0o600);
  for (let i = 0; i < DOC_MIB; i++) {
    fs.writeSync(fd, crypto.randomBytes(1 << 20));
  }
  fs.closeSync(fd);
}
await timedCall(page, 'unlock', { passphrase: PASSPHRASE });
const roles = browserProcesses(profile);
// The page and its Worker share one renderer: the largest (it holds the
// Worker's wasm memory); the others are counted apart.
{
  const rs = (roles.renderer || []).map((p) => [p, procStatus(p).rss]).sort((a, b) => b[1] - a[1]);
  assert(rs.length, 'no renderer process');
  roles.renderer = [rs[0][0]];
  roles.others = [...rs.slice(1).map((x) => x[0]), ...(roles.other || []), ...(roles['gpu-process'] || [])];
  delete roles.other;
  delete roles['gpu-process'];
  console.log(`the page's renderer ${rs[0][0]} (${mib(rs[0][1])}), other renderers ${rs.slice(1).map((x) => `${x[0]} (${mib(x[1])})`).join(', ') || 'none'}`);
}
// A file picked in a file input, as a person would: the File is backed by
// the file on disk, not by memory.
await page.evaluate(() => {
  const input = document.createElement('input');
  input.type = 'file';
  input.id = 'bench-file';
  document.body.append(input);
});
await page.setInputFiles('#bench-file', docPath);

// What the browser wrote to the profile's blob storage on disk (Chromium
// pages large Blobs there): total bytes of its files.
function blobStorageBytes() {
  let total = 0;
  const walk = (dir) => {
    let entries = [];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (_) {
      return;
    }
    for (const e of entries) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        walk(p);
      } else if (e.isFile()) {
        total += fs.statSync(p).size;
      }
    }
  };
  walk(path.join(profile, 'Default', 'blob_storage'));
  return total;
}
const onDisk = [];

const rows = [];
function row(phase, m, wasm, sampled, secs) {
  const r = (role) => (m[role] ? m[role] : { rss: 0, hwm: 0 });
  rows.push(
    `| ${phase} | ${mib(wasm)} | ${mib(r('renderer').rss)} | ${mib(r('renderer').hwm)}` +
      `${sampled ? ` (${mib(sampled.renderer || 0)})` : ''} | ${mib(r('browser').rss)} | ${mib(r('browser').hwm)}` +
      `${sampled ? ` (${mib(sampled.browser || 0)})` : ''} | ${mib(r('others').rss)} | ${secs === undefined ? '' : `${secs.toFixed(1)} s`} |`
  );
}
await collectGarbage(page);
row('unlocked, before', memory(roles), await wasmBytes(page));

const watch = await hostWatch(page);
const spent = [];
resetPeaks(roles);
let stop = sampler(roles);
const put = await within(
  LIMIT,
  'putDocument',
  page.evaluate(async () => {
    const file = document.getElementById('bench-file').files[0];
    const t0 = performance.now();
    const r = await window.__call('putDocument', { path: 'documents.bench', file });
    return { r, ms: performance.now() - t0 };
  })
);
let sampled = stop();
assert(put.r.ok, `putDocument failed: ${JSON.stringify(put.r.problem)}`);
row('`putDocument` (peak)', memory(roles), await wasmBytes(page), sampled, put.ms / 1000);
spent.push(`putDocument ${ms(put.ms)}: ${await watch.report(put.ms)}`);
await watch.reset();

resetPeaks(roles);
stop = sampler(roles);
const read = await within(
  LIMIT,
  'readDocument',
  page.evaluate(async () => {
    const t0 = performance.now();
    const r = await window.__call('readDocument', { path: 'documents.bench' });
    if (r.ok) {
      window.__blob = r.value.blob;
      r.value = { size: r.value.blob.size };
    }
    return { r, ms: performance.now() - t0 };
  })
);
sampled = stop();
assert(read.r.ok, `readDocument failed: ${JSON.stringify(read.r.problem)}`);
assert(read.r.value.size === DOC_MIB << 20, `read back ${read.r.value.size} bytes`);
row('`readDocument` (peak)', memory(roles), await wasmBytes(page), sampled, read.ms / 1000);
onDisk.push(`blob storage on disk while the page holds the document's Blob: ${mib(blobStorageBytes())}`);
spent.push(`readDocument ${ms(read.ms)}: ${await watch.report(read.ms)}`);

// The Blob against the file, 1 MiB at a time.
resetPeaks(roles);
const equal = await within(
  LIMIT,
  'the comparison',
  page.evaluate(async () => {
    const a = window.__blob;
    const b = document.getElementById('bench-file').files[0];
    if (a.size !== b.size) {
      return false;
    }
    for (let at = 0; at < a.size; at += 1 << 20) {
      const x = new Uint8Array(await a.slice(at, at + (1 << 20)).arrayBuffer());
      const y = new Uint8Array(await b.slice(at, at + (1 << 20)).arrayBuffer());
      if (x.length !== y.length || x.some((v, i) => v !== y[i])) {
        return false;
      }
    }
    return true;
  })
);
assert(equal, 'the document read back differs from the file');
await collectGarbage(page);
row('compared with the file; Blob still held by the page', memory(roles), await wasmBytes(page));
resetPeaks(roles);
await page.evaluate(() => {
  delete window.__blob;
});
await collectGarbage(page);
row('Blob dropped, after GC', memory(roles), await wasmBytes(page));

// The same document downloaded the way the app does when its service
// worker is in charge (docs/app-worker.md, "Downloads"): the service worker
// answers a one-time /app/download/ address with a stream it pulls from
// the Worker piece by piece, and the browser saves it as a file.
await page.evaluate(async () => {
  // The bench's page is not the app's: it hands the channel's end over
  // itself, and puts the service worker in place (scope /app/).
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (m, transfer) {
    const port = m && m.args && m.args.port;
    return post.call(this, m, port instanceof MessagePort ? [port] : transfer || []);
  };
  const reg = await navigator.serviceWorker.register('/app/sw.js', { scope: '/app/' });
  const sw = reg.installing || reg.waiting || reg.active;
  if (sw.state !== 'activated') {
    await new Promise((resolve) => {
      sw.addEventListener('statechange', () => sw.state === 'activated' && resolve());
    });
  }
});
await watch.reset();
resetPeaks(roles);
stop = sampler(roles);
const streamStart = performance.now();
const offered = await within(
  LIMIT,
  'downloadBegin',
  page.evaluate(async () => {
    const channel = new MessageChannel();
    const r = await window.__call('downloadBegin', { path: 'documents.bench', port: channel.port1 });
    if (!r.ok) {
      return r;
    }
    const reg = await navigator.serviceWorker.getRegistration('/app/');
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    const id = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
    const reply = new MessageChannel();
    const ready = await new Promise((resolve) => {
      reply.port1.onmessage = (e) => resolve(Boolean(e.data && e.data.ready));
      reg.active.postMessage(
        { op: 'download', id, name: 'bench.bin', type: 'application/octet-stream', size: r.value.size, port: channel.port2, reply: reply.port2 },
        [channel.port2, reply.port2]
      );
    });
    return { ok: ready, value: { url: `/app/download/${id}` } };
  })
);
assert(offered.ok, 'the service worker did not take the download');
const [saved] = await Promise.all([
  page.waitForEvent('download', { timeout: LIMIT }),
  page.evaluate((url) => {
    const a = document.createElement('a');
    a.href = url;
    document.body.append(a);
    a.click();
    a.remove();
  }, offered.value.url),
]);
let streamedBlobStorage = 0;
const diskWatch = setInterval(() => {
  streamedBlobStorage = Math.max(streamedBlobStorage, blobStorageBytes());
}, 100);
const savedPath = await within(LIMIT, 'the streamed download', saved.path());
clearInterval(diskWatch);
const streamMs = performance.now() - streamStart;
sampled = stop();
assert(!(await saved.failure()), `the streamed download failed: ${await saved.failure()}`);
row('streamed download through the service worker (peak)', memory(roles), await wasmBytes(page), sampled, streamMs / 1000);
onDisk.push(`blob storage on disk during the streamed download (largest seen): ${mib(streamedBlobStorage)}`);
spent.push(`streamed download ${ms(streamMs)}: ${await watch.report(streamMs)}`);
{
  const hash = (f) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');
  assert(hash(savedPath) === hash(docPath), 'the streamed document differs from the file');
  await saved.delete();
}
console.log('(the streamed download saved equal to the file)');
resetPeaks(roles);
await collectGarbage(page);
row('streamed download saved, after GC', memory(roles), await wasmBytes(page));

// The backup file of the whole vault (the document and its records),
// as the page gets it to save.
await watch.reset();
resetPeaks(roles);
stop = sampler(roles);
const exported = await within(
  LIMIT,
  'exportBackup',
  page.evaluate(async () => {
    const t0 = performance.now();
    const r = await window.__call('exportBackup');
    if (r.ok) {
      window.__blob = r.value.blob;
      r.value = { size: r.value.blob.size };
    }
    return { r, ms: performance.now() - t0 };
  })
);
sampled = stop();
assert(exported.r.ok, `exportBackup failed: ${JSON.stringify(exported.r.problem)}`);
assert(exported.r.value.size > DOC_MIB << 20, `a backup of ${exported.r.value.size} bytes`);
row(`\`exportBackup\` (peak; ${mib(exported.r.value.size)})`, memory(roles), await wasmBytes(page), sampled, exported.ms / 1000);
onDisk.push(`blob storage on disk while the page holds the backup's Blob: ${mib(blobStorageBytes())}`);
spent.push(`exportBackup ${ms(exported.ms)}: ${await watch.report(exported.ms)}`);
resetPeaks(roles);
await page.evaluate(() => {
  delete window.__blob;
});
await collectGarbage(page);
row('backup Blob dropped, after GC', memory(roles), await wasmBytes(page));
resetPeaks(roles);
await timedCall(page, 'lock');
await collectGarbage(page);
row('locked', memory(roles), await wasmBytes(page));
console.log("| phase | Worker's wasm memory | page's renderer: RSS | its peak (sampled) | browser process: RSS | its peak (sampled) | other processes: RSS | time |");
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
rows.forEach((r) => console.log(r));
console.log('(the document read back equal to the file)');
onDisk.forEach((x) => console.log(x));
spent.forEach((x) => console.log(x));
await context.close();
fs.rmSync(docPath);

// ---- 4. time to interactive ------------------------------------------------

console.log(`\n== time to interactive: navigation to the first screen usable, ${LOADS} loads each ==`);

// When #s-first or #s-unlock is shown with its input enabled, the time
// since navigation started.
function watchReady() {
  const check = () => {
    if (window.__ready) {
      return;
    }
    for (const id of ['s-first', 's-unlock']) {
      const s = document.getElementById(id);
      const input = s && s.querySelector('input');
      if (s && !s.hidden && input && !input.disabled) {
        window.__ready = { screen: id, at: performance.now() };
      }
    }
  };
  new MutationObserver(check).observe(document, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ['hidden', 'disabled'],
  });
}

async function timeLoad(ctx, requested) {
  const p = await ctx.newPage();
  try {
    if (requested) {
      p.on('request', (r) => requested.add(new URL(r.url()).pathname));
    }
    await p.goto(`${RELAY}/app/`);
    await p.waitForFunction(() => window.__ready, null, { timeout: LIMIT });
    return await p.evaluate(() => ({
      ...window.__ready,
      controlled: !!(navigator.serviceWorker && navigator.serviceWorker.controller),
    }));
  } finally {
    await p.close();
  }
}

function report(label, results) {
  const screens = [...new Set(results.map((r) => r.screen))].join(', ');
  const controlled = results.filter((r) => r.controlled).length;
  console.log(`${label}: ${spread(results.map((r) => r.at))}; screen ${screens}; controlled by the service worker ${controlled}/${results.length}`);
}

const browser = await launchBrowser();
const fresh = [];
const requested = new Set();
for (let i = 0; i < LOADS; i++) {
  // As a real first visit: the page registers the service worker, which
  // fetches its copy while the page starts.
  const ctx = await browser.newContext({ viewport: PHONE });
  await ctx.addInitScript(watchReady);
  fresh.push(await timeLoad(ctx, i === 0 ? requested : null));
  await ctx.close();
}
await browser.close();
report('first visit (fresh context each, no service worker yet)', fresh);
const notListed = [...requested].filter((f) => !APP_FILES.includes(f));
const notRequested = APP_FILES.filter((f) => !requested.has(f));
console.log(`requested by a first load: ${[...requested].sort().join(' ')}`);
console.log(`  not in the size list: ${notListed.join(' ') || 'none'}; listed, not requested by the page itself: ${notRequested.join(' ') || 'none'} (the service worker, which the browser fetches, and the install files)`);

const swProfile = path.join(WORK, 'sw-profile');
const swContext = await launchProfile(swProfile);
await swContext.addInitScript(watchReady);
{
  // A first visit installs the service worker and its copy.
  const p = swContext.pages()[0] || (await swContext.newPage());
  await p.goto(`${RELAY}/app/`);
  await p.waitForFunction(() => window.__ready, null, { timeout: LIMIT });
  await p.waitForFunction(
    async (n) => {
      for (const key of await caches.keys()) {
        if (key.startsWith('folio-') && (await (await caches.open(key)).keys()).length >= n) {
          return true;
        }
      }
      return false;
    },
    APP_FILES.length - 1,
    { timeout: LIMIT, polling: 200 }
  );
  await p.close();
}
const online = [];
for (let i = 0; i < LOADS; i++) {
  online.push(await timeLoad(swContext));
}
report('service worker installed, relay up (files from the relay)', online);

// The relay stopped: every file comes from the service worker's copy.
process.kill(RELAY_PID, 'SIGTERM');
for (let i = 0; i < 50 && fs.existsSync(`/proc/${RELAY_PID}`) && !/\) Z /.test(fs.readFileSync(`/proc/${RELAY_PID}/stat`, 'utf8')); i++) {
  await new Promise((r) => setTimeout(r, 100));
}
const offline = [];
for (let i = 0; i < LOADS; i++) {
  offline.push(await timeLoad(swContext));
}
report("relay stopped (the service worker's copy)", offline);
await swContext.close();

console.log(`\nload average at the end: ${load()}`);
