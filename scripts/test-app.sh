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

# shellcheck source=scripts/lib/relay.sh
. "$(dirname "$0")/lib/relay.sh"

say() { printf 'test-app: %s\n' "$*" >&2; }

shots=
case "${1-}" in
  "") ;;
  --screenshots) shots=${2:?--screenshots needs a folder} ;;
  *) say "usage: scripts/test-app.sh [--screenshots DIR]"; exit 2 ;;
esac

need_test_tools
build_binaries

start_relay_in_work

status=0
RELAY_URL=$relay_url SHOTS=$shots CHROMIUM=$chromium node web/tests/app-ui.mjs || status=$?
mkdir -m 700 "$work/flow"
RELAY_URL=$relay_url SHOTS=$shots CHROMIUM=$chromium VAULT_BIN=$vault_bin WORK=$work/flow \
  node web/tests/app-flow.mjs || status=$?

finish "$status"
