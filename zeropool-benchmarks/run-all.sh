#!/usr/bin/env bash
# Builds the benchmarks and runs the whole suite: 12 to 14 minutes on 2 cores, within a 15-minute budget.
# Run it on a quiet machine; anything else running skews the figures.
#
# Time budget, from the JMH settings: a run (one fork) costs its warm-up and measured iterations plus about
# 1.5 s to start the JVM, profile and tear down (a full run on the 2-core machine took 35% longer than the
# iterations alone).
#   GetPutLatencyBenchmark     11 candidates x 3 sizes = 33 runs x (1 s + 3 s + 1.5 s)    = 182 s
#   ThroughputOne/TwoThreads   6 candidates x (2 + 3) forks = 30 runs x (3 s + 3 s + 1.5 s)= 225 s
#   HitPathBenchmark           3 runs x (2 s + 4 s + 1.5 s)                                 =  23 s
#   MixedSizeBenchmark         4 runs x (3 s + 5 s + 1.5 s)                                 =  38 s
#   CheckpointLoadBenchmark    5 runs x (4 s + 6 s, overrun by up to a load each, + 1.5 s) =  70 s
#   HandOffBenchmark           6 groups x 2 forks = 12 runs x (1 s + 3 s + 1.5 s)          =  66 s
#   VirtualThreadsBenchmark    4 candidates x 2 thread counts x 2 forks = 16 runs x 6 s     =  96 s
#   ShuffleBenchmark           4 candidates x 2 forks = 8 runs x 5.5 s                      =  44 s
#   WorkerPoolLoadBenchmark    3 runs x 7 s (5 s, and ending the last 200-thread executor)  =  21 s
#   BatchBenchmark             4 runs x 5.5 s                                               =  22 s
#   LeaseBenchmark             3 forms x 2 forks = 6 runs x (1 s + 3 s + 1.5 s)            =  33 s
#   total                      820 s = 13.7 min of benchmarks, plus about 1 min to build and report
#                              (the run at ec09611 took 86% of its estimate).
#   Before JDK 22 there is no allocateDirectFreedAtOnce (-17 s latency, -38 s throughput), before JDK 21 no
#   VirtualThreadsBenchmark (-96 s): 632 s = 10.5 min on JDK 17.
#
#   zeropool-benchmarks/run-all.sh                 # the JDK on PATH (or JAVA_HOME)
#   JAVA_HOME=/path/to/jdk-25 zeropool-benchmarks/run-all.sh
#   zeropool-benchmarks/run-all.sh -p size=1024    # extra arguments go to JMH
#   INCLUDE='HitPathBenchmark' zeropool-benchmarks/run-all.sh   # a subset (a JMH regex)
#
# Writes zeropool-benchmarks/target/results/<UTC time>/: environment.txt (date, JDK, nproc, CPU,
# commit), results.json (JMH), results.txt (JMH's log, including the pools' printed statistics) and
# results.md (the README tables, with ratios).
set -euo pipefail

cd "$(dirname "$0")/.."
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"

./mvnw -B -q -pl zeropool-benchmarks -am package -DskipTests

out="zeropool-benchmarks/target/results/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "jdk: $("$java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.vm.version/ {print $2}')" \
       "($("$java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.vm.vendor/ {print $2}'))"
  echo "nproc: $(nproc)"
  echo "cpu: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || uname -p)"
  echo "os: $(uname -srm)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
} > "$out/environment.txt"
cat "$out/environment.txt"

# allocateDirect "freed at once" uses the Foreign Memory API, final in JDK 22, and VirtualThreadsBenchmark
# needs virtual threads, final in JDK 21; leave them out before.
feature="$("$java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')"
# LeakSamplingCostBenchmark needs more iterations than this budget has; it runs on its own (see its Javadoc).
exclude=(-e 'LeakSamplingCostBenchmark')
if [ "${feature%%.*}" -lt 22 ]; then
  exclude+=(-e 'allocateDirectFreedAtOnce')
fi
if [ "${feature%%.*}" -lt 21 ]; then
  exclude+=(-e 'VirtualThreadsBenchmark')
fi

# -prof gc adds gc.alloc.rate.norm (heap bytes allocated per operation) to every result.
status=0
"$java" -jar zeropool-benchmarks/target/benchmarks.jar "${INCLUDE:-dev\.zeropool\.benchmarks\..*}" "${exclude[@]}" \
  -prof gc -rf json -rff "$out/results.json" "$@" 2>&1 | tee "$out/results.txt" || status=$?

"$java" -cp zeropool-benchmarks/target/benchmarks.jar dev.zeropool.benchmarks.report.ResultsReport \
  "$out/results.json" > "$out/results.md"
echo "Tables: $out/results.md"
exit "$status"
