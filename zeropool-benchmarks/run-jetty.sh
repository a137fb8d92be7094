#!/usr/bin/env bash
# The Jetty server load: a real Jetty 12.1 server serving 1 MiB responses to concurrent HttpClient requests, with
# Jetty's default ByteBufferPool and with ZeroPoolByteBufferPool, each in a fresh JVM, rounds alternating.
# About 2.5 minutes with the defaults (3 rounds x 2 candidates x ~22 s, plus the build). Not part of run-all.sh,
# whose 15-minute budget it would overrun on 2 cores. Run it on a quiet machine.
#
#   zeropool-benchmarks/run-jetty.sh                       # the JDK on PATH (or JAVA_HOME)
#   ROUNDS=5 zeropool-benchmarks/run-jetty.sh 3 10 16 2000 64
#     arguments: warmupSeconds burstSeconds concurrency idleTimeoutMillis zeroPoolMaxMiB (see JettyServerLoad)
#
# Both candidates run with the same heap and direct-memory limits (JVM_OPTS overrides them). Writes
# zeropool-benchmarks/target/results/jetty-<UTC time>/: environment.txt and results.md (the README's table).
set -euo pipefail

cd "$(dirname "$0")/.."
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
rounds="${ROUNDS:-3}"
jvm_opts=(${JVM_OPTS:--Xms512m -Xmx512m -XX:MaxDirectMemorySize=512m})

./mvnw -B -q -pl zeropool-benchmarks -am package -DskipTests

out="zeropool-benchmarks/target/results/jetty-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
{
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "jdk: $("$java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.vm.version/ {print $2}')" \
       "($("$java" -XshowSettings:properties -version 2>&1 | awk -F' = ' '/java.vm.vendor/ {print $2}'))"
  echo "nproc: $(nproc)"
  echo "cpu: $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || uname -p)"
  echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
  echo "jvm options: ${jvm_opts[*]}"
  echo "arguments: ${*:-defaults}"
  echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
} > "$out/environment.txt"
cat "$out/environment.txt"

{
  echo "| pool | concurrency | requests/s | direct MiB, peak in burst | direct MiB, end of burst | pool's MiB, end of burst | direct MiB, after idle + trim + GC | pool's MiB, after idle | GCs in burst |"
  echo "|---|---|---|---|---|---|---|---|---|"
  for round in $(seq "$rounds"); do
    for candidate in jetty zeropool; do
      "$java" "${jvm_opts[@]}" -cp zeropool-benchmarks/target/benchmarks.jar \
        dev.zeropool.benchmarks.jetty.JettyServerLoad "$candidate" "$@" 2>>"$out/settings.txt"
    done
  done
} | tee "$out/results.md"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)" | tee -a "$out/environment.txt"
echo "Table: $out/results.md"
