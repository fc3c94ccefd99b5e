#!/usr/bin/env bash
# TensorLink distributed-efficiency targets (issue 11), CPU-normalised on a 2-core machine:
#   2 replicas in 2 processes (1 thread each) >= 0.85x the samples/s of 1 process with 2 threads;
#   2 pipeline stages with micro-batching      >= 0.75x.
#
#   bench/dist.sh [--model models/mlp.json] [--batch GLOBAL] [--warmup W] [--steps N]
#                 [--micro M] [--build]
#
# The distributed side is two worker JVMs (WorkerRuntime over /tl/tensor/1.0.0 on loopback libp2p,
# records hashed and signed as in production); the baseline trains the same global batches in one
# JVM with a 2-thread backend and no protocol. Both use all of the machine: run it on an idle one.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../bin/lib/jdk.sh
. "$ROOT/bin/lib/jdk.sh"
# shellcheck source=../bin/lib/bench.sh
. "$ROOT/bin/lib/bench.sh"
MODEL=models/mlp.json
BATCH=256
WARMUP=5
STEPS=30
MICRO=4
BUILD=0
tl_bench_args dist.sh --model=MODEL --batch=BATCH --warmup=WARMUP --steps=STEPS --micro=MICRO -- "$@"
for n in "$BATCH" "$WARMUP" "$STEPS" "$MICRO"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "dist.sh: counts must be positive integers, got $n" >&2; exit 2; }
done
(( BATCH % 2 == 0 )) || { echo "dist.sh: --batch must be even (two replicas), got $BATCH" >&2; exit 2; }
(( MICRO <= BATCH )) || { echo "dist.sh: --micro $MICRO exceeds the batch of $BATCH" >&2; exit 2; }

JDK="$(tl_find_jdk)" || exit 1
CP="$(tl_bench_classpath "$ROOT" "$JDK" "$BUILD")" || exit 1
echo "machine: $(tl_cpu_summary)"
cd "$ROOT"
"$JDK/bin/java" --add-modules jdk.incubator.vector -cp "$CP" io.tensorlink.bench.dist.DistEfficiencyBench \
  "$MODEL" "$BATCH" "$WARMUP" "$STEPS" "$MICRO" 2>&1 | grep -v '^WARNING'
