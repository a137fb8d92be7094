package dev.zeropool.safetensors;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * An open safetensors file: its checked header, and tensor reads into buffers the caller provides, so
 * the caller decides where the bytes live (a pool, a fresh buffer, a preallocated one). Reads are
 * positional ({@link FileChannel#read(ByteBuffer, long)}), so one open file may serve several threads
 * at once, with one limit the JDK sets: a thread interrupted while it reads closes the channel (a
 * {@code FileChannel} is interruptible), and every later read, from any thread, then fails with
 * {@link java.nio.channels.ClosedChannelException}. Where readers may be interrupted (cancelled tasks),
 * give each its own {@code SafetensorsFile}. The file stays open until {@link #close()}.
 *
 * <pre>{@code
 * try (SafetensorsFile file = SafetensorsFile.open(path)) {
 *     for (TensorInfo tensor : file.tensors()) {
 *         ByteBuffer buffer = pool.get(Math.toIntExact(tensor.byteSize()));
 *         file.read(tensor, buffer);   // fills position..position+byteSize, little-endian data
 *         ...
 *     }
 * }
 * }</pre>
 */
public final class SafetensorsFile implements Closeable {

    private final FileChannel channel;
    private final SafetensorsHeader header;

    private SafetensorsFile(FileChannel channel, SafetensorsHeader header) {
        this.channel = channel;
        this.header = header;
    }

    /**
     * Opens a file for reading and checks its header.
     *
     * @throws SafetensorsFormatException if it is not a valid safetensors file
     * @throws IOException if it cannot be read
     */
    public static SafetensorsFile open(Path path) throws IOException {
        FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        try {
            return new SafetensorsFile(channel, SafetensorsHeader.read(channel));
        } catch (Throwable e) { // an Error too: a header of up to 100 MB can run a small heap out of memory
            try {
                channel.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /** @return the checked header */
    public SafetensorsHeader header() {
        return header;
    }

    /** @return the tensors in data order */
    public List<TensorInfo> tensors() {
        return header.tensors();
    }

    /**
     * Reads one tensor's bytes (as stored: little-endian elements) into {@code into}, from its position
     * on; the position advances by {@link TensorInfo#byteSize()} and the limit is not changed.
     *
     * @throws IllegalArgumentException if {@code into} has fewer bytes remaining than the tensor holds
     * @throws IOException if the read fails or the file is shorter than its header says
     */
    public void read(TensorInfo tensor, ByteBuffer into) throws IOException {
        long size = tensor.byteSize();
        if (into.remaining() < size) {
            throw new IllegalArgumentException("tensor " + tensor.name() + " is " + size + " bytes but the buffer has "
                    + into.remaining() + " remaining");
        }
        int limit = into.limit();
        into.limit(into.position() + (int) size);
        try {
            SafetensorsHeader.readFully(channel, into, header.dataStart() + tensor.begin());
        } finally {
            into.limit(limit);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
