package dev.zeropool.benchmarks;

import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Threads;

/**
 * {@link AbstractThroughputBenchmark} on two threads sharing each candidate. Three forks, because on a
 * two-core machine the scheduler's placement of two busy threads varies from one JVM to the next.
 */
@Threads(2)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:MaxDirectMemorySize=1g"})
public class ThroughputTwoThreadsBenchmark extends AbstractThroughputBenchmark {
}
