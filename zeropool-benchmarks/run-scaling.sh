#!/usr/bin/env bash
# Many-core scaling: the access patterns by thread count, ZeroPool's defaults side by side with the floor, Jetty
# and Netty in the same run. For a machine with many cores (16 or more); on 2 cores use run-all.sh. About
# 3.5 minutes on 16 cores with the defaults below (one fork per run: 20 + 9 + 8 runs of about 5 s; 2 min 50 s
# measured with 16 + 9 + 8, before zeroPoolWithoutCaches).
#
#   zeropool-benchmarks/run-scaling.sh               # builds, then runs with the JDK on PATH (or JAVA_HOME)
#   JAR=benchmarks.jar OUT_DIR=out zeropool-benchmarks/run-scaling.sh   # a prebuilt jar, e.g. on a machine
#                                                    # with a Java runtime but no JDK or Maven
#   THREADS="1 2 4 8 16 32" PAIRS="1 8 16" FORKS=2 zeropool-benchmarks/run-scaling.sh
#   ASYNC_PROFILER=/path/libasyncProfiler.so ...     # also profiles zeroPool at the largest thread count and
#                                                    # with 256 virtual threads (CPU, collapsed stacks)
#   COMMIT=abc1234 ...                               # the commit to record where the tree has no .git
#   zeropool-benchmarks/run-scaling.sh -wi 0 -i 1    # extra arguments go to every JMH run
#
#   same thread   ThroughputOneThreadBenchmark at -t 1, 4, 8, 16 (THREADS, at most nproc), with
#                 zeroPoolWithoutCaches: every call through the shards, as a virtual thread's
#   hand-off      HandOffBenchmark's pair groups at -tg P,P for P = 1, 4, 8 (PAIRS, 2P at most nproc)
#   virtual       VirtualThreadsBenchmark with nproc carriers, nproc and 256 virtual threads
#
# Writes <OUT_DIR or zeropool-benchmarks/target/results/scaling-<UTC time>>/: environment.txt, one JMH
# JSON file per run and results.md (the README's tables).
set -euo pipefail

cd "$(dirname "$0")/.."
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
cores="$(nproc)"
forks="${FORKS:-1}"
threads_list="${THREADS:-1 4 8 16}"
pairs_list="${PAIRS:-1 4 8}"

jar="${JAR:-}"
if [ -z "$jar" ]; then
  ./mvnw -B -q -pl zeropool-benchmarks -am package -DskipTests
  jar=zeropool-benchmarks/target/benchmarks.jar
fi

out="${OUT_DIR:-zeropool-benchmarks/target/results/scaling-$(date -u +%Y%m%dT%H%M%SZ)}"
mkdir -p "$out"
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "jdk: $("$java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.vm.version/ {print $2}')" \
       "($("$java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.vm.vendor/ {print $2}'))"
  echo "nproc: $cores"
  echo "cpu: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || uname -p)"
  echo "os: $(uname -srm)"
  echo "commit: ${COMMIT:-$(git rev-parse --short HEAD 2>/dev/null || echo unknown)}"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
} > "$out/environment.txt"
cat "$out/environment.txt"

extra=("$@")
memory=(-Xms1g -Xmx1g -XX:MaxDirectMemorySize=1g)
jmh() {
  local name="$1"
  shift
  "$java" -jar "$jar" "$@" -f "$forks" "${extra[@]}" -rf json -rff "$out/$name.json" 2>&1 | tee -a "$out/results.txt"
}

largest=1
for t in $threads_list; do
  [ "$t" -le "$cores" ] || continue
  largest="$t"
  jmh "same-thread-$t" 'ThroughputOneThreadBenchmark\.(zeroPool|zeroPoolWithoutCaches|floor|jettyArrayPool|nettyAdaptive)$' -t "$t"
done

for p in $pairs_list; do
  [ $((2 * p)) -le "$cores" ] || continue
  jmh "hand-off-$p" 'HandOffBenchmark\.(zeroPool|jettyArrayPool|nettyAdaptive)TwoPairs$' -tg "$p,$p"
done

feature="$("$java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')"
if [ "${feature%%.*}" -ge 21 ]; then
  jmh virtual 'VirtualThreadsBenchmark\.(zeroPool|floor|jettyArrayPool|nettyAdaptive)$' -p "threads=$cores,256" \
    -jvmArgsAppend "${memory[*]} -Djdk.virtualThreadScheduler.parallelism=$cores -Djdk.virtualThreadScheduler.maxPoolSize=$cores"
fi

if [ -n "${ASYNC_PROFILER:-}" ]; then
  mkdir -p "$out/profile"
  jmh "profile/profile-$largest" 'ThroughputOneThreadBenchmark\.zeroPool$' -t "$largest" \
    -prof "async:libPath=$ASYNC_PROFILER;output=collapsed;dir=$out/profile;event=cpu;interval=1000000"
  if [ "${feature%%.*}" -ge 21 ]; then
    jmh "profile/profile-virtual" 'VirtualThreadsBenchmark\.zeroPool$' -p threads=256 \
      -jvmArgsAppend "${memory[*]} -Djdk.virtualThreadScheduler.parallelism=$cores -Djdk.virtualThreadScheduler.maxPoolSize=$cores" \
      -prof "async:libPath=$ASYNC_PROFILER;output=collapsed;dir=$out/profile;event=cpu;interval=1000000"
  fi
fi

"$java" -cp "$jar" dev.zeropool.benchmarks.report.ResultsReport --scaling "$out"/*.json > "$out/results.md"
cat "$out/results.md"
