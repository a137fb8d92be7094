package dev.zeropool.benchmarks.checkpoint;

import java.net.URISyntaxException;
import java.nio.file.Path;

/**
 * Where the benchmark's checkpoint file lives: the system property {@value #PROPERTY} if set, else
 * {@code checkpoint/gpt2-124m-f32.safetensors} beside the benchmark code, that is in the module's
 * {@code target/} directory (next to {@code benchmarks.jar} or {@code classes/}), so {@code mvn clean}
 * removes it and git never sees it.
 */
public final class CheckpointLocation {

    /** System property naming the checkpoint file; pass it to forks with {@code -jvmArgsPrepend -D...}. */
    public static final String PROPERTY = "zeropool.checkpoint";

    private CheckpointLocation() {
    }

    public static Path path() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        try {
            Path code = Path.of(CheckpointLocation.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return code.toAbsolutePath().getParent().resolve("checkpoint").resolve("gpt2-124m-f32.safetensors");
        } catch (URISyntaxException | RuntimeException e) {
            return Path.of(System.getProperty("java.io.tmpdir"), "zeropool-benchmarks", "gpt2-124m-f32.safetensors");
        }
    }
}
