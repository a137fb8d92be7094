package dev.zeropool;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The default bound follows the JVM it runs in: checked in fresh JVMs started with real flags. */
class DirectMemoryDefaultTest {

    /** Prints the default maxPooledBytes of a direct and a heap pool. Run in a child JVM. */
    public static final class Probe {
        public static void main(String[] args) {
            System.out.println(PoolConfig.defaults().maxPooledBytes() + " "
                    + BufferPool.builder().direct(false).toConfig().maxPooledBytes());
        }
    }

    @Test
    void aQuarterOfMaxDirectMemorySizeWhenItIsSet() throws Exception {
        String[] values = probe("-Xmx512m", "-XX:MaxDirectMemorySize=256m").split(" ");
        assertThat(Long.parseLong(values[0])).isEqualTo(64L << 20);
        assertThat(Long.parseLong(values[1])).isBetween(100L << 20, 128L << 20); // heap pools: a quarter of -Xmx
    }

    @Test
    void aQuarterOfTheHeapMaximumWhenItIsNot() throws Exception {
        String[] values = probe("-Xmx512m").split(" ");
        assertThat(values[0]).isEqualTo(values[1]); // the direct limit defaults to the heap max, as in the JDK
        assertThat(Long.parseLong(values[0])).isBetween(100L << 20, 128L << 20);
    }

    private static String probe(String... jvmOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Probe.class.getName());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(process.waitFor()).as(output).isZero();
        return output;
    }
}
