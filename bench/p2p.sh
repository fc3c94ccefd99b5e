#!/usr/bin/env bash
# TensorLink p2p vs js-libp2p on loopback, one table:
#   - bulk-stream throughput over TCP + Noise + yamux (/tl/bulk/1.0.0, payload hashed by the
#     receiver on both sides), Java<->Java against js<->js (js-libp2p 3.3.11 on Node 22);
#   - publish->delivery latency p50/p99 in a 10-node Java gossipsub network.
#
#   bench/p2p.sh [--bytes N] [--runs K] [--warmup W] [--rounds R] [--nodes N] [--messages M] [--build]
#
# Defaults: 64 MiB, R=2 rounds of K=5 runs per side, each batch after W=20 unreported warm-up runs
# in the same process (both JITs, HotSpot's and V8's, are still compiling during the first few; the
# Java side goes on warming up, up to 3W runs, while its JIT still compiles for > 2% of a run),
# in ABBA order so load drift on a shared machine hits both sides alike; the table shows the median
# of all runs. Then 10 gossip nodes, 1000 messages. Sides never overlap. Needs JDK 21+ (JDK 25 for
# the ChaCha20 intrinsics) and p2p/interop/setup.sh (run here when needed).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../bin/lib/jdk.sh
. "$ROOT/bin/lib/jdk.sh"
# shellcheck source=../bin/lib/bench.sh
. "$ROOT/bin/lib/bench.sh"
BYTES=$((64 * 1024 * 1024))
RUNS=5
WARMUP=20
ROUNDS=2
NODES=10
MESSAGES=1000
BUILD=0
tl_bench_args p2p.sh --bytes=BYTES --runs=RUNS --warmup=WARMUP --rounds=ROUNDS \
  --nodes=NODES --messages=MESSAGES -- "$@"

JDK="$(tl_find_jdk)" || exit 1
NODE22="$("$ROOT/p2p/interop/setup.sh" | tail -1)"

CP="$(tl_bench_classpath "$ROOT" "$JDK" "$BUILD")" || exit 1

OURS="$(mktemp)"; THEIRS="$(mktemp)"; LISTENER_OUT="$(mktemp)"
LISTENER=""
cleanup() { [[ -n $LISTENER ]] && kill "$LISTENER" 2>/dev/null; rm -f "$OURS" "$THEIRS" "$LISTENER_OUT"; }
trap cleanup EXIT

java_side() {
  # shellcheck disable=SC2046 # tl_jvm_flags is a list of flags
  "$JDK/bin/java" $(tl_jvm_flags) -Xss4m -Xmx4g -Dlogback.configurationFile="$ROOT/bench/p2p/logback.xml" \
    -cp "$CP" io.tensorlink.bench.p2p.P2pBench "$@" 2> >(grep -v '^WARNING' >&2)
}

js_bulk() {
  echo "bulk: js<->js ($RUNS runs after $WARMUP warm-up runs)..." >&2
  # --serve: the listener ignores stdin and serves until we kill it.
  (cd "$ROOT/p2p/interop" && exec "$NODE22" peer.mjs --serve < /dev/null > "$LISTENER_OUT" 2>/dev/null) &
  LISTENER=$!
  for _ in $(seq 100); do grep -q '"listening"' "$LISTENER_OUT" 2>/dev/null && break; sleep 0.1; done
  local addr
  addr="$(grep -m1 '"listening"' "$LISTENER_OUT" | sed 's/.*"addrs":\["\([^"]*\)".*/\1/')"
  (cd "$ROOT/p2p/interop" && "$NODE22" peer.mjs --dial="$addr" --bulk-bytes="$BYTES" --bulk-repeat=$((WARMUP + RUNS)) --exit-after < /dev/null) \
    | grep '"bulk-sent"' | tail -n +$((WARMUP + 1)) >> "$THEIRS"
  kill "$LISTENER"; wait "$LISTENER" 2>/dev/null || true; LISTENER=""; : > "$LISTENER_OUT"
}
java_bulk() {
  echo "bulk: Java<->Java ($RUNS runs after $WARMUP warm-up runs)..." >&2
  java_side bulk "$BYTES" "$RUNS" "$WARMUP" >> "$OURS"
}

for round in $(seq "$ROUNDS"); do
  if (( round % 2 == 1 )); then js_bulk; java_bulk; else java_bulk; js_bulk; fi
done
echo "gossip: $NODES Java nodes, $MESSAGES messages..." >&2
java_side gossip "$NODES" "$MESSAGES" >> "$OURS"

echo
echo "TensorLink p2p benchmark: $(tl_cpu_summary),"
echo "$("$JDK/bin/java" -version 2>&1 | head -1), Node $("$NODE22" --version) + js-libp2p 3.3.11, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
python3 "$ROOT/bench/p2p/table.py" "$OURS" "$THEIRS" "$ROUNDS"
