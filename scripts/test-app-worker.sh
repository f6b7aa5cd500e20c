#!/usr/bin/env bash
# The survivor's app's engine (web/app/worker.js and the folio_app module)
# in a real browser against the real relay.
#
#   scripts/test-app-worker.sh
#
# Builds `vault` and `vault-server` (debug; the relay embeds web/ as it is,
# so run scripts/build-web.sh first after changing Rust code), installs the
# pinned test tools in web/ (`npm ci`) if they are missing, starts the relay
# on a free loopback port with a temporary data folder, runs
# web/tests/app-worker.mjs in Debian's Chromium with a browser profile in
# that folder, stops the relay and removes the folder. Exits non-zero if
# anything fails. Needs Node 18+ and /usr/bin/chromium (or CHROMIUM=...).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

say() { printf 'test-app-worker: %s\n' "$*" >&2; }

case "${1-}" in
  "") ;;
  *) say "usage: scripts/test-app-worker.sh"; exit 2 ;;
esac

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
RELAY_URL=$url RELAY_LOG=$log VAULT_BIN=$vault_bin WORK=$work CHROMIUM=$chromium \
  node web/tests/app-worker.mjs || status=$?

if grep -q panicked "$log"; then
  say "the relay panicked; its log:"
  cat "$log" >&2
  status=1
fi
exit "$status"
