#!/usr/bin/env bash
# The fuzz targets in fuzz/ (cargo-fuzz on the nightly toolchain; see
# docs/fuzzing.md).
#
#   scripts/fuzz.sh smoke               every target briefly; fails on any crash
#   scripts/fuzz.sh long TARGET [RUNS]  one target for RUNS executions (10^7)
#   scripts/fuzz.sh seeds               (re)writes the seeds from tests/vectors
#   scripts/fuzz.sh list                the targets
#
# Builds with debug assertions and overflow checks, without a sanitizer
# (every crate of ours forbids `unsafe`; speed buys executions). Each run
# starts from fuzz/corpus/TARGET (seeds and what earlier runs found, not
# committed) and fuzz/regressions/TARGET (inputs that once crashed,
# committed). Set SMOKE_SECONDS to change the smoke's time per target.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
export CARGO_TERM_COLOR=never
export CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-2}"

targets=(token claims share bundle link record document_stream backup keyfile log
  relay_bodies ids field_paths redeem_answer relay_journal)

if ! cargo +nightly --version >/dev/null 2>&1; then
  echo "Fuzzing needs the nightly Rust toolchain: run scripts/setup.sh (or: rustup toolchain install nightly --profile minimal)." >&2
  exit 1
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "Fuzzing needs cargo-fuzz: run scripts/setup.sh (or: cargo install cargo-fuzz --locked --version 0.13.2)." >&2
  exit 1
fi

build() {
  echo "building the fuzz targets (nightly, debug assertions, no sanitizer)"
  nice -n 10 cargo +nightly fuzz build -s none
}

seeds() {
  # A plain binary (no libFuzzer), built with the stable toolchain the
  # repository pins, in the main target folder (reusing the tests' build).
  nice -n 10 cargo run -q --manifest-path seeds/Cargo.toml --target-dir ../target -- \
    ../tests/vectors corpus
}

run() { # TARGET, then libFuzzer options
  local t=$1
  shift
  mkdir -p "corpus/$t" "regressions/$t"
  cargo +nightly fuzz run -s none "$t" "corpus/$t" "regressions/$t" -- \
    -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 "$@"
}

case "${1:-}" in
  smoke)
    build
    seeds
    secs="${SMOKE_SECONDS:-10}"
    failed=()
    for t in "${targets[@]}"; do
      echo "== fuzz smoke: $t (${secs}s)"
      log=$(mktemp)
      if run "$t" -max_total_time="$secs" >"$log" 2>&1; then
        grep -E '^Done [0-9]+ runs' "$log" || tail -n 1 "$log"
      else
        tail -n 40 "$log"
        failed+=("$t")
      fi
      rm -f "$log"
    done
    if [ ${#failed[@]} -gt 0 ]; then
      echo "fuzz smoke FAILED: ${failed[*]} (the crashing inputs are in fuzz/artifacts/)" >&2
      exit 1
    fi
    echo "fuzz smoke: ${#targets[@]} targets, no crash"
    ;;
  long)
    t="${2:?usage: scripts/fuzz.sh long TARGET [RUNS]}"
    runs="${3:-10000000}"
    # A loop, not `printf | grep -q`: with pipefail, grep leaving early
    # can fail the pipeline through SIGPIPE.
    known=no
    for k in "${targets[@]}"; do [ "$k" = "$t" ] && known=yes; done
    [ "$known" = yes ] || { echo "no target $t (scripts/fuzz.sh list)" >&2; exit 1; }
    build
    seeds
    mkdir -p logs
    log="logs/$t-$(date -u +%Y%m%dT%H%M%SZ).log"
    echo "fuzzing $t for $runs executions (log: fuzz/$log)"
    start=$(date +%s)
    status=0
    nice -n 19 bash -c "$(declare -f run); run $t -runs=$runs" >"$log" 2>&1 || status=$?
    echo "$t: $(grep -E '^Done [0-9]+ runs' "$log" || echo 'did not finish'), $(( $(date +%s) - start ))s, exit $status, commit $(git rev-parse --short HEAD)"
    exit "$status"
    ;;
  seeds)
    seeds
    ;;
  list)
    printf '%s\n' "${targets[@]}"
    ;;
  *)
    echo "usage: scripts/fuzz.sh smoke | long TARGET [RUNS] | seeds | list" >&2
    exit 2
    ;;
esac
