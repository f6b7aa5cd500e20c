#!/usr/bin/env bash
# Checks the relay against its own OpenAPI document with schemathesis.
#
# Builds vault-server, starts it on a free loopback port with a throwaway
# data folder, waits for /healthz, checks that /openapi.json is valid
# OpenAPI 3.1 (openapi-spec-validator), runs schemathesis against
# /openapi.json with the checks in scripts/schemathesis.toml, stops the
# relay and deletes the folder. Exits non-zero on any failure. CI runs it
# after the tests (.ci/run); developers can run it as is. What it checks
# and why is in docs/spec/relay-api.md §14.
#
# SCHEMATHESIS_EXAMPLES (default 100) bounds the generated cases per
# operation and phase; SCHEMATHESIS_SEED (default 1) makes a run
# repeatable (set another to explore).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

version=4.32.5
validator_version=0.9.0
examples="${SCHEMATHESIS_EXAMPLES:-100}"
seed="${SCHEMATHESIS_SEED:-1}"

installed() {
  python3 -c 'import importlib.metadata as m, sys; print(m.version(sys.argv[1]))' "$1" 2>/dev/null || true
}
if [ "$(installed schemathesis)" != "$version" ] ||
  [ "$(installed openapi-spec-validator)" != "$validator_version" ]; then
  echo "installing schemathesis $version and openapi-spec-validator $validator_version"
  python3 -m pip install --quiet --disable-pip-version-check \
    "schemathesis==$version" "openapi-spec-validator==$validator_version"
fi

cargo build --quiet -p vault-server
bin="${CARGO_TARGET_DIR:-$root/target}/debug/vault-server"

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# A high per-address limit: every case comes from this one address, so
# the default (600 a minute) would turn most answers into 429s and test
# nothing else. The per-token limit stays at its default.
"$bin" --data "$work/relay" --listen 127.0.0.1:0 --rate-per-ip 1000000 \
  2>"$work/relay.log" &
server_pid=$!

# The relay prints its address once it accepts connections; then /healthz
# must answer. Generous deadline: a busy 2-core machine is slow to start.
base=""
for _ in $(seq 1 600); do
  base=$(sed -n 's/^vault-server listening on \(http:[^ ]*\)$/\1/p' "$work/relay.log" | head -n 1)
  [ -n "$base" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/relay.log" >&2; echo "vault-server did not start" >&2; exit 1; }
  sleep 0.1
done
[ -n "$base" ] || { cat "$work/relay.log" >&2; echo "vault-server did not say where it listens" >&2; exit 1; }
python3 - "$base/healthz" <<'PY'
import sys, time, urllib.request
deadline = time.monotonic() + 60
while True:
    try:
        with urllib.request.urlopen(sys.argv[1], timeout=5) as r:
            if r.status == 200:
                break
    except OSError:
        pass
    if time.monotonic() > deadline:
        sys.exit("vault-server did not answer /healthz within 60 s")
    time.sleep(0.2)
PY

# The document itself must be valid OpenAPI 3.1.
python3 - "$base/openapi.json" <<'PY'
import json, sys, urllib.request
from openapi_spec_validator import validate
with urllib.request.urlopen(sys.argv[1], timeout=30) as r:
    validate(json.load(r))
print("/openapi.json is valid OpenAPI 3.1")
PY

echo "schemathesis $version against $base (at most $examples cases per operation and phase, seed $seed)"
status=0
# `python3 -m`, not the `schemathesis` command: a fresh pip install may not
# have put that on PATH yet (pyenv shims need a rehash).
(cd "$work" && python3 -m schemathesis.cli --no-color --config-file "$root/scripts/schemathesis.toml" run \
  "$base/openapi.json" \
  --max-examples "$examples" \
  --seed "$seed" \
  --generation-database none \
  --request-timeout 40 \
  --workers 1) || status=$?

if grep -q 'panicked' "$work/relay.log"; then
  echo "vault-server panicked:" >&2
  grep -A5 'panicked' "$work/relay.log" >&2
  status=1
fi
exit "$status"
