package dev.zeropool.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * Writes a safetensors file: the header (tensors laid out back to back in the given order, data
 * section 8-byte aligned, as {@link SafetensorsHeader} describes), then each tensor's data, produced
 * chunk by chunk by a {@link TensorData}, so a file far larger than memory can be written with one
 * small buffer. Stateless and thread-safe.
 */
public final class SafetensorsWriter {

    /** Bytes written per chunk; large enough that the system-call count does not matter. */
    private static final int CHUNK_BYTES = 1 << 20;

    private SafetensorsWriter() {
    }

    /**
     * Produces tensor data, in the format's little-endian element layout. Called by the writing thread
     * only; the chunk belongs to the writer, so an implementation must not keep it after returning.
     */
    @FunctionalInterface
    public interface TensorData {
        /**
         * Fills {@code chunk} (little-endian, from position 0 to its limit) with the bytes of
         * {@code tensor} that start at {@code offsetInTensor}; the limit is a multiple of the element size.
         */
        void fill(TensorSpec tensor, long offsetInTensor, ByteBuffer chunk);
    }

    /**
     * Creates or replaces {@code path}.
     *
     * @param tensors  in data order
     * @param metadata the {@code __metadata__} entries, may be empty
     * @param data     the content of every tensor
     * @throws IllegalArgumentException if a tensor is named {@code __metadata__}, a name is given twice, a
     *     name, metadata key or value has an unpaired surrogate, or the header passes one of the reader's
     *     limits (dimensions, name and value lengths, header size): a file its reader would refuse, or read
     *     back with other names; nothing is written then
     */
    public static void write(Path path, List<TensorSpec> tensors, Map<String, String> metadata, TensorData data)
            throws IOException {
        byte[] header = SafetensorsHeader.format(tensors, metadata).getBytes(StandardCharsets.UTF_8);
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer start = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
            start.putLong(header.length).put(header).flip();
            writeFully(channel, start);
            ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (TensorSpec tensor : tensors) {
                long size = tensor.byteSize();
                for (long offset = 0; offset < size; offset += CHUNK_BYTES) {
                    chunk.clear().limit((int) Math.min(CHUNK_BYTES, size - offset));
                    data.fill(tensor, offset, chunk);
                    chunk.position(0);
                    writeFully(channel, chunk);
                }
            }
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
