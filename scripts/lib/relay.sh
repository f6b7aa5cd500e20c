# shellcheck shell=bash
# What the browser test scripts share (test-browser.sh, test-app.sh,
# test-app-worker.sh, bench-app.sh): the tools they need, the binaries, a
# temporary folder, and `vault-server` on a free loopback port, stopped and
# the folder removed when the script exits. Sourced, not run, right after
# `set -euo pipefail`; it sets `root` and goes there. The script defines
# `say` (its own name on each line) before it calls anything here.

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"

relay_pid=
relay_url=
relay_data=
relay_log=
work=

# Node, the browser (sets `chromium`: CHROMIUM=... or Debian's) and the
# pinned test tools in web/ (`npm ci`, if they are missing).
need_test_tools() {
  command -v node >/dev/null || { say "node is not installed (apt-get install -y nodejs npm)"; exit 1; }
  chromium=${CHROMIUM:-/usr/bin/chromium}
  [ -x "$chromium" ] || { say "no browser at $chromium (apt-get install -y chromium)"; exit 1; }
  if [ ! -d web/node_modules/playwright-core ] || [ ! -d web/node_modules/axe-core ]; then
    say "installing the pinned test tools (npm ci in web/)"
    (cd web && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

# `vault` and `vault-server` (debug); sets `target`, `vault_bin` and
# `server_bin`.
build_binaries() {
  say "building vault and vault-server"
  cargo build --quiet -p vault-cli -p vault-server
  target=${CARGO_TARGET_DIR:-$root/target}
  vault_bin=$target/debug/vault
  server_bin=$target/debug/vault-server
}

# Stops the relay this script started, if it still runs.
stop_relay() {
  if [ -n "$relay_pid" ] && kill -0 "$relay_pid" 2>/dev/null; then
    kill -TERM "$relay_pid" 2>/dev/null || true
    wait "$relay_pid" 2>/dev/null || true
  fi
}

relay_cleanup() {
  stop_relay
  if [ -n "$work" ]; then
    rm -rf "$work"
  fi
}

# start_relay DATA LOG: `$server_bin` on a free loopback port with its data
# in DATA and its standard error in LOG; waits for its "listening on" line
# and sets `relay_url` and `relay_pid`. Exits (with the log) if it does not
# start. Call it in the script itself, not in $(...): the cleanup waits for
# it.
start_relay() {
  local data=$1 log=$2
  # The file exists before the first look at it: the relay opens it only
  # once it runs, and a look before that would end the script (set -e).
  : >"$log"
  RUST_LOG=vault_server=info "$server_bin" --data "$data" --listen 127.0.0.1:0 \
    </dev/null >/dev/null 2>"$log" &
  relay_pid=$!
  relay_url=
  for _ in $(seq 1 300); do
    relay_url=$(sed -n 's/^vault-server listening on \(http[^ ]*\).*$/\1/p' "$log" | head -n 1)
    [ -n "$relay_url" ] && break
    kill -0 "$relay_pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -z "$relay_url" ]; then
    say "the relay did not start; its log:"
    cat "$log" >&2
    exit 1
  fi
  say "relay at $relay_url"
}

# A temporary folder only this user can read (`work`) and the relay in it
# (`relay_data`, `relay_log`); both go when the script exits.
start_relay_in_work() {
  work=$(mktemp -d)
  chmod 700 "$work"
  trap relay_cleanup EXIT
  trap 'exit 130' INT TERM
  relay_data=$work/relay
  relay_log=$work/relay.log
  start_relay "$relay_data" "$relay_log"
}

# finish STATUS: exits with STATUS, or 1 (with its log) if the relay
# panicked.
finish() {
  local status=$1
  if grep -q panicked "$relay_log"; then
    say "the relay panicked; its log:"
    cat "$relay_log" >&2
    status=1
  fi
  exit "$status"
}
