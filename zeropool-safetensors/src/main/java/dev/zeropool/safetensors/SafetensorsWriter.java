package dev.zeropool.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.List;
import java.util.Map;
import java.util.UUID;

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
     * Creates or replaces {@code path}, as one step: the file is written beside it under a temporary name,
     * forced to disk and then moved over {@code path}, so that a write that fails (a {@code fill} that
     * throws, a full disk) leaves the previous file as it was, and no temporary file behind. A {@code path}
     * that is a symbolic link is written through (the file it leads to is replaced, the link stays), and
     * a replaced file keeps its POSIX permissions (not its owner, nor other hard links to it: the new file
     * is a new file).
     *
     * @param tensors  in data order
     * @param metadata the {@code __metadata__} entries, may be empty
     * @param data     the content of every tensor
     * @throws IllegalArgumentException if a tensor is named {@code __metadata__}, a name is given twice, a
     *     name, metadata key or value has an unpaired surrogate, or the header passes one of the reader's
     *     limits (dimensions, name and value lengths, header size): a file its reader would refuse, or read
     *     back with other names; nothing is written then
     * @throws IllegalStateException if {@code data} changes a chunk's limit (the file would be shorter than
     *     its header says); nothing is written then either
     */
    public static void write(Path path, List<TensorSpec> tensors, Map<String, String> metadata, TensorData data)
            throws IOException {
        byte[] header = SafetensorsHeader.format(tensors, metadata).getBytes(StandardCharsets.UTF_8);
        // Through a link to the file it leads to, so that the move replaces that file, not the link.
        Path target = Files.exists(path) ? path.toRealPath() : path.toAbsolutePath();
        // Not named after the target: a name near the 255-byte limit would leave no room for a suffix.
        Path partial = target.resolveSibling(".safetensors-" + UUID.randomUUID() + ".partial");
        try {
            writeTo(partial, header, tensors, data);
            keepPermissions(target, partial);
            Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** A replaced file's POSIX permissions, onto the file replacing it; nothing where there are none. */
    private static void keepPermissions(Path replaced, Path replacing) throws IOException {
        if (Files.exists(replaced) && Files.getFileStore(replacing).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Files.setPosixFilePermissions(replacing, Files.getPosixFilePermissions(replaced));
        }
    }

    private static void writeTo(Path file, byte[] header, List<TensorSpec> tensors, TensorData data)
            throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer start = ByteBuffer.allocate(8 + header.length).order(ByteOrder.LITTLE_ENDIAN);
            start.putLong(header.length).put(header).flip();
            writeFully(channel, start);
            ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (TensorSpec tensor : tensors) {
                long size = tensor.byteSize();
                for (long offset = 0; offset < size; offset += CHUNK_BYTES) {
                    int length = (int) Math.min(CHUNK_BYTES, size - offset);
                    chunk.clear().limit(length);
                    data.fill(tensor, offset, chunk);
                    if (chunk.limit() != length) {
                        throw new IllegalStateException("filling tensor \"" + tensor.name() + "\" at byte " + offset
                                + " left the chunk with limit " + chunk.limit() + ", not " + length
                                + ": fill must not change it");
                    }
                    chunk.position(0);
                    writeFully(channel, chunk);
                }
            }
            channel.force(true); // on disk before the move makes it the file
        }
    }

    private static void writeFully(FileChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
