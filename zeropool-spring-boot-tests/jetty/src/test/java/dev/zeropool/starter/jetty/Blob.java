package dev.zeropool.starter.jetty;

import java.util.Random;

/** Deterministic content: the bytes a test expects back, without keeping a copy per request. */
public final class Blob {

    private Blob() {
    }

    /** @return {@code size} pseudo-random bytes, the same for the same size and seed */
    public static byte[] of(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
