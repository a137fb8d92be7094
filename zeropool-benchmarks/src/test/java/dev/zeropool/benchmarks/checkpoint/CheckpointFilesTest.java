package dev.zeropool.benchmarks.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.zeropool.safetensors.DType;
import dev.zeropool.safetensors.SafetensorsFile;
import dev.zeropool.safetensors.TensorSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFilesTest {

    private static final List<TensorSpec> SMALL = List.of(
            TensorSpec.of("wte.weight", DType.F32, 10, 4), TensorSpec.of("ln_f.bias", DType.F32, 4));

    @TempDir
    Path dir;

    @Test
    void gpt2SmallHasTheRealParameterCountAndTensorCount() {
        List<TensorSpec> tensors = Gpt2Small.tensors();
        assertThat(tensors).hasSize(148);
        assertThat(tensors.stream().mapToLong(TensorSpec::elements).sum()).isEqualTo(124_439_808L);
        assertThat(tensors.get(0)).isEqualTo(TensorSpec.of("wte.weight", DType.F32, 50257, 768));
        assertThat(tensors).contains(TensorSpec.of("h.11.mlp.c_proj.weight", DType.F32, 3072, 768));
    }

    @Test
    void ensureWritesAValidFileOfSmallFiniteFloats() throws IOException {
        Path file = dir.resolve("nested/model.safetensors");
        assertThat(CheckpointFiles.ensure(file, SMALL, 7)).isTrue();
        try (SafetensorsFile reader = SafetensorsFile.open(file)) {
            assertThat(reader.tensors()).extracting(t -> t.spec()).containsExactlyElementsOf(SMALL);
            ByteBuffer weights = ByteBuffer.allocate(160).order(ByteOrder.LITTLE_ENDIAN);
            reader.read(reader.tensors().get(0), weights);
            for (int i = 0; i < 40; i++) {
                assertThat(weights.getFloat(i * 4)).isBetween(-0.1f, 0.1f);
            }
        }
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file); // no partial file left behind
        }
    }

    @Test
    void ensureReusesAMatchingFileAndReplacesOneThatDoesNotMatch() throws IOException {
        Path file = dir.resolve("model.safetensors");
        CheckpointFiles.ensure(file, SMALL, 7);
        FileTime written = FileTime.fromMillis(0);
        Files.setLastModifiedTime(file, written);

        assertThat(CheckpointFiles.ensure(file, SMALL, 7)).isFalse();
        assertThat(Files.getLastModifiedTime(file)).isEqualTo(written);

        List<TensorSpec> other = List.of(TensorSpec.of("wte.weight", DType.F32, 10, 5));
        assertThat(CheckpointFiles.ensure(file, other, 7)).isTrue();
        assertThat(CheckpointFiles.matches(file, other)).isTrue();

        Files.write(file, new byte[] {1, 2, 3});
        assertThat(CheckpointFiles.ensure(file, other, 7)).isTrue();
        assertThat(CheckpointFiles.matches(file, other)).isTrue();
    }
}
