package dev.zeropool.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.zeropool.BufferPool;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorLoaderTest {

    private static final List<TensorSpec> TENSORS = List.of(
            TensorSpec.of("a", DType.F32, 32, 16),
            TensorSpec.of("b", DType.BF16, 100),
            TensorSpec.of("empty", DType.U8, 0),
            TensorSpec.of("c", DType.I64, 3, 7));

    @TempDir
    Path dir;

    private Path write() throws IOException {
        Path file = dir.resolve("model.safetensors");
        SafetensorsWriter.write(file, TENSORS, Map.of(), (tensor, offset, chunk) -> {
            for (int i = 0; i < chunk.limit(); i++) {
                chunk.put(i, (byte) (tensor.name().charAt(0) + offset + i));
            }
        });
        return file;
    }

    @Test
    void aSourceBufferAtAPositionHoldsTheTensorFromThereToTheLimit() throws IOException {
        // A caller carving tensors out of one slab: the bytes before the position are not the tensor's.
        try (SafetensorsFile file = SafetensorsFile.open(write())) {
            TensorLoader loader = new TensorLoader(file);
            ByteBuffer slab = ByteBuffer.allocate(4096);
            ByteBuffer[] held = new ByteBuffer[1];
            loader.load(size -> slab.duplicate().position(16), held);
            assertThat(held[0].position()).isEqualTo(16);
            assertThat(held[0].remaining()).isEqualTo(TENSORS.get(0).byteSize());
            assertThat(held[0].get(16)).isEqualTo((byte) 'a');
        }
    }

    @Test
    void loadFillsOneFlippedBufferPerTensorFromTheSourceAndReturnsTheByteTotal() throws IOException {
        try (SafetensorsFile file = SafetensorsFile.open(write()); BufferPool pool = new BufferPool()) {
            TensorLoader loader = new TensorLoader(file);
            ByteBuffer[] held = new ByteBuffer[loader.tensorCount()];

            long bytes = loader.load(pool::get, held);

            assertThat(bytes).isEqualTo(2048 + 200 + 0 + 168);
            assertThat(pool.stats().gets()).isEqualTo(TENSORS.size());
            for (int i = 0; i < held.length; i++) {
                TensorSpec tensor = TENSORS.get(i);
                assertThat(held[i].position()).isZero();
                assertThat(held[i].limit()).as(tensor.name()).isEqualTo(tensor.byteSize());
                for (int b = 0; b < held[i].limit(); b++) {
                    assertThat(held[i].get(b)).isEqualTo((byte) (tensor.name().charAt(0) + b));
                }
            }
            Arrays.stream(held).forEach(pool::put);
        }
    }

    @Test
    void aFailedLoadLeavesEveryBufferItTookInHeldSoTheCallerCanReturnThemAll() throws IOException {
        Path path = write();
        try (SafetensorsFile file = SafetensorsFile.open(path); BufferPool pool = new BufferPool()) {
            // Cut the file under the open reader: the last tensor's read hits the end of the file.
            try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
                channel.truncate(channel.size() - 1);
            }
            TensorLoader loader = new TensorLoader(file);
            ByteBuffer[] held = new ByteBuffer[loader.tensorCount()];

            assertThatThrownBy(() -> loader.load(pool::get, held)).isInstanceOf(IOException.class);

            long taken = Arrays.stream(held).filter(Objects::nonNull).count();
            assertThat(taken).isEqualTo(TENSORS.size()).isEqualTo(pool.stats().gets());
            Arrays.stream(held).forEach(pool::put);
            assertThat(pool.stats().puts()).isEqualTo(pool.stats().gets());
            assertThat(pool.stats().rejected()).isZero();
        }
    }
}
