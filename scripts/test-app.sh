#!/usr/bin/env bash
# The survivor's app (/app/) in a real browser against the real relay.
#
#   scripts/test-app.sh [--screenshots DIR]
#
# Builds `vault-server` and `vault` (debug), installs the pinned test tools
# in web/ (`npm ci`) if they are missing, starts the relay on a free
# loopback port with a temporary data folder, runs web/tests/app-ui.mjs (the
# page on its own) and web/tests/app-flow.mjs (a person's whole day in the
# app, with the agency's page and the `vault` command) in Debian's Chromium
# at 390x844 (and 320 px), stops the relay and removes the folder.
# Exits non-zero if anything fails. With --screenshots DIR it saves the
# screens it reaches as DIR/app-*.png. Needs Node 18+ and /usr/bin/chromium
# (or CHROMIUM=...).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

say() { printf 'test-app: %s\n' "$*" >&2; }

shots=
case "${1-}" in
  "") ;;
  --screenshots) shots=${2:?--screenshots needs a folder} ;;
  *) say "usage: scripts/test-app.sh [--screenshots DIR]"; exit 2 ;;
esac

command -v node >/dev/null || { say "node is not installed (apt-get install -y nodejs npm)"; exit 1; }
chromium=${CHROMIUM:-/usr/bin/chromium}
[ -x "$chromium" ] || { say "no browser at $chromium (apt-get install -y chromium)"; exit 1; }

say "building vault-server and vault"
cargo build --quiet -p vault-server -p vault-cli
target=${CARGO_TARGET_DIR:-$root/target}
server_bin=$target/debug/vault-server
vault_bin=$target/debug/vault

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

log=$work/relay.log
RUST_LOG=vault_server=info "$server_bin" --data "$work/relay" --listen 127.0.0.1:0 \
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
RELAY_URL=$url SHOTS=$shots CHROMIUM=$chromium node web/tests/app-ui.mjs || status=$?
mkdir -m 700 "$work/flow"
RELAY_URL=$url SHOTS=$shots CHROMIUM=$chromium VAULT_BIN=$vault_bin WORK=$work/flow \
  node web/tests/app-flow.mjs || status=$?

if grep -q panicked "$log"; then
  say "the relay panicked; its log:"
  cat "$log" >&2
  status=1
fi
exit "$status"
