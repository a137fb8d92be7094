package dev.zeropool.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link SafetensorsFile#open} reads a header of up to 100 MB into memory: on a small heap that throws
 * {@link OutOfMemoryError}, and the file must still be closed, not left open for the life of the process.
 * Run in a child JVM with a 32 MB heap, which counts its own descriptors on the file in {@code /proc/self/fd}.
 */
class OpenOutOfMemoryTest {

    @TempDir
    Path dir;

    /** The child: opens the file, then prints whether it ran out of memory and how many descriptors are left on it. */
    public static final class OpenOnASmallHeap {

        public static void main(String[] args) throws IOException {
            Path file = Path.of(args[0]).toRealPath();
            try {
                SafetensorsFile.open(file).close();
                System.out.println("opened");
            } catch (OutOfMemoryError expected) {
                System.out.println("out of memory");
            }
            try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
                System.out.println("open descriptors on the file: " + descriptors.filter((fd) -> {
                    try {
                        return Files.readSymbolicLink(fd).equals(file);
                    } catch (IOException gone) {
                        return false; // the listing's own descriptor, closed since
                    }
                }).count());
            }
        }
    }

    @Test
    void aHeaderTooLargeForTheHeapLeavesTheFileClosed() throws Exception {
        assumeThat(Path.of("/proc/self/fd")).as("Linux's descriptor listing").isDirectory();
        long headerLength = 90_000_000; // within the format's 100 MB bound, beyond a 32 MB heap
        Path file = dir.resolve("big-header.safetensors");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, headerLength));
            channel.write(ByteBuffer.wrap(new byte[] { ' ' }), 8 + headerLength - 1); // sparse: no 90 MB on disk
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(List.of(java, "-Xmx32m", "-cp", System.getProperty("java.class.path"),
                OpenOnASmallHeap.class.getName(), file.toString())).redirectErrorStream(true).start();
        String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();

        assertThat(output).contains("out of memory").contains("open descriptors on the file: 0");
    }
}
