package dev.zeropool.benchmarks.checkpoint;

import dev.zeropool.safetensors.SafetensorsFile;
import dev.zeropool.safetensors.SafetensorsWriter;
import dev.zeropool.safetensors.TensorInfo;
import dev.zeropool.safetensors.TensorSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * Makes sure a checkpoint file with given tensors exists, writing it with random float32 weights only
 * when it is missing or does not match, so repeated benchmark forks reuse one file. Writes go to a
 * temporary sibling that is moved into place, so an interrupted run never leaves a half file that
 * looks valid.
 */
public final class CheckpointFiles {

    private CheckpointFiles() {
    }

    /**
     * @param path    where the file is or goes; parent directories are created
     * @param tensors the tensors it must hold, in data order (all {@code F32})
     * @param seed    seed of the random weights, so every generation writes the same bytes
     * @return {@code true} if the file was (re)written, {@code false} if an existing one was reused
     */
    public static boolean ensure(Path path, List<TensorSpec> tensors, long seed) throws IOException {
        if (matches(path, tensors)) {
            return false;
        }
        Path parent = path.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path partial = Files.createTempFile(parent, path.getFileName().toString(), ".partial");
        try {
            RandomFloats weights = new RandomFloats(seed);
            SafetensorsWriter.write(partial, tensors, Map.of("format", "pt"), (tensor, offset, chunk) -> weights.fill(chunk));
            Files.move(partial, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
        return true;
    }

    /** Whether {@code path} is a valid safetensors file holding exactly these tensors, in this order. */
    static boolean matches(Path path, List<TensorSpec> tensors) {
        if (!Files.isRegularFile(path)) {
            return false;
        }
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            List<TensorInfo> present = file.tensors();
            if (present.size() != tensors.size()) {
                return false;
            }
            for (int i = 0; i < tensors.size(); i++) {
                if (!present.get(i).spec().equals(tensors.get(i))) {
                    return false;
                }
            }
            return true; // the header check already proved that the file is exactly as long as the data
        } catch (IOException invalid) {
            return false;
        }
    }

    /** Small uniform floats in [-0.1, 0.1) from a xorshift generator: fast, finite, reproducible. */
    private static final class RandomFloats {
        private long state;

        RandomFloats(long seed) {
            state = seed == 0 ? 0x9E3779B97F4A7C15L : seed;
        }

        void fill(ByteBuffer chunk) {
            for (int i = 0; i + 4 <= chunk.limit(); i += 4) {
                state ^= state << 13;
                state ^= state >>> 7;
                state ^= state << 17;
                float unit = (state >>> 40) * 0x1.0p-24f;  // 24 random bits -> [0, 1)
                chunk.putFloat(i, (unit - 0.5f) * 0.2f);
            }
        }
    }
}
