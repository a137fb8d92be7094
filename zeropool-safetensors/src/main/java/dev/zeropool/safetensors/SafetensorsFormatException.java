package dev.zeropool.safetensors;

import java.io.IOException;

/**
 * A file that is not valid safetensors: too short, a header length out of bounds, a header that is not
 * UTF-8 JSON, or tensors whose shapes and byte ranges disagree with each other or with the file size. The
 * message says which. Other {@link IOException}s from this package are failed reads of a file that may
 * well be valid.
 */
public final class SafetensorsFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    SafetensorsFormatException(String message) {
        super(message);
    }

    SafetensorsFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
