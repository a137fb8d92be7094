package dev.zeropool.sample;

import dev.zeropool.BufferPool;
import dev.zeropool.safetensors.SafetensorsFile;
import dev.zeropool.safetensors.TensorLoader;
import java.io.IOException;
import java.nio.ByteBuffer;
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
     */
    ModelLoad load(String name) throws IOException {
        long start = System.nanoTime();
        try (SafetensorsFile file = SafetensorsFile.open(this.store.resolve(name))) {
            TensorLoader loader = new TensorLoader(file);
            ByteBuffer[] model = new ByteBuffer[loader.tensorCount()];
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
            return new ModelLoad(name, model.length, bytes, (loaded - start) / 1e6, this.pool.stats().hitRate());
        }
    }
}
