#!/usr/bin/env bash
# The survivor's app's benchmarks (issue 13), in one run: unlock in the
# Worker (Argon2id in wasm) against the native `vault`, the app's size
# (raw and gzip -9), time to interactive on loopback (with and without the
# service worker's copy), and the memory of the Worker and the browser
# with a large document stored and read back. The figures and how to read
# them are in docs/performance.md.
#
#   scripts/bench-app.sh [RUNS [LOADS [DOC_MIB]]]     (default 5 8 100)
#
# Builds `vault` and `vault-server` (debug; Argon2id, BLAKE2 and ring are
# optimised even there, see [profile.dev.package.*], and the wasm module
# has them at opt-level 3 too; the relay embeds web/ as it is, so run
# scripts/build-web.sh first after changing Rust code), installs the pinned
# test tools in web/ (`npm ci`) if they are missing, starts the relay on a
# free loopback port with a temporary data folder, runs
# web/tests/app-bench.mjs in Debian's Chromium (it stops the relay itself,
# last, to time loads from the service worker's copy), and removes the
# folder. Prints the figures; asserts nothing about time or memory. Needs
# Node 18+, /usr/bin/chromium (or CHROMIUM=...), and about three times
# DOC_MIB of free space in /tmp.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

say() { printf 'bench-app: %s\n' "$*" >&2; }

runs=${1:-5}
loads=${2:-8}
doc_mib=${3:-100}
for n in "$runs" "$loads" "$doc_mib"; do
  case "$n" in
    '' | *[!0-9]* | 0) say "usage: scripts/bench-app.sh [RUNS [LOADS [DOC_MIB]]] (whole numbers above 0)"; exit 2 ;;
  esac
done

command -v node >/dev/null || { say "node is not installed (apt-get install -y nodejs npm)"; exit 1; }
chromium=${CHROMIUM:-/usr/bin/chromium}
[ -x "$chromium" ] || { say "no browser at $chromium (apt-get install -y chromium)"; exit 1; }

say "building vault and vault-server"
cargo build --quiet -p vault-cli -p vault-server
target=${CARGO_TARGET_DIR:-$root/target}
vault_bin=$target/debug/vault
server_bin=$target/debug/vault-server

if [ ! -d web/node_modules/playwright-core ] || [ ! -d web/node_modules/axe-core ]; then
  say "installing the pinned test tools (npm ci in web/)"
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
fi

work=$(mktemp -d)
chmod 700 "$work"
relay_pid=
cleanup() {
  if [ -n "$relay_pid" ] && kill -0 "$relay_pid" 2>/dev/null; then
    kill -TERM "$relay_pid" 2>/dev/null || true
    wait "$relay_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

data=$work/relay
log=$work/relay.log
RUST_LOG=vault_server=info "$server_bin" --data "$data" --listen 127.0.0.1:0 \
  </dev/null >/dev/null 2>"$log" &
relay_pid=$!

url=
for _ in $(seq 1 300); do
  url=$(sed -n 's/^vault-server listening on \(http[^ ]*\).*$/\1/p' "$log" | head -n 1)
  [ -n "$url" ] && break
  kill -0 "$relay_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$url" ]; then
  say "the relay did not start; its log:"
  cat "$log" >&2
  exit 1
fi
say "relay at $url"

status=0
RELAY_URL=$url RELAY_PID=$relay_pid VAULT_BIN=$vault_bin WORK=$work CHROMIUM=$chromium \
  RUNS=$runs LOADS=$loads DOC_MIB=$doc_mib node web/tests/app-bench.mjs || status=$?

if grep -q panicked "$log"; then
  say "the relay panicked; its log:"
  cat "$log" >&2
  status=1
fi
exit "$status"
