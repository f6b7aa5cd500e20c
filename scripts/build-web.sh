#!/usr/bin/env bash
# Builds the browser module: vault-web for wasm32-unknown-unknown with the
# `wasm` profile (root Cargo.toml), then wasm-bindgen: `--target no-modules`
# for the agency's page, `--target web` (an ES module) for the app.
#
#   scripts/build-web.sh          writes web/pkg/vault_web.js and
#                                 web/pkg/vault_web_bg.wasm (the agency's
#                                 page), and web/pkg/folio_app.js and
#                                 web/pkg/folio_app_bg.wasm (the survivor's
#                                 app, vault-web's `app` feature), and
#                                 web/pkg/es.ftl, the Spanish catalogue as
#                                 vault-core's build.rs writes it (without
#                                 comments), which the app fetches apart: the
#                                 modules embed English only (committed: the
#                                 relay embeds them; CI rebuilds and checks
#                                 `git diff --exit-code web/pkg`)
#   scripts/build-web.sh --test   writes the test module (vault-core's
#                                 `vectors` feature: checkVector, fromSeed,
#                                 checkTokenTimes) to target/web-test/, never
#                                 to web/pkg/; web/tests/*.mjs load it
#
# The build is reproducible: the same sources give the same bytes in any
# folder. Paths are remapped (this checkout to /src, CARGO_HOME to /cargo,
# also in ring's C code), the profile keeps no debug information, and
# Cargo.lock is used as it is (--locked). Needs the wasm32-unknown-unknown
# target, clang (ring's C parts) and wasm-bindgen-cli at the exact version
# vault-web pins.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

mode=pkg
case "${1:-}" in
  "") ;;
  --test) mode=test ;;
  *)
    echo "usage: scripts/build-web.sh [--test]" >&2
    exit 2
    ;;
esac

# The version vault-web pins (`wasm-bindgen = "=X"`) is the one the CLI
# must have: the module and its JavaScript glue must come from one version.
want=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' vault-web/Cargo.toml)
if [ -z "$want" ]; then
  echo "vault-web/Cargo.toml does not pin wasm-bindgen to one version (wasm-bindgen = \"=X.Y.Z\")." >&2
  exit 1
fi
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  echo "wasm-bindgen $want is needed (found: ${have:-none}); install it with: cargo install wasm-bindgen-cli --version $want (or run scripts/setup.sh)" >&2
  exit 1
fi
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  echo "The wasm32-unknown-unknown target is missing; add it with: rustup target add wasm32-unknown-unknown" >&2
  exit 1
fi

cargo_home=${CARGO_HOME:-$HOME/.cargo}
target_dir=${CARGO_TARGET_DIR:-$root/target}
remap="--remap-path-prefix=$cargo_home=/cargo --remap-path-prefix=$root=/src"
cremap="-ffile-prefix-map=$cargo_home=/cargo -ffile-prefix-map=$root=/src"
if [ "${target_dir#"$root"/}" = "$target_dir" ]; then
  # A target folder outside the checkout holds build scripts' outputs.
  remap="$remap --remap-path-prefix=$target_dir=/target"
  cremap="$cremap -ffile-prefix-map=$target_dir=/target"
fi

# One build of vault-web per output: the agency's page's module
# (vault_web*, no extra feature), and the survivor's app's (folio_app*,
# feature `app`), so the agency's page does not grow with the app.
build() { # OUT-DIR OUT-NAME [FEATURES]
  local out=$1 name=$2 features=() target=no-modules
  # The app's page and its Worker are ES modules (`import`); the agency's
  # page loads its module as a classic script (global `wasm_bindgen`).
  [ "$name" = folio_app ] && target=web
  [ -n "${3:-}" ] && features=(--features "$3")
  # JSON on standard output says where vault-core's build script wrote the
  # catalogues (diagnostics still go to standard error, rendered).
  RUSTFLAGS="$remap" \
    CFLAGS_wasm32_unknown_unknown="$cremap" \
    cargo build --locked --quiet -p vault-web --lib --target wasm32-unknown-unknown --profile wasm \
    --message-format=json-render-diagnostics "${features[@]}" >"$target_dir/web-build.json"
  catalogues=$(sed -n 's/^{"reason":"build-script-executed","package_id":"[^"]*\/vault-core#[^"]*".*"out_dir":"\([^"]*\)".*/\1/p' \
    "$target_dir/web-build.json" | tail -n 1)
  rm -f "$target_dir/web-build.json"
  local wasm=$target_dir/wasm32-unknown-unknown/wasm/vault_web.wasm
  mkdir -p "$out"
  rm -f "$out/$name.js" "$out/${name}_bg.wasm"
  wasm-bindgen --target "$target" --no-typescript --remove-name-section --remove-producers-section \
    --out-dir "$out" --out-name "$name" "$wasm"
  for f in "$out/$name.js" "$out/${name}_bg.wasm"; do
    printf '%s\t%s bytes, %s gzip -9\n' "${f#"$root"/}" "$(wc -c <"$f")" "$(gzip -9 -c "$f" | wc -c)"
  done
}

if [ "$mode" = test ]; then
  build "$target_dir/web-test" vault_web vectors
else
  build web/pkg vault_web
  build web/pkg folio_app app
  # Every translation (not English, which the modules embed), as embedded
  # in the command line: one source, vault-core/messages/LANG.ftl.
  if [ -z "$catalogues" ] || [ ! -f "$catalogues/en.ftl" ]; then
    echo "cargo did not say where vault-core's build script wrote the catalogues" >&2
    exit 1
  fi
  rm -f web/pkg/*.ftl
  for f in "$catalogues"/*.ftl; do
    [ "${f##*/}" = en.ftl ] && continue
    cp "$f" "web/pkg/${f##*/}"
    printf '%s\t%s bytes, %s gzip -9\n' "web/pkg/${f##*/}" "$(wc -c <"$f")" "$(gzip -9 -c "$f" | wc -c)"
  done
fi
