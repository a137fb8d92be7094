package dev.zeropool.benchmarks;

import java.util.SplittableRandom;

/**
 * A reproducible stream of request sizes from 4 KiB to 1 MiB, skewed, with the hot set shifting: the
 * stream is cut into phases; in each phase {@value #HOT_CLASSES} size classes are hot and draw
 * {@value #HOT_PERCENT}% of the requests with Zipf-like weights (1, 1/2, 1/3, ...), the rest are spread
 * evenly over all classes. Consecutive phases share half their hot classes, so the hot set drifts
 * rather than jumps, as a service's traffic mix does. Sizes are drawn uniformly inside a class, so
 * rounding up to the class capacity is part of the picture.
 *
 * <p>The caller holds the last {@link #window()} buffers it took (a request keeps its buffer while the
 * next ones start); {@link #peakLiveBytes()} is the most that window ever holds, in requested bytes.
 * Immutable after construction; {@link #size(long)} is a pure function.
 */
final class MixedSizeWorkload {

    static final int HOT_CLASSES = 6;
    static final int HOT_PERCENT = 95;
    static final int SMALLEST = 4 * 1024;
    static final int LARGEST = 1024 * 1024;

    private final int[] sizes;
    private final int window;
    private final long peakLiveBytes;

    /**
     * @param phases      number of phases before the stream repeats
     * @param phaseLength requests per phase
     * @param window      buffers the caller holds at once
     * @param seed        the stream is a function of this
     */
    MixedSizeWorkload(int phases, int phaseLength, int window, long seed) {
        int[] capacities = capacities();
        SplittableRandom random = new SplittableRandom(seed);
        this.sizes = new int[phases * phaseLength];
        int[] hot = new int[HOT_CLASSES];
        for (int i = 0; i < HOT_CLASSES; i++) {
            hot[i] = random.nextInt(capacities.length);
        }
        double[] cumulative = zipfCumulative(HOT_CLASSES);
        for (int phase = 0; phase < phases; phase++) {
            if (phase > 0) {
                for (int i = 0; i < HOT_CLASSES; i += 2) { // replace every other hot class
                    hot[i] = random.nextInt(capacities.length);
                }
            }
            for (int n = 0; n < phaseLength; n++) {
                int sizeClass = random.nextInt(100) < HOT_PERCENT
                        ? hot[pick(cumulative, random.nextDouble())]
                        : random.nextInt(capacities.length);
                int low = sizeClass == 0 ? 1 : capacities[sizeClass - 1] + 1;
                sizes[phase * phaseLength + n] = random.nextInt(low, capacities[sizeClass] + 1);
            }
        }
        this.window = window;
        this.peakLiveBytes = peakWindowSum(sizes, window);
    }

    /** The size of request {@code n}; the stream repeats after {@link #length()}. */
    int size(long n) {
        return sizes[(int) (n % sizes.length)];
    }

    int length() {
        return sizes.length;
    }

    int window() {
        return window;
    }

    long peakLiveBytes() {
        return peakLiveBytes;
    }

    /** ZeroPool's size classes between {@link #SMALLEST} and {@link #LARGEST}: four per doubling. */
    static int[] capacities() {
        int count = 4 * Integer.numberOfTrailingZeros(LARGEST / SMALLEST) + 1;
        int[] capacities = new int[count];
        for (int i = 0; i < count; i++) {
            int base = SMALLEST << (i / 4);
            capacities[i] = base + (base / 4) * (i % 4);
        }
        return capacities;
    }

    private static double[] zipfCumulative(int n) {
        double[] cumulative = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
            total += 1.0 / (i + 1);
            cumulative[i] = total;
        }
        for (int i = 0; i < n; i++) {
            cumulative[i] /= total;
        }
        return cumulative;
    }

    private static int pick(double[] cumulative, double unit) {
        for (int i = 0; i < cumulative.length - 1; i++) {
            if (unit < cumulative[i]) {
                return i;
            }
        }
        return cumulative.length - 1;
    }

    /** The largest sum of {@code window} consecutive sizes, the stream taken as a cycle. */
    private static long peakWindowSum(int[] sizes, int window) {
        long sum = 0;
        for (int i = 0; i < window; i++) {
            sum += sizes[i % sizes.length];
        }
        long peak = sum;
        for (int i = window; i < sizes.length + window; i++) {
            sum += sizes[i % sizes.length] - sizes[(i - window) % sizes.length];
            peak = Math.max(peak, sum);
        }
        return peak;
    }
}
