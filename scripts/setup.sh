#!/usr/bin/env bash
# Installs what the browser side of the tests needs, beyond the Rust
# toolchain: the wasm32 target, clang (ring's C parts for wasm32),
# wasm-bindgen-cli at the exact version vault-web pins, Node.js with npm,
# Chromium, zbar-tools, strace, the page tests' npm packages (from
# web/package-lock.json), and cargo-deny at the version scripts/deny.sh pins.
# Anything already there is left alone. System packages come from the
# distribution (Debian/Ubuntu apt-get) as root, or through `sudo -n`; when
# neither is possible it says which packages to install and stops.
set -euo pipefail
cd "$(dirname "$0")/.."

# The version vault-web's Cargo.toml pins (`wasm-bindgen = "=X"`).
wasm_bindgen_version=$(sed -n 's/^wasm-bindgen = { *version = "=\([0-9.]*\)".*/\1/p; s/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' vault-web/Cargo.toml | head -n 1)
[ -n "$wasm_bindgen_version" ] || { echo "vault-web/Cargo.toml does not pin wasm-bindgen with =VERSION; pin it." >&2; exit 1; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "installing the Rust target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown
fi

missing=()
command -v clang >/dev/null || missing+=(clang)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
[ -x /usr/bin/chromium ] || missing+=(chromium)
# An independent QR reader: the app's test reads the code on the screen
# as a phone would.
command -v zbarimg >/dev/null || missing+=(zbar-tools)
# The relay's disk-failure test makes every fdatasync fail with strace's
# fault injection (tests/tests/flow_store_failure.rs).
command -v strace >/dev/null || missing+=(strace)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    sudo=()
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
    sudo=(sudo -n)
  else
    echo "The browser tests need these system packages: ${missing[*]}. Install them (for example: sudo apt-get install -y ${missing[*]}) and run this again." >&2
    exit 1
  fi
  if ! command -v apt-get >/dev/null; then
    echo "The browser tests need these packages: ${missing[*]}, and this system has no apt-get. Install them with its package manager and run this again." >&2
    exit 1
  fi
  echo "installing ${missing[*]}"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$wasm_bindgen_version" ]; then
  echo "installing wasm-bindgen-cli $wasm_bindgen_version (a few minutes, once)"
  # Not --locked: the crate's own lock file names a webpki-roots release
  # some registry mirrors do not carry; cargo picks a compatible one.
  cargo install --quiet wasm-bindgen-cli --version "$wasm_bindgen_version"
fi

# cargo-deny for the supply-chain checks (scripts/deny.sh, deny.toml):
# installed from crates.io with its own lock file when missing or not the
# pinned version (a few minutes, once).
deny_version=$(sed -n 's/^want=\([0-9.]*\)$/\1/p' scripts/deny.sh)
have=$(cargo deny --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$deny_version" ]; then
  echo "installing cargo-deny $deny_version (a few minutes, once)"
  cargo install --quiet --locked cargo-deny --version "$deny_version"
fi

if [ ! -d web/node_modules ] || [ web/package-lock.json -nt web/node_modules/.package-lock.json ]; then
  echo "installing the page tests' npm packages (npm ci)"
  (cd web && npm ci --no-audit --no-fund --loglevel=error)
fi

# Fuzzing (scripts/fuzz.sh, docs/fuzzing.md): the nightly toolchain
# (cargo-fuzz needs its -Z flags) and cargo-fuzz at a pinned version, each
# only when missing. rustup fetches nightly from static.rust-lang.org.
fuzz_version=0.13.2
if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "installing the nightly Rust toolchain for fuzzing (minimal profile)"
  if ! rustup toolchain install nightly --profile minimal; then
    echo "The fuzz smoke needs the nightly Rust toolchain and rustup could not download it from static.rust-lang.org; install it (rustup toolchain install nightly --profile minimal) where that server is reachable and run this again." >&2
    exit 1
  fi
fi
have=$(cargo +nightly fuzz --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$fuzz_version" ]; then
  echo "installing cargo-fuzz $fuzz_version (a minute, once)"
  cargo install --quiet --locked cargo-fuzz --version "$fuzz_version"
fi
