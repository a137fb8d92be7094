package dev.zeropool.safetensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsRoundTripTest {

    private static final List<TensorSpec> TENSORS = List.of(
            TensorSpec.of("embedding.weight", DType.F32, 5, 3),
            TensorSpec.of("norm.bias", DType.F16, 7),
            TensorSpec.of("step", DType.I64),
            TensorSpec.of("mask", DType.BOOL, 3, 0));

    @TempDir
    Path dir;

    /** Byte {@code i} of every tensor is a function of the tensor and i, so a misplaced read shows. */
    private static byte expected(TensorSpec tensor, long i) {
        return (byte) (tensor.name().length() * 31 + i);
    }

    private Path writeSample() throws IOException {
        Path file = dir.resolve("sample.safetensors");
        SafetensorsWriter.write(file, TENSORS, Map.of("format", "pt"), (tensor, offset, chunk) -> {
            for (int i = 0; i < chunk.limit(); i++) {
                chunk.put(i, expected(tensor, offset + i));
            }
        });
        return file;
    }

    @Test
    void aHeaderOverTheFormatsHundredMillionBytesIsRefused() throws IOException {
        // the bound was 100 MiB (104,857,600), which Hugging Face's reader (100,000,000) refuses
        long length = 100_000_008; // a multiple of 8, under 100 MiB
        Path file = dir.resolve("big-header.safetensors");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, length));
            channel.write(ByteBuffer.wrap("{}".getBytes(StandardCharsets.UTF_8)));
            channel.write(ByteBuffer.wrap(new byte[] { ' ' }), 8 + length - 1); // sparse: the file is long enough
        }
        assertThatThrownBy(() -> SafetensorsFile.open(file).close()).isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining("header length " + length).hasMessageContaining("allowed: 2 to 100000000");
    }

    /* A replaced file stays whole until the new one is: a checkpoint half-overwritten is lost. */
    @Test
    void aWriteThatFailsLeavesThePreviousFileAsItWasAndNothingElse() throws IOException {
        Path file = writeSample();
        byte[] before = Files.readAllBytes(file);

        assertThatThrownBy(() -> SafetensorsWriter.write(file, TENSORS, Map.of(), (tensor, offset, chunk) -> {
            throw new IllegalStateException("the source went away");
        })).isInstanceOf(IllegalStateException.class).hasMessage("the source went away");

        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(file); // no temporary file left behind
        }
    }

    /* The file goes in beside the target: nothing about the target's name, place or mode may change for it. */
    @Test
    void aReplacedFileKeepsItsModeALinkIsWrittenThroughAndANameOf255BytesIsFine() throws IOException {
        Path kept = writeSample();
        Set<PosixFilePermission> ownerOnly = PosixFilePermissions.fromString("rw-------");
        Files.setPosixFilePermissions(kept, ownerOnly);
        writeSample();
        assertThat(Files.getPosixFilePermissions(kept)).as("mode of the replaced file").isEqualTo(ownerOnly);

        Path blob = Files.write(Files.createDirectories(dir.resolve("blobs")).resolve("abc"), new byte[] { 1 });
        Path link = Files.createSymbolicLink(dir.resolve("linked.safetensors"), blob);
        SafetensorsWriter.write(link, TENSORS, Map.of(), (tensor, offset, chunk) -> { });
        assertThat(link).isSymbolicLink();
        try (SafetensorsFile written = SafetensorsFile.open(blob)) {
            assertThat(written.tensors()).as("the file the link leads to, written").extracting(TensorInfo::spec)
                    .containsExactlyElementsOf(TENSORS);
        }

        Path longName = dir.resolve("m".repeat(243) + ".safetensors"); // 255 bytes, the usual limit
        SafetensorsWriter.write(longName, TENSORS, Map.of(), (tensor, offset, chunk) -> { });
        assertThat(Files.size(longName)).isEqualTo(Files.size(blob));
    }

    /* A fill that moves the limit would write a file shorter than its header says, which no reader takes. */
    @Test
    void aFillThatChangesTheChunksLimitIsRefusedNotWrittenShort() throws IOException {
        Path file = dir.resolve("short.safetensors");
        assertThatThrownBy(() -> SafetensorsWriter.write(file, TENSORS, Map.of(),
                (tensor, offset, chunk) -> chunk.limit(chunk.limit() - 1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("tensor \"embedding.weight\"").hasMessageContaining("limit 59, not 60");
        assertThat(file).doesNotExist();
    }

    @Test
    void writtenFileHasTheFormatsLayoutLittleEndianLengthThenAlignedJsonThenData() throws IOException {
        Path file = writeSample();
        byte[] bytes = Files.readAllBytes(file);
        long headerLength = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String json = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);

        assertThat((8 + headerLength) % 8).isZero();
        assertThat(json).startsWith("{\"__metadata__\":{\"format\":\"pt\"},\"embedding.weight\":{\"dtype\":\"F32\","
                + "\"shape\":[5,3],\"data_offsets\":[0,60]}");
        assertThat(bytes.length - 8 - headerLength).isEqualTo(60 + 14 + 8 + 0);
    }

    @Test
    void readerReturnsEveryTensorsSpecRangeAndBytes() throws IOException {
        Path file = writeSample();
        try (SafetensorsFile reader = SafetensorsFile.open(file)) {
            assertThat(reader.header().metadata()).containsExactly(Map.entry("format", "pt"));
            assertThat(reader.tensors()).extracting(TensorInfo::spec).containsExactlyElementsOf(TENSORS);
            assertThat(reader.tensors()).extracting(TensorInfo::begin).containsExactly(0L, 60L, 74L, 82L);
            for (TensorInfo tensor : reader.tensors()) {
                ByteBuffer buffer = ByteBuffer.allocateDirect((int) tensor.byteSize() + 3).position(2);
                reader.read(tensor, buffer);
                assertThat(buffer.position()).isEqualTo(2 + tensor.byteSize());
                for (int i = 0; i < tensor.byteSize(); i++) {
                    assertThat(buffer.get(2 + i)).isEqualTo(expected(tensor.spec(), i));
                }
            }
        }
    }

    @Test
    void headersTheReaderWouldRefuseOrReadBackOtherwiseAreNotWritten() {
        Path path = dir.resolve("refused.safetensors");
        SafetensorsWriter.TensorData none = (tensor, offset, chunk) -> { };
        assertThatThrownBy(() -> SafetensorsWriter.write(path, List.of(TensorSpec.of("__metadata__", DType.U8, 1)),
                Map.of(), none)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reserved");
        assertThatThrownBy(() -> SafetensorsWriter.write(path,
                List.of(TensorSpec.of("w", DType.U8, 1), TensorSpec.of("w", DType.U8, 1)), Map.of(), none))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("\"w\" is given twice");
        // getBytes(UTF_8) would have written the lone surrogate as '?': read back as another name
        assertThatThrownBy(() -> SafetensorsWriter.write(path, List.of(TensorSpec.of("w\uD800", DType.U8, 1)),
                Map.of(), none)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tensor name has an unpaired surrogate (U+D800) at index 1");
        assertThatThrownBy(() -> SafetensorsWriter.write(path, List.of(), Map.of("k", "\uDC00"), none))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("metadata value");
        assertThat(path).doesNotExist();
    }

    @Test
    void aNameWithACharacterBeyondTheBasicPlaneRoundTrips() throws IOException {
        Path path = dir.resolve("emoji.safetensors");
        String name = "w\uD83D\uDE00"; // a surrogate pair: well-formed
        SafetensorsWriter.write(path, List.of(TensorSpec.of(name, DType.U8, 1)), Map.of(), (tensor, offset, chunk) -> { });
        try (SafetensorsFile file = SafetensorsFile.open(path)) {
            assertThat(file.tensors().get(0).name()).isEqualTo(name);
        }
    }

    @Test
    void readIntoTooSmallBufferIsRefusedWithTheSizes() throws IOException {
        try (SafetensorsFile reader = SafetensorsFile.open(writeSample())) {
            TensorInfo embedding = reader.tensors().get(0);
            assertThatThrownBy(() -> reader.read(embedding, ByteBuffer.allocate(59)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("60 bytes").hasMessageContaining("59 remaining");
        }
    }

    @Test
    void truncatedFileIsRejected() throws IOException {
        Path file = writeSample();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(channel.size() - 1);
        }
        assertThatThrownBy(() -> SafetensorsFile.open(file))
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining("tensors cover 82 bytes but the data section has 81");
    }

    @Test
    void headerLengthBeyondTheFileIsRejected() throws IOException {
        Path file = dir.resolve("bad.safetensors");
        Files.write(file, ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putLong(1_000).array());
        assertThatThrownBy(() -> SafetensorsFile.open(file))
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining("header length 1000");
    }

    @Test
    void headerLengthWithTheTopBitSetIsRejectedAsTheUnsignedNumberItIs() throws IOException {
        Path file = dir.resolve("negative.safetensors");
        Files.write(file, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(-1).array());
        assertThatThrownBy(() -> SafetensorsFile.open(file))
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining("header length 18446744073709551615 with a file of 16 bytes (allowed: 2 to 100000000");
    }

    @Test
    void fileShorterThanTheLengthFieldIsRejectedAsAFormatError() throws IOException {
        Path file = dir.resolve("tiny.safetensors");
        Files.write(file, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> SafetensorsFile.open(file))
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining("3 bytes, fewer than the 8");
    }

    @Test
    void headerThatIsNotJsonIsRejectedAsAFormatError() throws IOException {
        Path file = dir.resolve("text.safetensors");
        byte[] header = "{not json".getBytes(StandardCharsets.UTF_8);
        Files.write(file, ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(header.length).put(header).array());
        assertThatThrownBy(() -> SafetensorsFile.open(file))
                .isInstanceOf(SafetensorsFormatException.class)
                .hasMessageContaining("invalid safetensors header: Unexpected character ('n'").hasMessageContaining("at character 1");
    }
}
