package dev.zeropool.sample;

/**
 * A valid checkpoint with a tensor larger than one {@link java.nio.ByteBuffer} holds, which the loader
 * cannot read into a single buffer.
 */
class TensorTooLargeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    TensorTooLargeException(String tensor, long bytes) {
        super("tensor \"" + tensor + "\" is " + bytes + " bytes; each tensor loads into one buffer of at most "
                + Integer.MAX_VALUE + " bytes");
    }
}
