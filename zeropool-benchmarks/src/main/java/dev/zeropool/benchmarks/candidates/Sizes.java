package dev.zeropool.benchmarks.candidates;

/** Request sizes shared by the candidates' configurations. */
public final class Sizes {

    /** The largest request the get+put benchmarks make; pools are configured to keep buffers this big. */
    public static final int LARGEST = 4 << 20;

    private Sizes() {
    }
}
