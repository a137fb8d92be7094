package dev.zeropool.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zeropool.benchmarks.candidates.PoolUsage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HandOffInterleavedTest {

    @Test
    void everyBufferZeroPoolHandedOutIsBackAndEachCycleIsALine() throws InterruptedException {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        PoolUsage usage = HandOffInterleaved.measure(2, 20, new PrintStream(printed, true, StandardCharsets.UTF_8));

        // ZeroPool's buffers still in the ring when its phase ends go back when the consumer meets them
        assertThat(usage.gets()).isPositive();
        assertThat(usage.puts()).isEqualTo(usage.gets());
        assertThat(usage.dropped()).isZero();
        assertThat(printed.toString(StandardCharsets.UTF_8).lines())
                .filteredOn(line -> line.matches("(warm|1|2|median) .*x"))
                .hasSize(4);
    }

    @Test
    void theProbeMeasuresARoundTripAndLeavesNoThreadBehind() {
        long nanos = CrossCoreProbe.roundTripNanos(3, 1_000_000L);

        assertThat(nanos).isPositive();
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(thread -> thread.getName().equals("cross-core-probe"));
    }
}
