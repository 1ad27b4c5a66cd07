#!/usr/bin/env bash
# Two or more builds of steward side by side on the same platform, runs
# interleaved (A B A B …) so that a noisy machine's drift hits every build
# alike; each run pinned to one core. Prints each build's median CPU time
# (user + system, from /usr/bin/time) and its ratio to the first build.
#
# usage: bench/hunt-ab.sh PLATFORM_DIR RUNS BUILD_A BUILD_B [BUILD…]
#   e.g. bench/hunt-ab.sh target/hunt-platform-200000-14-1000000 8 \
#          /tmp/steward-before target/release/steward
# Make the platform with `steward generate` (bench/hunt-e2e.sh makes one).
set -euo pipefail
PLATFORM=$1
RUNS=$2
shift 2
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
for _ in $(seq "$RUNS"); do
  for b in "$@"; do
    /usr/bin/time -a -o "$LOG" -f "$b %U %S" taskset -c 0 "$b" -q hunt --platform "$PLATFORM" \
      --no-state -f jsonl -o /dev/null >/dev/null 2>&1 || true
  done
done
python3 - "$LOG" "$@" <<'PY'
import statistics, sys
log, builds = sys.argv[1], sys.argv[2:]
# `time` also notes a non-zero exit (hunt exits 1 when it alerts).
rows = [l.split() for l in open(log) if l.split()[:1] and l.split()[0] in builds]
cpu = {b: [float(r[1]) + float(r[2]) for r in rows if r[0] == b] for b in builds}
first = statistics.median(cpu[builds[0]])
for b in builds:
    m = statistics.median(cpu[b])
    print(f"{b}: median CPU {m:.2f} s over {len(cpu[b])} runs, {m / first:.3f}x the first")
PY
