#!/usr/bin/env bash
# Throughput of `steward scan` against ripgrep (the union of the same
# patterns) and Presidio's pattern recognizers, on one mixed corpus from the
# synthetic platform (gateway and auth JSON Lines, app log, tickets, address
# books, CSV exports), measured side by side in one run.
#
# usage: bench/scan-peers.sh [CORPUS_DIR]
#   CORPUS_DIR defaults to target/bench-corpus, built on first use from a
#   300,000-member, 10-day platform (about 1 GB).
# env: RUNS (default 3), PRESIDIO_BYTES (default 2000000)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
PRESIDIO_BYTES=${PRESIDIO_BYTES:-2000000}
cargo build --release --quiet
S=target/release/steward
CORPUS=${1:-target/bench-corpus}
if [ ! -d "$CORPUS" ]; then
  "$S" -q generate --customers 300000 --days 10 --out target/bench-platform >/dev/null
  mkdir -p "$CORPUS"
  for f in logs/gateway/access.jsonl logs/auth/issuance.jsonl logs/app/order-svc.log \
           stores/cs_tickets.jsonl stores/address_books.jsonl exports/analytics_us/members.csv \
           exports/vendor/hanriver_delivery.csv hr/roster.csv; do
    ln -f "target/bench-platform/$f" "$CORPUS/$(echo "$f" | tr / _)"
  done
fi
BYTES=$(cat "$CORPUS"/* | wc -c)
# ripgrep joins patterns into one regex, so named groups become plain ones.
"$S" scan --print-patterns | sed 's/(?P<v>/(?:/g' > target/bench-patterns.txt
OUT=target/bench-scan.json
hyperfine --runs "$RUNS" --warmup 1 --export-json "$OUT" -N \
  -n "steward 1 thread" "env RAYON_NUM_THREADS=1 $S -q scan --no-state $CORPUS" \
  -n "steward 2 threads" "$S -q scan --no-state $CORPUS" \
  -n "rg 1 thread, every match" "rg -j1 --count-matches -f target/bench-patterns.txt $CORPUS" \
  -n "rg 1 thread, matching lines" "rg -j1 -c -f target/bench-patterns.txt $CORPUS" \
  -i >/dev/null
python3 - "$OUT" "$BYTES" <<'PY'
import json, sys
runs = json.load(open(sys.argv[1]))["results"]
size = int(sys.argv[2])
med = {r["command"]: r["median"] for r in runs}
print(f"corpus: {size/1e6:.0f} MB")
for name, m in med.items():
    print(f"{name:<30} median {m:7.2f} s  {size/m/1e6:7.1f} MB/s")
s1 = med["steward 1 thread"]
print(f"steward / rg (every match):    {s1/med['rg 1 thread, every match']:.2f}x the time")
print(f"steward / rg (matching lines): {s1/med['rg 1 thread, matching lines']:.2f}x the time")
PY
if python3 -c 'import presidio_analyzer' 2>/dev/null; then
  # Presidio is too slow for the whole corpus: it reads a prefix of each
  # file (the same share of each), and throughput is compared.
  PER=$((PRESIDIO_BYTES / $(ls "$CORPUS" | wc -l)))
  mkdir -p target/presidio-sample
  for f in "$CORPUS"/*; do head -c "$PER" "$f" > "target/presidio-sample/$(basename "$f")"; done
  P=$(python3 bench/presidio_scan.py target/presidio-sample/*)
  echo "presidio: $P" | cut -c1-200
  SB=$(cat target/presidio-sample/* | wc -c)
  ST=$( { /usr/bin/time -f %e env RAYON_NUM_THREADS=1 "$S" -q scan --no-state target/presidio-sample >/dev/null || true; } 2>&1 | tail -1)
  python3 - "$P" "$SB" "$ST" "$BYTES" "$OUT" <<'PY'
import json, sys
p = json.loads(sys.argv[1]); sb = int(sys.argv[2]); st = float(sys.argv[3])
runs = json.load(open(sys.argv[5]))["results"]
full = [r["median"] for r in runs if r["command"] == "steward 1 thread"][0]
steward_rate = int(sys.argv[4]) / full / 1e6
print(f"presidio (pattern recognizers, blank spaCy): {p['mb_per_s']:.3f} MB/s on {p['bytes']/1e6:.1f} MB")
print(f"steward 1 thread on the same sample: {sb/st/1e6:.1f} MB/s (whole corpus: {steward_rate:.1f} MB/s)")
print(f"steward / presidio throughput: {steward_rate/p['mb_per_s']:.0f}x")
PY
fi
