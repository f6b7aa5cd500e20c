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

# shellcheck source=scripts/lib/relay.sh
. "$(dirname "$0")/lib/relay.sh"

say() { printf 'bench-app: %s\n' "$*" >&2; }

runs=${1:-5}
loads=${2:-8}
doc_mib=${3:-100}
for n in "$runs" "$loads" "$doc_mib"; do
  case "$n" in
    '' | *[!0-9]* | 0) say "usage: scripts/bench-app.sh [RUNS [LOADS [DOC_MIB]]] (whole numbers above 0)"; exit 2 ;;
  esac
done

need_test_tools
build_binaries

start_relay_in_work

status=0
RELAY_URL=$relay_url RELAY_PID=$relay_pid VAULT_BIN=$vault_bin WORK=$work CHROMIUM=$chromium \
  RUNS=$runs LOADS=$loads DOC_MIB=$doc_mib node web/tests/app-bench.mjs || status=$?

finish "$status"
