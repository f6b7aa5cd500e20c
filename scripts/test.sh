#!/usr/bin/env bash
# Every test: the Rust workspace (unit, property, end-to-end with the real
# binaries), the browser module against the test vectors, and the agency's
# page and the survivor's app's Worker in a real Chromium against the real
# relay. Installs what it needs
# first (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/setup.sh

echo "== the browser module (web/pkg) from this source"
bash scripts/build-web.sh

echo "== cargo test --workspace"
cargo test --workspace
# The app's bindings are behind a feature the workspace build leaves off.
cargo test -p vault-web --features app

echo "== the browser module gives vault-core's result on every test vector"
bash scripts/build-web.sh --test
node web/tests/vectors.mjs
node web/tests/api.mjs

echo "== the agency's page in Chromium, against the real relay"
bash scripts/test-browser.sh

echo "== the survivor's app's Worker in Chromium, against the real relay"
bash scripts/test-app-worker.sh

echo "== the survivor's app's screens in Chromium, against the real relay and vault"
bash scripts/test-app.sh
