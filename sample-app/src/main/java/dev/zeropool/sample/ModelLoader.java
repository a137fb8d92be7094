package dev.zeropool.sample;

import dev.zeropool.BufferPool;
import dev.zeropool.PoolStats;
import dev.zeropool.safetensors.SafetensorsFile;
import dev.zeropool.safetensors.TensorInfo;
import dev.zeropool.safetensors.TensorLoader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import org.springframework.stereotype.Component;

/**
 * Loads a stored safetensors file the way a service loads a model: every tensor read through a
 * {@code FileChannel} into its own buffer from the {@link BufferPool}, all of them held at once, then
 * every buffer handed back to the pool, on success and on every failure alike. Thread-safe: each load
 * has its own file and buffers.
 */
@Component
class ModelLoader {

    private final BufferPool pool;
    private final FileStore store;

    ModelLoader(BufferPool pool, FileStore store) {
        this.pool = pool;
        this.store = store;
    }

    /**
     * @throws InvalidFileNameException if the name is not a plain file name (the rules of {@link FileStore})
     * @throws java.nio.file.NoSuchFileException if there is no such file
     * @throws dev.zeropool.safetensors.SafetensorsFormatException if the file is not valid safetensors
     * @throws TensorTooLargeException if a tensor is larger than one {@code ByteBuffer} holds
     * @throws ModelTooLargeException if its buffers, all held at once, would take more than twice
     *     {@code sample.storage.max-file-size}
     */
    ModelLoad load(String name) throws IOException {
        long start = System.nanoTime();
        try (SafetensorsFile file = SafetensorsFile.open(this.store.existing(name))) {
            // Checked before the first buffer is taken, so a file that cannot load takes none.
            long bufferBytes = 0;
            for (TensorInfo tensor : file.tensors()) {
                if (tensor.byteSize() > Integer.MAX_VALUE) {
                    throw new TensorTooLargeException(tensor.name(), tensor.byteSize());
                }
                bufferBytes += this.pool.bufferCapacity((int) tensor.byteSize());
            }
            // a file within the limit, its sizes rounded up to classes; saturated, for a max-file-size near Long.MAX_VALUE
            long limit = this.store.maxFileSize() > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : 2 * this.store.maxFileSize();
            if (bufferBytes > limit) {
                throw new ModelTooLargeException(name, file.tensors().size(), Files.size(this.store.resolve(name)),
                        bufferBytes, limit);
            }
            TensorLoader loader = new TensorLoader(file);
            ByteBuffer[] model = new ByteBuffer[loader.tensorCount()];
            PoolStats before = this.pool.stats();
            long bytes;
            long loaded;
            try {
                bytes = loader.load(this.pool::get, model);
                loaded = System.nanoTime();
            } finally {
                // The loader stores each buffer before reading into it: the non-null ones are all it took.
                for (ByteBuffer buffer : model) {
                    if (buffer != null) {
                        this.pool.put(buffer);
                    }
                }
            }
            PoolStats after = this.pool.stats();
            long gets = model.length;
            long hits = (after.tlsHits() + after.shardHits()) - (before.tlsHits() + before.shardHits());
            long misses = after.misses() - before.misses();
            return new ModelLoad(name, model.length, bytes, (loaded - start) / 1e6, gets, hits, misses,
                    after.gets() - before.gets() - gets, after.hitRate());
        }
    }
}
