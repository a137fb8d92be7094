package dev.zeropool;

/**
 * Size-class arithmetic: maps a requested size to the smallest class that fits it, in constant time.
 *
 * <p>Classes run from {@code min} to {@code max} (both powers of two); each doubling {@code [2^k, 2^(k+1))}
 * holds four classes, {@code 2^k * (1, 1.25, 1.5, 1.75)}, so a buffer is at most 25% larger than the
 * request that made it. Immutable.
 */
final class SizeClasses {

    private final int minSize;
    private final int maxSize;
    private final int minShift;
    private final int[] capacities;
    private final int count;
    // 4 * (31 - minShift) - 4 and - 3: with them, the index of a capacity or request is this minus four times
    // its leading-zero count plus its top three bits (see indexFor and indexOfCapacity)
    private final int capacityBase;
    private final int requestBase;

    SizeClasses(int minSize, int maxSize) {
        if (Integer.bitCount(minSize) != 1 || Integer.bitCount(maxSize) != 1 || minSize < 16 || maxSize < minSize) {
            throw new IllegalArgumentException("min and max must be powers of two with 16 <= min <= max, were "
                    + minSize + " and " + maxSize);
        }
        this.minSize = minSize;
        this.maxSize = maxSize;
        this.minShift = Integer.numberOfTrailingZeros(minSize);
        int doublings = Integer.numberOfTrailingZeros(maxSize) - minShift;
        this.capacities = new int[doublings * 4 + 1];
        this.count = capacities.length;
        this.capacityBase = 120 - 4 * minShift;
        this.requestBase = 121 - 4 * minShift;
        capacities[0] = minSize;
        for (int index = 1; index < capacities.length; index++) {
            int shift = minShift + (index - 1) / 4;
            int quarters = (index - 1) % 4 + 1;
            capacities[index] = (1 << shift) + quarters * (1 << (shift - 2));
        }
    }

    int count() {
        return count;
    }

    int maxSize() {
        return maxSize;
    }

    int capacity(int index) {
        return capacities[index];
    }

    /**
     * The class of a request. Branch-free: the doubling comes from the leading-zero count, the quarter
     * from the two bits below the leading one; requests up to {@code minSize} all map to class 0.
     *
     * @param size a request size in {@code [1, maxSize]}
     * @return the index of the smallest class whose capacity is at least {@code size}
     */
    int indexFor(int size) {
        int last = Math.max(size, minSize) - 1; // minSize - 1 lands on class 0 below
        int leading = Integer.numberOfLeadingZeros(last);
        // doubling 31 - leading, quarter from the top three bits (4..7): ((31 - leading - minShift) << 2) + top - 3
        return requestBase - (leading << 2) + (last >>> (29 - leading));
    }

    /**
     * The class of a returned buffer, by arithmetic alone: a capacity is a class exactly when it lies in
     * {@code [minSize, maxSize]} and has no bit set below the two that follow its leading one (the
     * classes of a doubling are {@code 2^k * (1.25, 1.5, 1.75, 2)}). No table read, so {@code put}'s check
     * costs a few register operations.
     *
     * @param capacity a buffer's capacity
     * @return the index of the class with exactly this capacity, or -1 when it is no class of this pool
     */
    int indexOfCapacity(int capacity) {
        int leading = Integer.numberOfLeadingZeros(capacity);
        // The index the capacity would have if classes went on without bound, from its doubling and its top
        // three bits (4..7): ((31 - leading - minShift) << 2) + top - 4. Below 4 the shift count wraps and
        // the top reads 0, which still gives a negative index.
        int index = capacityBase - (leading << 2) + (capacity >>> (29 - leading));
        // a class capacity has no bit set below its top three: leading + trailing zeros >= 29
        boolean topBitsOnly = leading + Integer.numberOfTrailingZeros(capacity) >= 29;
        return topBitsOnly && Integer.compareUnsigned(index, count) < 0 ? index : -1;
    }

    /** A message fragment naming the classes nearest to a capacity that is not one. */
    String describeNearest(int capacity) {
        if (capacity < minSize) {
            return "the smallest class is " + minSize;
        }
        if (capacity > maxSize) {
            return "the largest class is " + maxSize;
        }
        int above = indexFor(capacity);
        return "the nearest classes are " + (above > 0 ? capacities[above - 1] : minSize) + " and " + capacities[above];
    }
}
