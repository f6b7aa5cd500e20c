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

# shellcheck source=scripts/lib/relay.sh
. "$(dirname "$0")/lib/relay.sh"

say() { printf 'test-browser: %s\n' "$*" >&2; }

shots=
case "${1-}" in
  "") ;;
  --screenshots) shots=$root/docs/screenshots ;;
  *) say "usage: scripts/test-browser.sh [--screenshots]"; exit 2 ;;
esac

need_test_tools
build_binaries
say "building mint_share"
cargo build --quiet -p survivor-vault-tests --example mint_share
mint_bin=$target/debug/examples/mint_share

start_relay_in_work

status=0
RELAY_URL=$relay_url RELAY_PID=$relay_pid RELAY_LOG=$relay_log RELAY_DATA=$relay_data \
  VAULT_BIN=$vault_bin MINT_BIN=$mint_bin SERVER_BIN=$server_bin WORK=$work CHROMIUM=$chromium \
  SHOTS=$shots \
  node web/tests/browser.mjs || status=$?

finish "$status"
