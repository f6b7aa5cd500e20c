#!/usr/bin/env bash
# Supply-chain checks with cargo-deny (deny.toml): the licences, bans and
# sources of every crate in Cargo.lock, always; the RustSec advisories
# when the advisory database can be fetched. The database is a git
# repository on github.com, which some machines (this project's CI among
# them) cannot reach: then the advisories are reported as NOT CHECKED,
# loudly, and the rest still has to pass. scripts/setup.sh installs the
# pinned cargo-deny.
set -euo pipefail
cd "$(dirname "$0")/.."

want=0.20.2
have=$(cargo deny --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  echo "cargo-deny $want is needed (found: ${have:-none}); run scripts/setup.sh or: cargo install --locked cargo-deny --version $want" >&2
  exit 1
fi

cargo deny check --hide-inclusion-graph bans licenses sources

log=$(mktemp)
trap 'rm -f "$log"' EXIT
if cargo deny fetch db >"$log" 2>&1; then
  cargo deny --offline check --hide-inclusion-graph advisories
else
  echo "advisories NOT CHECKED: the RustSec advisory database could not be fetched from here:"
  grep -m 3 -E 'fatal|ERROR|error' "$log" | sed 's/^/  /' || true
  echo "  Run 'cargo deny check advisories' on a machine that reaches github.com."
fi
