# shellcheck shell=bash
# JDK discovery shared by ./tl and bin/tl-cli. TensorLink needs JDK >= 21; the machine's default
# `java` may be older, so we look at every candidate and pick the newest that qualifies.
#
#   TL_JAVA_HOME         use exactly this JDK (an error if it is older than 21)
#   JAVA_HOME            a candidate like any other
#   TL_JDK_SEARCH_DIRS   colon-separated parent dirs holding JDKs (default /usr/lib/jvm)
#
# tl_find_jdk prints the chosen JDK home on stdout, or explains on stderr and returns 1.

TL_MIN_JAVA=21

# The feature version (17, 21, 25) of a JDK home, from its `release` file or `java -version`.
tl_jdk_version() {
  local home=$1 line ver
  [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || return 1
  if [ -f "$home/release" ]; then
    line=$(grep -E '^JAVA_VERSION=' "$home/release" | head -n 1)
    ver=${line#JAVA_VERSION=}
    ver=${ver//\"/}
  fi
  if [ -z "${ver:-}" ]; then
    ver=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
  fi
  [ -n "$ver" ] || return 1
  case $ver in
    1.*) ver=${ver#1.}; echo "${ver%%[._-]*}" ;;
    *) echo "${ver%%[._+-]*}" ;;
  esac
}

tl_find_jdk() {
  local best="" best_ver=0 cand ver dir
  if [ -n "${TL_JAVA_HOME:-}" ]; then
    ver=$(tl_jdk_version "$TL_JAVA_HOME") || { echo "TL_JAVA_HOME=$TL_JAVA_HOME is not a JDK (no bin/java and bin/javac)" >&2; return 1; }
    if [ "$ver" -lt "$TL_MIN_JAVA" ]; then
      echo "TL_JAVA_HOME=$TL_JAVA_HOME is JDK $ver; TensorLink needs JDK $TL_MIN_JAVA or newer" >&2
      return 1
    fi
    echo "$TL_JAVA_HOME"
    return 0
  fi
  local -a candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  local IFS=:
  for dir in ${TL_JDK_SEARCH_DIRS:-/usr/lib/jvm}; do
    for cand in "$dir"/*; do
      [ -d "$cand" ] && [ ! -L "$cand" ] && candidates+=("$cand")
    done
  done
  unset IFS
  if [ -z "${TL_JDK_SEARCH_DIRS:-}" ] && command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  for cand in "${candidates[@]}"; do
    ver=$(tl_jdk_version "$cand") || continue
    if [ "$ver" -ge "$TL_MIN_JAVA" ] && [ "$ver" -gt "$best_ver" ]; then
      best=$cand
      best_ver=$ver
    fi
  done
  if [ -z "$best" ]; then
    echo "no JDK $TL_MIN_JAVA+ found (looked at JAVA_HOME, ${TL_JDK_SEARCH_DIRS:-/usr/lib/jvm}/* and javac on PATH)." >&2
    echo "Install one, e.g. 'apt-get install openjdk-21-jdk-headless' or Temurin 25, or set TL_JAVA_HOME." >&2
    return 1
  fi
  echo "$best"
}

# JVM flags every TensorLink process needs: the Vector API (deterministic SIMD kernels) and
# native access for RocksDB/Netty without warnings.
tl_jvm_flags() {
  echo "--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED"
}

# Class-data sharing for a fast start: the JVM maps the classes a previous run loaded from this
# archive instead of parsing them again (created at exit by the first run, or by ./tl setup). An
# archive older than the jar is stale: the JVM would refuse it without rebuilding it, so it goes.
# Nothing is printed when the folder is read-only.
tl_cds_flags() {
  local archive=$1 jar=$2
  if [ -f "$archive" ] && [ "$archive" -ot "$jar" ]; then
    rm -f "$archive" 2>/dev/null || return 0
  fi
  if [ -w "$(dirname "$archive")" ] || [ -f "$archive" ]; then
    echo "-XX:SharedArchiveFile=$archive -XX:+AutoCreateSharedArchive -Xlog:cds=off -Xlog:cds+dynamic=off"
  fi
}

# Copies stdin to stdout unbuffered, dropping the JVM's "WARNING: Using incubator modules" line
# that the Vector API brings. Byte for byte after that line, so a progress bar's carriage-return
# updates show as they come instead of waiting for a newline.
tl_drop_incubator_warning() {
  local warning='WARNING: Using incubator modules' head rest
  if ! IFS= read -r -d '' -N ${#warning} head; then
    printf '%s' "$head"
    return 0
  fi
  if [ "$head" = "$warning" ]; then
    IFS= read -r rest || true
  else
    printf '%s' "$head"
  fi
  exec cat
}

# Short commands (help, status, transactions) finish before the optimizing JIT pays off: stop at
# the quick C1 tier and use the serial collector. Commands with hot loops keep the full JIT: train,
# the long-running p2p commands, the node (training, re-execution, hashing: the Vector API is only
# fast once C2 compiles it) and job result (test-set accuracy).
tl_quick_start_flags() {
  local arg
  for arg in "$@"; do
    case $arg in
      train | p2p | node | result) return 0 ;;
    esac
  done
  echo "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
}
