package dev.zeropool.sample;

/**
 * A valid checkpoint whose buffers, all held at once while it loads, would take more memory than the
 * loader allows one load: typically many tensors far smaller than {@code zeropool.min-buffer-size}, each
 * of which loads into a buffer of at least that size, so that a small file takes thousands of times its
 * size in direct memory.
 */
class ModelTooLargeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ModelTooLargeException(String name, int tensors, long fileBytes, long bufferBytes, long limit) {
        super("\"" + name + "\" (" + fileBytes + " bytes, " + tensors + " tensors) would hold " + bufferBytes
                + " bytes of buffers at once (each tensor takes a buffer of at least the pool's min-buffer-size); "
                + "a load may hold at most " + limit + " bytes, twice sample.storage.max-file-size");
    }
}
