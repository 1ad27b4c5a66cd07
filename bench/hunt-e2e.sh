#!/usr/bin/env bash
# End-to-end detection throughput: `steward hunt` reading, parsing and
# mapping the synthetic platform's gateway log (JSON Lines) and issuance log,
# and evaluating the built-in Sigma pack and every native detector, pinned
# to one core, then the same unpinned with `--threads 2` (wall clock).
# Peak memory from /usr/bin/time.
#
# usage: bench/hunt-e2e.sh [CUSTOMERS] [DAYS] [EVENTS]
#   defaults: 200000 customers, 14 days, 4,000,000 gateway events
# env: RUNS (default 3), CARGO_TARGET_DIR (default target), PROFILE (the
#   cargo profile to build and run: release by default, dist for the
#   shipped binary with fat LTO)
# needs hyperfine (bench/setup-peers.sh installs it)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
CUSTOMERS=${1:-200000}
DAYS=${2:-14}
EVENTS=${3:-4000000}
TARGET=${CARGO_TARGET_DIR:-target}
PROFILE=${PROFILE:-release}
cargo build --profile "$PROFILE" --quiet -p steward-cli
S=$TARGET/$PROFILE/steward
P=target/hunt-platform-$CUSTOMERS-$DAYS-$EVENTS
[ -f "$P/manifest.yaml" ] || "$S" -q --state "$P.db" generate --out "$P" \
  --customers "$CUSTOMERS" --days "$DAYS" --events "$EVENTS"
N=$(( $(wc -l < "$P/logs/gateway/access.jsonl") + $(wc -l < "$P/logs/auth/issuance.jsonl") ))
MB=$(( ($(stat -c %s "$P/logs/gateway/access.jsonl") + $(stat -c %s "$P/logs/auth/issuance.jsonl")) / 1000000 ))
echo "events: $N ($MB MB)"
HUNT="taskset -c 0 $S -q hunt --platform $P --no-state -f jsonl -o /dev/null --threads 1"
/usr/bin/time -f "peak RSS %M KB, %e s elapsed, %U s user" $HUNT || true
# The same run unpinned with reading on a thread of its own (wall clock on
# two cores; the per-core figure is the pinned run's).
AHEAD="$S -q hunt --platform $P --no-state -f jsonl -o /dev/null --threads 2"
OUT=target/bench-hunt.json
hyperfine --runs "$RUNS" --warmup 1 --export-json "$OUT" -N -i -n "steward hunt" "$HUNT" \
  -n "steward hunt --threads 2" "$AHEAD" --output=null >/dev/null
python3 - "$OUT" "$N" "$MB" <<'PY'
import json, sys
rs = json.load(open(sys.argv[1]))["results"]
n, mb = int(sys.argv[2]), int(sys.argv[3])
m = rs[0]["median"]
print(f"steward hunt, 1 core: median {m:.2f} s, {n/m/1e6:.3f} M events/s, {mb/m:.0f} MB/s")
a = rs[1]["median"]
print(f"steward hunt --threads 2, unpinned: median {a:.2f} s wall, {n/a/1e6:.3f} M events/s, "
      f"{m/a:.2f}x the one-core run")
PY
