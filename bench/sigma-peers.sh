#!/usr/bin/env bash
# Sigma evaluation: steward-sigma against the rsigma CLI, side by side in one
# run (hyperfine), on the same rules (rules/) and the same events (the
# synthetic platform's gateway traffic as access events, JSON Lines).
#
# usage: bench/sigma-peers.sh [CUSTOMERS] [DAYS]
#   defaults: 100000 customers, 7 days (about 440,000 events, 250 MB)
# env: RUNS (default 5), CARGO_TARGET_DIR (default target)
#
# rsigma is installed from crates.io into target/peers/rsigma: version 0.23.0,
# the newest whose rust-version (1.95) matches the pinned toolchain, without
# its default `daemon` feature (the `engine eval` command does not need it;
# 0.23.0 does not build without `rsigma-runtime`, so that one is kept).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
CUSTOMERS=${1:-100000}
DAYS=${2:-7}
TARGET=${CARGO_TARGET_DIR:-target}
PEERS=target/peers
RSIGMA=$PEERS/rsigma/bin/rsigma
if [ ! -x "$RSIGMA" ]; then
  cargo install rsigma --version 0.23.0 --locked --no-default-features --features rsigma-runtime \
    --root "$PEERS/rsigma"
fi
cargo build --release --quiet -p steward-sigma --example sigma_bench
S=$TARGET/release/examples/sigma_bench
EVENTS=target/sigma-events-$CUSTOMERS-$DAYS.jsonl
[ -f "$EVENTS" ] || "$S" generate "$CUSTOMERS" "$DAYS" "$EVENTS"
N=$(wc -l < "$EVENTS")

# The same rules for both, with correlations naming their rules by id:
# rsigma-eval correlates (and keeps out of the output) only rules it finds by
# id, while steward takes ids or names.
RULES=target/sigma-rules-by-id
rm -rf "$RULES" && mkdir -p "$RULES"
python3 - rules/access "$RULES" <<'PY'
import pathlib, re, sys, yaml
src, dst = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
ids = {}
for f in src.glob("*.yml"):
    for d in yaml.safe_load_all(f.read_text()):
        if d and d.get("name") and d.get("id"):
            ids[d["name"]] = d["id"]
for f in src.glob("*.yml"):
    text = f.read_text()
    for name, id_ in ids.items():
        text = re.sub(rf"^(\s+- ){re.escape(name)}$", rf"\g<1>{id_}", text, flags=re.M)
    (dst / f.name).write_text(text)
PY

# Match counts first (and a check that both ran the rules).
"$S" run "$RULES" "$EVENTS" > target/sigma-steward.jsonl
# rsigma: event time from `time_ms`; base rules only feed correlations
# (--no-detections, as steward does by default); one alert per group per
# timespan-ish (--suppress 1h) since steward reports once per episode.
RS_ARGS=(engine eval -r "$RULES" -e "@$EVENTS" --timestamp-field time_ms --no-detections --suppress 1h)
"$RSIGMA" "${RS_ARGS[@]}" > target/sigma-rsigma.jsonl 2> target/sigma-rsigma.log || true
echo "events: $N"
echo "steward-sigma matches: $(wc -l < target/sigma-steward.jsonl)"
echo "rsigma matches:        $(wc -l < target/sigma-rsigma.jsonl)"

OUT=target/bench-sigma.json
hyperfine --runs "$RUNS" --warmup 1 --export-json "$OUT" -N \
  -n "steward-sigma" "$S run $RULES $EVENTS" \
  -n "rsigma 0.23.0" "$RSIGMA ${RS_ARGS[*]}" \
  --output=null >/dev/null
python3 - "$OUT" "$N" <<'PY'
import json, sys
runs = json.load(open(sys.argv[1]))["results"]
n = int(sys.argv[2])
med = {r["command"]: r["median"] for r in runs}
for name, m in med.items():
    print(f"{name:<16} median {m:7.2f} s  {n/m/1e3:8.1f} k events/s")
s, r = med["steward-sigma"], med["rsigma 0.23.0"]
print(f"rsigma / steward-sigma: {r/s:.2f}x the time")
PY
