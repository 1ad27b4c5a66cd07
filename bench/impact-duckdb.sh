#!/usr/bin/env bash
# The affected-people set of one principal over a 50-million-event gateway
# log in Parquet: `steward impact --principal X` (DataFusion, the log alone)
# against DuckDB running the same distinct query on the same file, side by
# side in one hyperfine run; then the full impact with the platform's stores.
# Both engines use every core.
#
# usage: bench/impact-duckdb.sh [PLATFORM_DIR]
#   PLATFORM_DIR defaults to target/impact-50m, generated on first use
#   (2,500,000 customers, 30 days, 50,000,000 events, Parquet gateway log only;
#   about 6 GB on disk, several minutes).
# env: RUNS (default 5), PYTHON (a Python with `pip install duckdb`; default
#   python3), PRINCIPAL (default: the staff principal with the most reads),
#   CARGO_TARGET_DIR (default target)
# needs hyperfine (apt-get install -y hyperfine)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
PY=${PYTHON:-python3}
TARGET=${CARGO_TARGET_DIR:-target}
P=${1:-target/impact-50m}
cargo build --release --quiet -p steward-cli
S=$TARGET/release/steward
if [ ! -f "$P/logs/gateway/access.parquet" ]; then
  /usr/bin/time -f "generate: %e s, peak RSS %M KB" "$S" -q --state "$P.db" generate --out "$P" \
    --customers 2500000 --days 30 --events 50000000 --gateway-format parquet
fi
LOG=$P/logs/gateway/access.parquet
Q=target/bench-impact-duckdb.py
cat > "$Q" <<'PY'
import sys, duckdb
log, principal, mode = sys.argv[1], sys.argv[2], sys.argv[3]
con = duckdb.connect()
if mode == "count":
    print(con.execute(f"SELECT count(*) FROM read_parquet('{log}')").fetchone()[0])
elif mode == "top":
    print(con.execute(f"""SELECT auth_sub FROM read_parquet('{log}')
        WHERE auth_sub_type = 'staff' AND http_status = 200
        GROUP BY auth_sub ORDER BY count(*) DESC LIMIT 1""").fetchone()[0])
else:
    rows = con.execute(f"""SELECT DISTINCT target_member_id FROM read_parquet('{log}')
        WHERE (auth_sub = '{principal}' OR auth_api_key = '{principal}')
          AND http_status = 200 AND target_member_id IS NOT NULL""").fetchall()
    print(len(rows))
PY
N=$("$PY" "$Q" "$LOG" - count)
PRINCIPAL=${PRINCIPAL:-$("$PY" "$Q" "$LOG" - top)}
echo "events: $N, principal: $PRINCIPAL, log: $(du -h "$LOG" | cut -f1)"
# The same answer first.
D=$("$PY" "$Q" "$LOG" "$PRINCIPAL" distinct)
"$S" -q impact --logs "$LOG" --principal "$PRINCIPAL" --no-state -f json -o target/bench-impact.json
M=$(python3 -c "import json; print(json.load(open('target/bench-impact.json'))['customers'])")
echo "distinct members: steward $M, duckdb $D"
[ "$M" = "$D" ] || { echo "answers differ"; exit 1; }
OUT=target/bench-impact-hyperfine.json
hyperfine --runs "$RUNS" --warmup 1 --export-json "$OUT" -N \
  -n "steward impact (log only)" \
  "$S -q impact --logs $LOG --principal $PRINCIPAL --no-state -f json -o /dev/null" \
  -n "duckdb distinct" "$PY $Q $LOG $PRINCIPAL distinct" \
  -n "python + import duckdb (start-up only)" "$PY -c 'import duckdb; duckdb.connect()'" \
  -n "steward impact (platform: stores, places)" \
  "$S -q impact --platform $P --principal $PRINCIPAL --no-state -f json -o /dev/null" \
  >/dev/null
/usr/bin/time -f "steward impact (log only): peak RSS %M KB" \
  "$S" -q impact --logs "$LOG" --principal "$PRINCIPAL" --no-state -f json -o /dev/null
/usr/bin/time -f "duckdb distinct: peak RSS %M KB" "$PY" "$Q" "$LOG" "$PRINCIPAL" distinct >/dev/null
python3 - "$OUT" <<'PYR'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
s, d = r["steward impact (log only)"]["median"], r["duckdb distinct"]["median"]
for name, x in r.items():
    print(f"{name}: median {x['median']:.3f} s (min {x['min']:.3f}, max {x['max']:.3f})")
print(f"ratio steward/duckdb: {s/d:.2f}")
u = r["python + import duckdb (start-up only)"]["median"]
print(f"ratio steward/duckdb less its start-up: {s/(d-u):.2f}")
PYR
