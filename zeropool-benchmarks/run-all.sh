#!/usr/bin/env bash
# Builds the benchmarks and runs the whole suite: about 10 minutes on 2 cores (see README-bench.md for
# the breakdown). Run it on a quiet machine; anything else running skews the figures.
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

# allocateDirect "freed at once" uses the Foreign Memory API, final in JDK 22; leave it out before.
feature="$("$java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.specification.version/ {print $2}')"
exclude=()
if [ "${feature%%.*}" -lt 22 ]; then
  exclude=(-e 'allocateDirectFreedAtOnce')
fi

# -prof gc adds gc.alloc.rate.norm (heap bytes allocated per operation) to every result.
status=0
"$java" -jar zeropool-benchmarks/target/benchmarks.jar "${INCLUDE:-dev\.zeropool\.benchmarks\..*}" "${exclude[@]}" \
  -prof gc -rf json -rff "$out/results.json" "$@" 2>&1 | tee "$out/results.txt" || status=$?

"$java" -cp zeropool-benchmarks/target/benchmarks.jar dev.zeropool.benchmarks.report.ResultsReport \
  "$out/results.json" > "$out/results.md"
echo "Tables: $out/results.md"
exit "$status"
