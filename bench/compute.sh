#!/usr/bin/env bash
# TensorLink compute vs OpenBLAS (sgemm) and PyTorch CPU (training steps), one table.
#
#   bench/compute.sh [--threads N] [--only gemm|train] [--models m1,m2,..] [--rounds R] [--build]
#
# Both sides run in this one invocation, one after the other (never overlapping), with the same
# thread count, shapes, batches, warm-up and fastest-of-7 timing. With R rounds (default 2) the
# sides run in ABBA order and each reports its best round, so a drift in machine load hits both alike.
# The reference runs in two thread configurations and reports its best, naming it:
#   blas1: OPENBLAS/OMP/MKL_NUM_THREADS=1 (torch.set_num_threads(N) still runs its own pool)
#   blasN: OPENBLAS/OMP/MKL_NUM_THREADS=N (and torch at N)
# Models (--models, default all): mlp, cnn, gpt-char (models/*.json, batch 128) and gpt-6x256
# (bench/compute/models/gpt-6x256.json: 6 blocks x 256 wide, context 256, batch 8 to keep a step
# near a second on two cores).
# Every training row runs in its own process, so its peak resident memory (VmHWM) is its own.
# Needs JDK 21+ with jdk.incubator.vector (JDK 25 preferred) and Debian's python3-numpy,
# python3-torch and libopenblas0-pthread.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../bin/lib/jdk.sh
. "$ROOT/bin/lib/jdk.sh"
# shellcheck source=../bin/lib/bench.sh
. "$ROOT/bin/lib/bench.sh"
THREADS=2
ONLY=all
BUILD=0
ROUNDS=2
MODELS=mlp,cnn,gpt-char,gpt-6x256
while [[ $# -gt 0 ]]; do
  case "$1" in
    --threads) THREADS="$2"; shift 2 ;;
    --only) ONLY="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --models) MODELS="$2"; shift 2 ;;
    --build) BUILD=1; shift ;;
    -h|--help) tl_script_help "$0"; exit 0 ;;
    *) echo "compute.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

case "$ONLY" in all|gemm|train) ;; *) echo "compute.sh: --only takes gemm or train, not $ONLY" >&2; exit 2 ;; esac
[[ "$THREADS" =~ ^[1-9][0-9]*$ ]] || { echo "compute.sh: --threads takes a positive integer, not $THREADS" >&2; exit 2; }
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || { echo "compute.sh: --rounds takes a positive integer, not $ROUNDS" >&2; exit 2; }
# model name -> "spec batch"
declare -A MODEL_RUN=(
  [mlp]="$ROOT/models/mlp.json 128"
  [cnn]="$ROOT/models/cnn.json 128"
  [gpt-char]="$ROOT/models/gpt-char.json 128"
  [gpt-6x256]="$ROOT/bench/compute/models/gpt-6x256.json 8"
)
IFS=, read -r -a MODEL_LIST <<<"$MODELS"
for m in "${MODEL_LIST[@]}"; do
  [[ -n "${MODEL_RUN[$m]:-}" ]] || { echo "compute.sh: unknown model $m (known: ${!MODEL_RUN[*]})" >&2; exit 2; }
done

JDK="$(tl_find_jdk)" || exit 1
# Debian's interpreter: python3-torch and python3-numpy install there, not into pyenv/venvs.
PY="${PYTHON:-/usr/bin/python3}"
missing=()
"$PY" -c "import numpy" 2>/dev/null || missing+=(python3-numpy)
"$PY" -c "import torch" 2>/dev/null || missing+=(python3-torch)
# Without the pthread OpenBLAS, numpy and torch fall back to the reference BLAS and the
# comparison is meaningless.
[[ -e /usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3 ]] || missing+=(libopenblas0-pthread)
if [[ ${#missing[@]} -gt 0 ]]; then
  echo "compute.sh: missing ${missing[*]}; install with:" >&2
  echo "  sudo apt-get install -y python3-numpy python3-torch libopenblas0-pthread" >&2
  exit 1
fi

CP="$(tl_bench_classpath "$ROOT" "$JDK" "$BUILD")" || exit 1

OURS="$(mktemp)"; REF="$(mktemp)"
trap 'rm -f "$OURS" "$REF"' EXIT
java_side() {
  # shellcheck disable=SC2046 # tl_jvm_flags is a list of flags
  "$JDK/bin/java" $(tl_jvm_flags) -Xss4m -Xmx4g \
    -Dlogback.configurationFile=/dev/null \
    -cp "$CP" io.tensorlink.bench.compute.ComputeBench "$@" \
    2> >(grep -v -e '^WARNING' -e 'incubator' >&2)
}
# Runs the rest of the line with every BLAS/OpenMP pool at $1 threads.
with_blas_threads() {
  local n=$1; shift
  OPENBLAS_NUM_THREADS="$n" OMP_NUM_THREADS="$n" MKL_NUM_THREADS="$n" "$@"
}
REF_CONFIGS=(1 "$THREADS")
[[ $THREADS -eq 1 ]] && REF_CONFIGS=(1)

ours_gemm() { echo "sgemm: TensorLink CpuBackend..." >&2; java_side gemm "$THREADS" >> "$OURS"; }
ref_gemm() {
  for n in "${REF_CONFIGS[@]}"; do
    echo "sgemm: OpenBLAS via numpy, BLAS threads $n..." >&2
    with_blas_threads "$n" "$PY" "$ROOT/bench/compute/numpy_gemm.py" "blas$n" >> "$REF"
  done
}
ours_train() {
  for m in "${MODEL_LIST[@]}"; do
    echo "training $m: TensorLink..." >&2
    # shellcheck disable=SC2086 # MODEL_RUN holds "spec batch"
    java_side train ${MODEL_RUN[$m]} "$THREADS" >> "$OURS"
  done
}
ref_train() {
  for m in "${MODEL_LIST[@]}"; do
    for n in "${REF_CONFIGS[@]}"; do
      echo "training $m: PyTorch $TORCH_VERSION CPU, torch threads $THREADS, BLAS threads $n..." >&2
      # shellcheck disable=SC2086 # MODEL_RUN holds "spec batch"
      with_blas_threads "$n" "$PY" "$ROOT/bench/compute/torch_train.py" ${MODEL_RUN[$m]} "$THREADS" "blas$n" >> "$REF"
    done
  done
}
TORCH_VERSION="$("$PY" -c 'import torch; print(torch.__version__)')"
for part in gemm train; do
  [[ $ONLY == all || $ONLY == "$part" ]] || continue
  for ((round = 0; round < ROUNDS; round++)); do
    if ((round % 2 == 0)); then "ours_$part"; "ref_$part"; else "ref_$part"; "ours_$part"; fi
  done
done

echo
echo "TensorLink compute benchmark: $THREADS threads, $(tl_cpu_summary),"
echo "$("$JDK/bin/java" -version 2>&1 | head -1), PyTorch $TORCH_VERSION, best of $ROUNDS ABBA rounds, each the fastest of 7 (3 for steps over 1 s),"
echo "load average $(cut -d' ' -f1-3 /proc/loadavg); reference config blas1 = OPENBLAS/OMP_NUM_THREADS=1, blasN = N (torch.set_num_threads($THREADS) in both)"
echo
"$PY" "$ROOT/bench/compute/table.py" "$OURS" "$REF"
