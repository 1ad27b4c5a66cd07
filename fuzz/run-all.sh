#!/usr/bin/env bash
# Runs every fuzz target, one after another, for FUZZ_SECONDS each.
#
#   FUZZ_SECONDS=600 ./run-all.sh            # all targets
#   TARGETS="jsonl csv" FUZZ_SECONDS=60 ./run-all.sh
#
# Environment:
#   FUZZ_SECONDS       seconds per target (default 600)
#   FUZZ_TIMEOUT       seconds one input may take before it counts as a hang (default 60)
#   TARGETS            space-separated targets (default: all)
#   CARGO_TARGET_DIR   build directory (default /work/fuzz-target)
#   RAYON_NUM_THREADS  threads for the scanner's parallel chunks (default 1)
#   CODEGEN_UNITS      codegen units for the fuzz build (default 8)
#
# The working corpus of each target is corpus/<target> (not tracked by git);
# the tracked seeds in seeds/<target> are read as a second corpus directory.
# Logs go to logs/<target>.log. When a target crashes, the crash is copied to
# regressions/<target>-<n> and the target is resumed for the rest of its time
# in libFuzzer's fork mode with -ignore_crashes=1 (so a known crash does not
# stop it again); then the script goes on with the next target. It exits 1
# if any target crashed.
set -euo pipefail

cd "$(dirname "$0")"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/work/fuzz-target}"
export RAYON_NUM_THREADS="${RAYON_NUM_THREADS:-1}"
FUZZ_SECONDS="${FUZZ_SECONDS:-600}"
FUZZ_TIMEOUT="${FUZZ_TIMEOUT:-60}"
CODEGEN_UNITS="${CODEGEN_UNITS:-8}"
ALL="parquet xlsx sqlite compressed jsonl csv text json walk_line config logs_jsonl logs_csv mapping sigma_load manifest"
TARGETS="${TARGETS:-$ALL}"
COMMON=(-rss_limit_mb=2048 -timeout="$FUZZ_TIMEOUT")

# Build once, then run the binaries directly: `cargo fuzz run` would rebuild
# before every target whenever steward-scan changed in the meantime.
cargo +nightly fuzz build --codegen-units "$CODEGEN_UNITS"
BIN="$CARGO_TARGET_DIR/x86_64-unknown-linux-gnu/release"

HERE="$(pwd)"
# Each target runs in a working folder of its own (work/<target>), where
# libFuzzer writes its fuzz-0.log, so that two copies of this script with
# different TARGETS can run at once, one per core.
run() { # target seconds log extra-libfuzzer-flags...
    local t=$1 secs=$2 log=$3
    shift 3
    (cd "work/$t" && "$BIN/$t" -artifact_prefix="$HERE/artifacts/$t/" -max_total_time="$secs" \
        "${COMMON[@]}" "$@" "$HERE/corpus/$t" "$HERE/seeds/$t" >"$HERE/$log" 2>&1)
}

mkdir -p logs regressions
failed=()
for t in $TARGETS; do
    mkdir -p "corpus/$t" "seeds/$t" "artifacts/$t" "work/$t"
    before="$(ls "artifacts/$t" | sort)"
    log="logs/$t.log"
    echo "=== $t: ${FUZZ_SECONDS}s ($(date -u +%H:%M:%S))"
    start=$(date +%s)
    status=0
    # -jobs=1: one worker process; libFuzzer writes its output to fuzz-0.log.
    rm -f "work/$t/fuzz-0.log"
    run "$t" "$FUZZ_SECONDS" "$log.driver" -jobs=1 -print_final_stats=1 || status=$?
    if [[ -f "work/$t/fuzz-0.log" ]]; then
        cat "work/$t/fuzz-0.log" "$log.driver" >"$log"
        rm -f "work/$t/fuzz-0.log" "$log.driver"
    else
        mv "$log.driver" "$log"
    fi
    elapsed=$(( $(date +%s) - start ))
    execs="$(grep -E '^stat::number_of_executed_units' "$log" | tail -n 1 | awk '{print $2}' || true)"
    stats="$(grep -E '^#[0-9]+' "$log" | tail -n 1 || true)"
    if [[ $status -ne 0 ]]; then
        failed+=("$t")
        grep -E -A1 'panicked at|ERROR: libFuzzer|ERROR: AddressSanitizer' "$log" | head -n 4 || true
        left=$(( FUZZ_SECONDS - elapsed ))
        if (( left > 20 )); then
            echo "$t: crashed after ${elapsed}s; resuming for ${left}s in fork mode, ignoring crashes"
            run "$t" "$left" "logs/$t.resumed.log" -fork=1 -ignore_crashes=1 \
                -ignore_timeouts=1 -ignore_ooms=1 || true
            rstats="$(grep -E '^#[0-9]+' "logs/$t.resumed.log" | tail -n 1 || true)"
            echo "$t: resumed run last stats: ${rstats:-none}"
        fi
    fi
    total=$(( $(date +%s) - start ))
    echo "$t: ${total}s, status $status, execs before any crash ${execs:-?}"
    echo "$t: last stats: ${stats:-none}"
    new="$(comm -13 <(echo "$before") <(ls "artifacts/$t" | sort) || true)"
    if [[ -n "$new" ]]; then
        n=$(ls regressions | grep -c "^$t-[0-9]*$" || true)
        kept=0
        for a in $new; do
            if (( kept >= 5 )); then
                echo "$t: more artifacts in artifacts/$t/ (not copied)"
                break
            fi
            n=$((n + 1)); kept=$((kept + 1))
            cp "artifacts/$t/$a" "regressions/$t-$n"
            echo "$t: saved regressions/$t-$n (from artifacts/$t/$a)"
        done
    elif [[ $status -eq 0 ]]; then
        echo "$t: clean"
    fi
done

if [[ ${#failed[@]} -gt 0 ]]; then
    echo "targets with crashes: ${failed[*]}"
    exit 1
fi
echo "all targets ran clean"
