#!/usr/bin/env bash
# TensorLink proof-of-learning targets: validator CPU per block vs the workers' CPU, and detection.
#
#   bench/pol.sh [--only cost|detection] [--model models/mlp.json] [--stages S] [--replicas R]
#                [--batch B] [--block N] [--records M] [--trials T] [--build]
#
# cost: one process trains a block of N steps with S x R workers on the real compute engine, then
# runs the validator's structural check on every record and re-executes every record (inputs
# through the /tl/verify encoding), and prints validator CPU at verify rates 0.01..0.25 against
# the workers' CPU for the same steps (process CPU time; target ratio <= p + 0.02).
# detection: the analytic P(detect) = 1 - (1-p)^(V*ceil(f*M)) next to a Monte-Carlo simulation
# with the real sample predicate (keccak256), for fractions f of faked records, rates p and V validators.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../bin/lib/jdk.sh
. "$ROOT/bin/lib/jdk.sh"
# shellcheck source=../bin/lib/bench.sh
. "$ROOT/bin/lib/bench.sh"
ONLY=all
MODEL=models/mlp.json
STAGES=2
REPLICAS=2
BATCH=64
BLOCK=16
RECORDS=200
TRIALS=2000
BUILD=0
tl_bench_args pol.sh --only=ONLY --model=MODEL --stages=STAGES --replicas=REPLICAS \
  --batch=BATCH --block=BLOCK --records=RECORDS --trials=TRIALS -- "$@"
case "$ONLY" in all|cost|detection) ;; *) echo "pol.sh: --only takes cost or detection, not $ONLY" >&2; exit 2 ;; esac
for n in "$STAGES" "$REPLICAS" "$BATCH" "$BLOCK" "$RECORDS" "$TRIALS"; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "pol.sh: counts must be positive integers, got $n" >&2; exit 2; }
done

JDK="$(tl_find_jdk)" || exit 1
CP="$(tl_bench_classpath "$ROOT" "$JDK" "$BUILD")" || exit 1
JAVA=("$JDK/bin/java" --add-modules jdk.incubator.vector -cp "$CP")
echo "machine: $(tl_cpu_summary)"
cd "$ROOT"
if [[ "$ONLY" == all || "$ONLY" == cost ]]; then
  "${JAVA[@]}" io.tensorlink.bench.pol.ValidatorCostBench "$MODEL" "$STAGES" "$REPLICAS" "$BATCH" "$BLOCK" 2>&1 \
    | grep -v '^WARNING'
fi
if [[ "$ONLY" == all || "$ONLY" == detection ]]; then
  "${JAVA[@]}" io.tensorlink.bench.pol.DetectionBench "$RECORDS" "$TRIALS" 2>&1 | grep -v '^WARNING'
fi
