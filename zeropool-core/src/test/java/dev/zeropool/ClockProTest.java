package dev.zeropool;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClockProTest {

    private static final int CLASSES = 4;

    @Test
    void aColdUnreferencedClassIsTheVictim() {
        ClockPro clock = new ClockPro(CLASSES, 4);
        assertThat(clock.victim(2, new int[] {0, 4, 0, 0})).isEqualTo(1);
    }

    @Test
    void aReferencedClassGetsASecondChance() {
        ClockPro clock = new ClockPro(CLASSES, 4);
        clock.onHit(0);
        assertThat(clock.victim(3, new int[] {2, 2, 0, 0})).isEqualTo(1);
        // the sweep cleared class 0's bit on the way: next time it is the victim
        assertThat(clock.victim(3, new int[] {2, 1, 0, 0})).isEqualTo(0);
    }

    @Test
    void whenTheIncomingClassIsTheColdestTheIncomingBufferIsDropped() {
        ClockPro clock = new ClockPro(CLASSES, 4);
        clock.onHit(1);
        assertThat(clock.victim(0, new int[] {2, 2, 0, 0})).isEqualTo(-1);
    }

    @Test
    void aClassMissedDuringItsTestPeriodIsPromotedToHotAndSurvivesOneMoreSweep() {
        ClockPro clock = new ClockPro(CLASSES, 4);
        clock.onEvicted(1);
        clock.onMiss(1); // evicted, and wanted again: the eviction was a mistake
        assertThat(clock.isHot(1)).isTrue();
        // class 1 is referenced and hot, class 2 only cold: class 2 goes first
        assertThat(clock.victim(3, new int[] {0, 1, 1, 0})).isEqualTo(2);
        assertThat(clock.isHot(1)).isTrue();
    }

    @Test
    void aMissAfterTheTestPeriodDoesNotPromote() {
        ClockPro clock = new ClockPro(CLASSES, 2);
        clock.onEvicted(1);
        clock.onEvicted(2);
        clock.onEvicted(2);
        clock.onEvicted(2); // three evictions later, past a test period of 2
        clock.onMiss(1);
        assertThat(clock.isHot(1)).isFalse();
    }

    @Test
    void aHotUnreferencedClassIsDemotedBeforeItIsEvicted() {
        ClockPro clock = new ClockPro(CLASSES, 4);
        clock.onEvicted(0);
        clock.onMiss(0); // hot and referenced
        int[] counts = {3, 0, 0, 0};
        assertThat(clock.victim(0, counts)).isEqualTo(-1); // only the incoming class itself: drop incoming
        assertThat(clock.isHot(0)).isFalse(); // demoted on the way round
    }
}
