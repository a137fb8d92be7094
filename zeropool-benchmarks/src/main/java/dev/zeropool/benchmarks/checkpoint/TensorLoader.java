package dev.zeropool.benchmarks.checkpoint;

import dev.zeropool.benchmarks.safetensors.SafetensorsFile;
import dev.zeropool.benchmarks.safetensors.TensorInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Loads every tensor of a file into {@link ByteBuffer}s, tensor by tensor, taking each buffer from a
 * caller-given source (a pool, a fresh allocation, a preallocated set), and holds them all: the model
 * stays in memory until the caller releases the buffers. Not thread-safe (one loader per thread);
 * the file may be shared.
 */
public final class TensorLoader {

    private final SafetensorsFile file;
    private final List<TensorInfo> tensors;

    public TensorLoader(SafetensorsFile file) {
        this.file = file;
        this.tensors = file.tensors();
    }

    /** @return how many tensors a load fills: the length {@link #load} needs */
    public int tensorCount() {
        return tensors.size();
    }

    /** @return the size in bytes of tensor {@code i}, in file order */
    public int tensorBytes(int i) {
        return Math.toIntExact(tensors.get(i).byteSize());
    }

    /**
     * Reads tensor {@code i} into {@code source.apply(its byte size)} and stores that buffer, flipped
     * (position 0, limit the tensor's size), in {@code held[i]}.
     *
     * @param source gives a buffer with at least the requested bytes remaining
     * @return a checksum of one byte per tensor, for the benchmark's blackhole
     */
    public long load(IntFunction<ByteBuffer> source, ByteBuffer[] held) throws IOException {
        long check = 0;
        for (int i = 0; i < held.length; i++) {
            ByteBuffer buffer = source.apply(tensorBytes(i));
            file.read(tensors.get(i), buffer);
            buffer.flip();
            check += buffer.get(buffer.limit() - 1);
            held[i] = buffer;
        }
        return check;
    }

    /** Reads tensor {@code i} into the given buffer, from its position on (for buffers that are not ByteBuffer-first). */
    public void read(int i, ByteBuffer into) throws IOException {
        file.read(tensors.get(i), into);
    }
}
