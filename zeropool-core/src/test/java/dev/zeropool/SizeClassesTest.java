package dev.zeropool;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SizeClassesTest {

    private final SizeClasses classes = new SizeClasses(4096, 64 * 1024 * 1024);

    @Test
    void eachDoublingHoldsFourClassesAtQuarterSteps() {
        assertThat(classes.count()).isEqualTo(4 * 14 + 1);
        assertThat(classes.capacity(0)).isEqualTo(4096);
        assertThat(classes.capacity(1)).isEqualTo(5120);
        assertThat(classes.capacity(2)).isEqualTo(6144);
        assertThat(classes.capacity(3)).isEqualTo(7168);
        assertThat(classes.capacity(4)).isEqualTo(8192);
        assertThat(classes.capacity(classes.count() - 1)).isEqualTo(64 * 1024 * 1024);
    }

    @Test
    void indexForPicksTheSmallestClassThatFitsAgreeingWithALinearSearch() {
        SizeClasses small = new SizeClasses(16, 1 << 16);
        for (int size = 1; size <= 1 << 16; size++) {
            int expected = 0;
            while (small.capacity(expected) < size) {
                expected++;
            }
            assertThat(small.indexFor(size)).as("size %d", size).isEqualTo(expected);
        }
    }

    @Test
    void noClassIsMoreThanAQuarterLargerThanTheRequestAboveTheMinimum() {
        for (int size = 4097; size <= 1 << 24; size += 997) {
            int capacity = classes.capacity(classes.indexFor(size));
            assertThat(capacity).isGreaterThanOrEqualTo(size);
            assertThat((double) capacity / size).as("size %d -> %d", size, capacity).isLessThanOrEqualTo(1.25);
        }
    }

    @Test
    void indexOfCapacityRecognisesExactlyTheClasses() {
        for (int i = 0; i < classes.count(); i++) {
            assertThat(classes.indexOfCapacity(classes.capacity(i))).isEqualTo(i);
            assertThat(classes.indexOfCapacity(classes.capacity(i) + 1)).isEqualTo(-1);
        }
        assertThat(classes.indexOfCapacity(4095)).isEqualTo(-1);
        assertThat(classes.indexOfCapacity(128 * 1024 * 1024)).isEqualTo(-1);
        assertThat(classes.describeNearest(5000)).isEqualTo("the nearest classes are 4096 and 5120");
    }

    @Test
    void indexOfCapacityAgreesWithALookupOfEveryCapacity() {
        SizeClasses small = new SizeClasses(16, 1 << 16);
        for (int capacity = 0; capacity <= 1 << 17; capacity++) {
            int expected = -1;
            for (int i = 0; i < small.count(); i++) {
                if (small.capacity(i) == capacity) {
                    expected = i;
                }
            }
            assertThat(small.indexOfCapacity(capacity)).as("capacity %d", capacity).isEqualTo(expected);
        }
    }

    @Test
    void indexOfCapacityAgreesWithALookupNearEveryPowerOfTwoForEveryMinimum() {
        // the arithmetic depends on the minimum through one constant, and on the doubling through the shift
        // count, which wraps below 4: every minimum, and the capacities around each doubling, from 0 to 2^31 - 1
        for (int minShift = 4; minShift <= 30; minShift++) {
            SizeClasses pool = new SizeClasses(1 << minShift, 1 << Math.min(30, minShift + 6));
            java.util.Map<Integer, Integer> lookup = new java.util.HashMap<>();
            for (int i = 0; i < pool.count(); i++) {
                lookup.put(pool.capacity(i), i);
            }
            for (int shift = 0; shift <= 31; shift++) {
                long power = 1L << shift;
                // each quarter point of the doubling (a class capacity where the doubling has classes) and its
                // neighbours
                for (int quarter = 0; quarter < 4; quarter++) {
                    long point = power + quarter * (power / 4);
                    for (long capacity = point - 3; capacity <= point + 3; capacity++) {
                        if (capacity >= 0 && capacity <= Integer.MAX_VALUE) {
                            int c = (int) capacity;
                            assertThat(pool.indexOfCapacity(c)).as("capacity %d, minimum 2^%d", c, minShift)
                                    .isEqualTo(lookup.getOrDefault(c, -1));
                        }
                    }
                }
            }
        }
    }

    @Test
    void theLargestPossibleClassesDoNotOverflow() {
        SizeClasses huge = new SizeClasses(1 << 29, 1 << 30);
        assertThat(huge.indexFor(1 << 30)).isEqualTo(huge.count() - 1);
        assertThat(huge.capacity(3)).isEqualTo((1 << 29) + 3 * (1 << 27));
        assertThat(huge.indexOfCapacity(1 << 30)).isEqualTo(huge.count() - 1);
        assertThat(huge.indexOfCapacity(Integer.MAX_VALUE)).isEqualTo(-1);
    }
}
