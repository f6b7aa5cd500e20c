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

# shellcheck source=scripts/lib/relay.sh
. "$(dirname "$0")/lib/relay.sh"

say() { printf 'test-app-worker: %s\n' "$*" >&2; }

case "${1-}" in
  "") ;;
  *) say "usage: scripts/test-app-worker.sh"; exit 2 ;;
esac

need_test_tools
build_binaries

start_relay_in_work

status=0
RELAY_URL=$relay_url RELAY_LOG=$relay_log VAULT_BIN=$vault_bin WORK=$work CHROMIUM=$chromium \
  node web/tests/app-worker.mjs || status=$?

finish "$status"
