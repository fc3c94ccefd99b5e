#!/usr/bin/env bash
# Gossipsub v1.1 under attack, in the simulated network (p2p's pubsub.sim: real routers, real codec,
# links of 10-60 ms, simulated time, fixed seed), two markdown tables:
#   - per scenario (baseline, invalid-message spam, censorship, GRAFT-flood eclipse, IHAVE/IWANT
#     spam, cold boot with sybils 4:1): honest delivery, p50/p99 publish->delivery latency, p99
#     against the attack-free baseline, bytes honest nodes sent per message, where the sybils ended;
#   - gossip scale: the attack-free network at 10, 50 and 100 nodes.
#
#   bench/p2p-attack.sh [--messages M] [--seed S] [--build]
#
# Defaults: M=100 measured messages (5 per second, after the scenario's warm-up), S=2026. The
# latencies are simulated time, so they do not depend on the machine; the run time does (a few
# minutes on 2 shared cores). Scenarios and parameters: docs/gossipsub.md.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../bin/lib/jdk.sh
. "$ROOT/bin/lib/jdk.sh"
# shellcheck source=../bin/lib/bench.sh
. "$ROOT/bin/lib/bench.sh"
MESSAGES=100
SEED=2026
BUILD=0
tl_bench_args p2p-attack.sh --messages=MESSAGES --seed=SEED -- "$@"

JDK="$(tl_find_jdk)" || exit 1
CP="$(tl_bench_classpath "$ROOT" "$JDK" "$BUILD")" || exit 1
echo "# gossipsub attack simulation, seed $SEED, $MESSAGES measured messages ($(tl_cpu_summary))"
# shellcheck disable=SC2046 # tl_jvm_flags is a list of flags
"$JDK/bin/java" $(tl_jvm_flags) -Xmx2g -Dlogback.configurationFile="$ROOT/bench/p2p/logback.xml" \
  -cp "$CP" io.tensorlink.bench.p2p.P2pBench attack "$MESSAGES" "$SEED" 2> >(grep -v '^WARNING' >&2)
