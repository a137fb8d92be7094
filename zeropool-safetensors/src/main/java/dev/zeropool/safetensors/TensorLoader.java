package dev.zeropool.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Loads every tensor of an open {@link SafetensorsFile} into its own {@link ByteBuffer}, tensor by tensor,
 * taking each buffer from a caller-given source (a pool's {@code get}, {@code ByteBuffer::allocateDirect},
 * a preallocated set), and leaves them all with the caller: the model stays in memory until the caller
 * gives the buffers back to wherever they came from. The loader never releases a buffer itself.
 *
 * <p>Not thread-safe: use one loader per thread. Several loaders may share one file, whose reads are
 * positional.
 */
public final class TensorLoader {

    private final SafetensorsFile file;
    private final List<TensorInfo> tensors;

    /** @param file an open file; the loader does not close it */
    public TensorLoader(SafetensorsFile file) {
        this.file = file;
        this.tensors = file.tensors();
    }

    /** @return how many tensors a load fills: the length {@link #load} needs for its array */
    public int tensorCount() {
        return tensors.size();
    }

    /**
     * @return the size in bytes of tensor {@code i}, in data order
     * @throws ArithmeticException if the tensor is 2 GiB or larger, more than one {@code ByteBuffer} holds
     */
    public int tensorBytes(int i) {
        return Math.toIntExact(tensors.get(i).byteSize());
    }

    /**
     * Reads tensor {@code i}, for each {@code i} from 0 to {@code held.length - 1}, into
     * {@code source.apply(tensorBytes(i))} and leaves that buffer in {@code held[i]} with the tensor's bytes
     * between position and limit: position where the source left it (0 for a pool's buffer), limit that
     * plus the tensor's size in bytes, little-endian data as stored.
     *
     * <p>Each buffer is stored in {@code held} as soon as the source gives it, before it is read into, so
     * if the load throws, the non-null elements of {@code held} are exactly the buffers taken: a caller
     * that releases every non-null element in a {@code finally} block returns every buffer on every path.
     *
     * @param source gives a buffer with at least the requested bytes remaining from its position
     * @param held   receives the buffers; the caller owns them, and must release them, from the moment
     *               they are stored
     * @return bytes loaded, the sum of the tensors' sizes
     * @throws IOException if a read fails, for example because the file was truncated since it was opened
     * @throws IllegalArgumentException if a buffer from the source is too small
     */
    public long load(IntFunction<ByteBuffer> source, ByteBuffer[] held) throws IOException {
        long bytes = 0;
        for (int i = 0; i < held.length; i++) {
            int size = tensorBytes(i);
            ByteBuffer buffer = source.apply(size);
            held[i] = buffer;
            int start = buffer.position(); // a flip would count the bytes before it as the tensor's
            file.read(tensors.get(i), buffer);
            buffer.limit(buffer.position()).position(start);
            bytes += size;
        }
        return bytes;
    }

    /**
     * Reads tensor {@code i} into {@code into} from its position on, for buffers that do not come as a
     * {@code ByteBuffer} first (see {@link SafetensorsFile#read}).
     */
    public void read(int i, ByteBuffer into) throws IOException {
        file.read(tensors.get(i), into);
    }
}
