#!/usr/bin/env bash
# TensorLink node store (RocksDB) write throughput, one table: step records written through
# NodeStore.commit in batches of 1, 100, 1000 and 10000 (a fresh store in a temp directory each
# run), and the fsynced signing-guard commits a validator makes before each signature.
#
#   bench/store.sh [--records N] [--record-bytes B] [--build]
#
# Defaults: 200000 records of 700 bytes (a signed step record's wire size). Target: >= 50k
# records/s with batches. Needs JDK 21+.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../bin/lib/jdk.sh
. "$ROOT/bin/lib/jdk.sh"
# shellcheck source=../bin/lib/bench.sh
. "$ROOT/bin/lib/bench.sh"
RECORDS=200000
RECORD_BYTES=700
BUILD=0
tl_bench_args store.sh --records=RECORDS --record-bytes=RECORD_BYTES -- "$@"

JDK="$(tl_find_jdk)" || exit 1
CP="$(tl_bench_classpath "$ROOT" "$JDK" "$BUILD")" || exit 1
echo "machine: $(tl_cpu_summary)"
# shellcheck disable=SC2046 # tl_jvm_flags is a list of flags
"$JDK/bin/java" $(tl_jvm_flags) -Xmx2g -Dlogback.configurationFile="$ROOT/bench/p2p/logback.xml" \
  -cp "$CP" io.tensorlink.bench.store.StoreBench "$RECORDS" "$RECORD_BYTES" 2> >(grep -v '^WARNING' >&2)
