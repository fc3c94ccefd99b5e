#!/usr/bin/env bash
# Start-up time of bin/tl-cli: wall time and CPU time (user + sys) of short commands, the median
# of N runs each, with the class-data-sharing archive (the default) and without it (TL_CDS=0).
# Time to first output equals the wall time here: these commands print only when they finish.
#   bench/cli.sh [runs]        (default 7)
# CPU time is the steadier number on a shared machine; wall time is what a user waits.
set -euo pipefail
TL_HOME=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
# shellcheck source=../bin/lib/bench.sh
. "$TL_HOME/bin/lib/bench.sh"
case "${1:-}" in -h | --help) tl_script_help "$0"; exit 0 ;; esac
runs=${1:-7}
cli="$TL_HOME/bin/tl-cli"
[ -f "$TL_HOME/cli/target/tl-cli.jar" ] || { echo "build first: ./tl setup" >&2; exit 3; }
data=$(mktemp -d "${TMPDIR:-/tmp}/tl-bench-cli.XXXXXX")
trap 'rm -rf "$data"' EXIT

# One measurement: "<wall s> <cpu s>" of one run (output discarded; exit status ignored:
# devnet status exits 4 when no devnet runs, which is what it measures here).
measure() {
  /usr/bin/time -o "$data/time" -f '%e %U %S' "$@" >/dev/null 2>&1 || true
  # GNU time writes "Command exited with non-zero status N" first when the command fails.
  tail -n 1 "$data/time" | awk '{ printf "%.3f %.3f\n", $1, $2 + $3 }' 
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

row() {
  local label=$1; shift
  local walls=() cpus=() i w c
  "$@" >/dev/null 2>&1 || true # warm-up (creates the archive when missing)
  for ((i = 0; i < runs; i++)); do
    read -r w c < <(measure "$@")
    walls+=("$w"); cpus+=("$c")
  done
  printf '%-40s wall %6s s   cpu %6s s\n' "$label" "$(printf '%s\n' "${walls[@]}" | median)" "$(printf '%s\n' "${cpus[@]}" | median)"
}

J="$(. "$TL_HOME/bin/lib/jdk.sh"; tl_find_jdk)/bin/java"
echo "# bin/tl-cli start-up, median of $runs runs; $(tl_cpu_summary); load $(cut -d' ' -f1-3 /proc/loadavg)"
row "floor: java -version (no tl-cli)" "$J" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -version
row "tl-cli --help" "$cli" --help
row "tl-cli --help (TL_CDS=0)" env TL_CDS=0 "$cli" --help
# The flags bin/tl-cli used before: no archive, full JIT, default collector.
row "tl-cli --help (old flags, java directly)" "$J" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xss4m \
  -jar "$TL_HOME/cli/target/tl-cli.jar" --help
row "tl-cli config show" "$cli" --data-dir "$data" config show
row "tl-cli devnet status (none running)" "$cli" --data-dir "$data" devnet status
row "tl-cli devnet status (TL_CDS=0)" env TL_CDS=0 "$cli" --data-dir "$data" devnet status
