#!/usr/bin/env bash
# Leak sampling's cost per get+put pair in bursts (LeakSamplingCostBenchmark's burst methods), in rounds: each
# round runs off, sampled and every-get-sampled in one fork apiece, one after the other, so that the drift of a
# shared machine between JVMs (several ns here) falls on all three alike. Reports the paired differences with a
# 95% confidence interval, and the cost of one sample. About 30 s per round; 10 rounds by default. Not part of
# run-all.sh (its budget); run it on a quiet machine.
#
#   zeropool-benchmarks/run-leak-cost.sh              # the JDK on PATH (or JAVA_HOME)
#   ROUNDS=20 zeropool-benchmarks/run-leak-cost.sh
#
# Writes zeropool-benchmarks/target/results/leak-cost-<UTC time>/: environment.txt, round-N-<method>.json and
# results.md (the README's table).
set -euo pipefail

cd "$(dirname "$0")/.."
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
rounds="${ROUNDS:-10}"
jar=zeropool-benchmarks/target/benchmarks.jar

./mvnw -B -q -pl zeropool-benchmarks -am package -DskipTests

out="zeropool-benchmarks/target/results/leak-cost-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "jdk: $("$java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.vm.version/ {print $2}')"
  echo "nproc: $(nproc)"
  echo "cpu: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || uname -p)"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
  echo "rounds: $rounds (each: 1 fork, 3 x 1 s warm-up, 4 x 1 s measured, per method)"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
} > "$out/environment.txt"
cat "$out/environment.txt"

for round in $(seq "$rounds"); do
  for method in offBurst sampledBurst everyGetSampledBurst; do
    "$java" -jar "$jar" "LeakSamplingCostBenchmark\.$method\$" -f 1 -wi 3 -i 4 -w 1 -r 1 \
      -rf json -rff "$out/round-$round-$method.json" >>"$out/results.txt" 2>&1
  done
  echo "round $round of $rounds done"
done
"$java" -cp "$jar" dev.zeropool.benchmarks.report.LeakCostReport "$out" | tee "$out/results.md"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)" | tee -a "$out/environment.txt"
echo "Table: $out/results.md"
