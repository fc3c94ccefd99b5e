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
