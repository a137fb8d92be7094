package dev.zeropool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Direct-memory pressure, in a child JVM with a real -XX:MaxDirectMemorySize, so this test JVM's own
 * direct memory is left alone.
 */
class DirectMemoryPressureTest {

    private static final int MIB = 1 << 20;

    /** Runs one scenario in the child JVM and prints its outcome. */
    public static final class Scenario {
        public static void main(String[] args) {
            BufferPool pool = BufferPool.builder().maxPooledBytes(48L * MIB).maxBufferSize(32 * MIB)
                    .numShards(1).maxBuffersPerShard(64).tlsCacheSize(0).leakDetection(LeakDetection.OFF).build();
            List<ByteBuffer> idle = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                idle.add(pool.get(MIB));
            }
            idle.forEach(pool::put);
            idle.clear(); // 40 MiB now idle in the pool, out of a 64 MiB limit
            System.out.println("pooled before: " + pool.stats().pooledBytes());
            if (args.length > 0 && args[0].equals("beyond-limit")) {
                try {
                    pool.get(65 * MIB); // more than the whole 64 MiB limit: nothing the pool drops could help
                    System.out.println("unexpected: allocated beyond the limit");
                } catch (OutOfMemoryError e) {
                    System.out.println("error: " + e.getMessage());
                }
                System.out.println("pooled after the error: " + pool.stats().pooledBytes());
                return;
            }
            ByteBuffer big = pool.get(32 * MIB); // does not fit beside the idle 40 MiB
            System.out.println("allocated: " + big.capacity() + ", pooled after: " + pool.stats().pooledBytes());
            if (args.length > 0 && args[0].equals("hold")) {
                List<ByteBuffer> held = new ArrayList<>(); // buffers the caller holds: the pool cannot help
                held.add(big);
                try {
                    for (int i = 0; i < 3; i++) { // 4 x 32 MiB cannot fit in 64 MiB
                        held.add(pool.get(32 * MIB));
                    }
                    System.out.println("unexpected: allocated beyond the limit");
                } catch (OutOfMemoryError e) {
                    System.out.println("error: " + e.getMessage());
                }
                PoolStats stats = pool.stats();
                System.out.println("after the error: gets " + stats.gets() + ", misses " + stats.misses()
                        + ", allocated " + stats.allocatedBytes());
            }
        }
    }

    @Test
    void aFailedAllocationDropsTheIdleBuffersAndRetries() throws Exception {
        String output = run();
        assertThat(output).contains("pooled before: " + 40L * MIB);
        assertThat(output).contains("allocated: " + 32 * MIB + ", pooled after: 0");
    }

    @Test
    void whenEvenThatIsNotEnoughTheErrorSaysWhatThePoolHoldsAndTheLimit() throws Exception {
        String output = run("hold");
        assertThat(output).contains("error: Direct buffer memory: ZeroPool could not allocate " + 32 * MIB
                + " bytes even after dropping the 0 idle bytes its shards held.");
        assertThat(output).contains("the JVM's direct-memory limit is " + 64L * MIB + " bytes");
        assertThat(output).contains("maxPooledBytes " + 48L * MIB);
    }

    /**
     * A get the JVM cannot allocate is no get (BufferPoolTest: an unpooled one counts nowhere), for a pooled
     * size as well: 40 gets of 1 MiB and 2 of 32 MiB succeeded, the third 32 MiB one threw.
     */
    @Test
    void aPooledGetThatCannotBeAllocatedCountsNowhere() throws Exception {
        String output = run("hold");
        assertThat(output).contains("after the error: gets 42, misses 42, allocated " + (40L * MIB + 2L * 32 * MIB));
    }

    @Test
    void aRequestLargerThanTheWholeLimitFailsAtOnceAndKeepsTheIdleBuffers() throws Exception {
        String output = run("beyond-limit");
        assertThat(output).contains("error: Direct buffer memory: ZeroPool cannot allocate " + 65 * MIB
                + " bytes: more than the JVM's whole direct-memory limit, " + 64L * MIB + " bytes");
        assertThat(output).contains("pooled after the error: " + 40L * MIB);
    }

    private static String run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:MaxDirectMemorySize=64m", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                Scenario.class.getName()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        return output;
    }
}
