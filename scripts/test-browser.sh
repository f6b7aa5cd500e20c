#!/usr/bin/env bash
# The agency's page in a real browser against the real relay.
#
#   scripts/test-browser.sh [--screenshots]
#
# Builds `vault`, `vault-server` and the mint_share example (debug), installs
# the pinned test tools in web/ (`npm ci`) if they are missing, starts the
# relay on a free loopback port with a temporary data folder, runs
# web/tests/browser.mjs in Debian's Chromium, stops the relay and removes
# the folder. Exits non-zero if anything fails. With --screenshots it also
# saves the main states at 390x844 as docs/screenshots/agency-*.png (they
# differ at every run: times, ids). Needs Node 18+ and /usr/bin/chromium
# (or CHROMIUM=...).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

say() { printf 'test-browser: %s\n' "$*" >&2; }

shots=
case "${1-}" in
  "") ;;
  --screenshots) shots=$root/docs/screenshots ;;
  *) say "usage: scripts/test-browser.sh [--screenshots]"; exit 2 ;;
esac

command -v node >/dev/null || { say "node is not installed (apt-get install -y nodejs npm)"; exit 1; }
chromium=${CHROMIUM:-/usr/bin/chromium}
[ -x "$chromium" ] || { say "no browser at $chromium (apt-get install -y chromium)"; exit 1; }

say "building vault, vault-server and mint_share"
cargo build --quiet -p vault-cli -p vault-server
cargo build --quiet -p survivor-vault-tests --example mint_share
target=${CARGO_TARGET_DIR:-$root/target}
vault_bin=$target/debug/vault
server_bin=$target/debug/vault-server
mint_bin=$target/debug/examples/mint_share

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
RELAY_URL=$url RELAY_PID=$relay_pid RELAY_LOG=$log RELAY_DATA=$data \
  VAULT_BIN=$vault_bin MINT_BIN=$mint_bin SERVER_BIN=$server_bin WORK=$work CHROMIUM=$chromium \
  SHOTS=$shots \
  node web/tests/browser.mjs || status=$?

if grep -q panicked "$log"; then
  say "the relay panicked; its log:"
  cat "$log" >&2
  status=1
fi
exit "$status"
