package dev.zeropool.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer refuses, before writing anything, every header its own reader would refuse, so a file it
 * writes always reads back; and a refused dtype is named with the ones the reader knows.
 */
class WriterLimitsTest {

    private static final SafetensorsWriter.TensorData ZEROS = (tensor, offset, chunk) -> { };

    @TempDir
    Path dir;

    @Test
    void offsetsPastTheLargestLongAreRefusedBeforeAnythingIsWritten() {
        // each tensor alone has a valid size; together their offsets wrapped, and the writer went on
        Path file = dir.resolve("overflow.safetensors");
        List<TensorSpec> tensors = List.of(TensorSpec.of("a", DType.U8, Long.MAX_VALUE), TensorSpec.of("b", DType.U8, 1));
        assertThatThrownBy(() -> SafetensorsWriter.write(file, tensors, Map.of(), ZEROS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tensor \"b\"")
                .hasMessageContaining("would end past byte 9223372036854775807");
        List<TensorSpec> huge = List.of(TensorSpec.of("c", DType.F64, Long.MAX_VALUE));
        assertThatThrownBy(() -> SafetensorsWriter.write(file, huge, Map.of(), ZEROS))
                .as("one tensor whose byte size is no long").isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tensor \"c\"");
        assertThat(file).doesNotExist();
    }

    /* A rank-65 shape (TensorSpec accepts any rank); the reader takes at most HeaderParser.MAX_RANK. */
    @Test
    void aShapeTheReaderRefusesIsNotWritten() throws IOException {
        Path file = dir.resolve("rank65.safetensors");
        long[] ones = new long[HeaderParser.MAX_RANK + 1];
        Arrays.fill(ones, 1);
        List<TensorSpec> tensors = List.of(TensorSpec.of("w", DType.U8, ones));

        Throwable written = catchThrowable(
                () -> SafetensorsWriter.write(file, tensors, Map.of(), ZEROS));
        if (written == null) {
            // Show the round trip is broken, then fail on the writer's broken promise.
            assertThatThrownBy(() -> SafetensorsFile.open(file).close())
                    .isInstanceOf(SafetensorsFormatException.class).hasMessageContaining("at most 64");
        }
        assertThat(written).as("writer must refuse a header its reader refuses").isInstanceOf(IllegalArgumentException.class);
        assertThat(file).doesNotExist();
    }

    /* A tensor name longer than the reader's 64 Ki-character key limit. */
    @Test
    void aNameTheReaderRefusesIsNotWritten() {
        Path file = dir.resolve("longname.safetensors");
        String name = String.join("", Collections.nCopies(HeaderParser.MAX_NAME_LENGTH + 1, "n"));
        assertThatThrownBy(() -> SafetensorsWriter.write(file, List.of(TensorSpec.of(name, DType.U8, 1)), Map.of(), ZEROS))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(file).doesNotExist();
    }

    /* README: every refusal names the bad value and what is allowed. */
    @Test
    void anUnknownDtypeRefusalNamesTheAllowedDtypes() {
        byte[] json = "{\"w\":{\"dtype\":\"Q4_K\",\"shape\":[1],\"data_offsets\":[0,1]}}".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> HeaderParser.parse(json, 8 + json.length, 1))
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining("Q4_K")
                .hasMessageContaining("F32").hasMessageContaining("BF16");
    }
}
