# shellcheck shell=bash
# Helpers shared by the benchmark scripts (bench/*.sh).

# The leading comment block of a script (after the shebang), as its --help text.
tl_script_help() {
  awk 'NR > 1 && !/^#/ { exit } NR > 1' "$1"
}

# The bench classpath of the checkout at ROOT. Builds the bench jar with JDK first when it is
# missing or FORCE is 1; the build talks on stderr, so stdout carries the classpath alone.
tl_bench_classpath() {
  local root=$1 jdk=$2 force=$3
  local jar="$root/bench/target/tensorlink-bench-0.1.0-SNAPSHOT.jar"
  if [[ $force -eq 1 || ! -f "$jar" ]]; then
    echo "building bench (once)..." >&2
    (cd "$root" && JAVA_HOME="$jdk" ./mvnw -q -B -pl bench -am package -DskipTests) >&2 || return 1
  fi
  echo "$jar:$root/bench/target/lib/*"
}

# The machine for a results header: "<n> CPUs, <CPU model>".
tl_cpu_summary() {
  echo "$(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
}

# The option loop of a benchmark script: tl_bench_args NAME --opt=VAR... -- "$@" sets VAR to the
# value after each --opt, BUILD=1 on --build, prints the --help text (exit 0) on -h/--help, and
# exits 2 on anything else, naming the script as NAME.
tl_bench_args() {
  local tl_name=$1 tl_spec tl_found
  local -a tl_specs=()
  shift
  while [[ $1 != -- ]]; do tl_specs+=("$1"); shift; done
  shift
  while [[ $# -gt 0 ]]; do
    case "$1" in
      --build) BUILD=1; shift; continue ;;
      -h|--help) tl_script_help "$0"; exit 0 ;;
    esac
    tl_found=0
    for tl_spec in "${tl_specs[@]}"; do
      if [[ "$1" == "${tl_spec%%=*}" ]]; then
        printf -v "${tl_spec#*=}" '%s' "$2"; shift 2; tl_found=1; break
      fi
    done
    [[ $tl_found -eq 1 ]] || { echo "$tl_name: unknown argument $1 (see --help)" >&2; exit 2; }
  done
}
