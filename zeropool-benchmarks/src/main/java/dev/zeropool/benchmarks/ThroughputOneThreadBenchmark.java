package dev.zeropool.benchmarks;

import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Threads;

/** {@link AbstractThroughputBenchmark} on one thread: the baseline of the scaling efficiency. */
@Threads(1)
@Fork(value = 2, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:MaxDirectMemorySize=1g"})
public class ThroughputOneThreadBenchmark extends AbstractThroughputBenchmark {
}
