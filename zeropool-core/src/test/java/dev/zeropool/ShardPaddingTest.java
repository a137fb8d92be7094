package dev.zeropool;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.openjdk.jol.datamodel.DataModel;
import org.openjdk.jol.datamodel.Model64;
import org.openjdk.jol.datamodel.Model64_Lilliput;
import org.openjdk.jol.info.ClassLayout;
import org.openjdk.jol.info.FieldLayout;
import org.openjdk.jol.layouters.HotSpotLayouter;

/**
 * What keeps two shards used by two cores off each other's cache lines, whatever the garbage collector
 * puts next to them: 128 bytes of the shard before its lock word, and {@link Shard#PAD} unused elements
 * at both ends of the arrays a get or put writes (the counts, each class's stack and its stamps).
 *
 * <p>The field layout is HotSpot's as JOL simulates it from the class files (no {@code Unsafe}), for the
 * object headers a JVM may use. Why it is tested: the padding class once left a 4-byte hole after a
 * 12-byte header, HotSpot filled it with the lock word, and two threads without caches, each on its own
 * shard, often made less than one thread alone ({@code ShardNeighboursProbe} in zeropool-benchmarks, 2
 * cores: a median of 26.1 million get+put pairs a second before the fix, 40.7 after).
 */
class ShardPaddingTest {

    static List<DataModel> headers() {
        return List.of(
                new Model64(true, true, 8),   // 12-byte header, compressed references: the default
                new Model64(false, true, 8),  // 12-byte header, full references: heaps past 32 GiB (JDK 15+)
                new Model64(true, false, 8),  // 16-byte header (-XX:-UseCompressedClassPointers)
                new Model64(false, false, 8), // 16-byte header, full references
                new Model64_Lilliput());      // compact object headers (JDK 24+, -XX:+UseCompactObjectHeaders)
    }

    @ParameterizedTest
    @MethodSource("headers")
    void theLockWordHas128BytesOfTheShardItselfBeforeIt(DataModel header) {
        for (int jdk : new int[] {17, 21, 25}) {
            ClassLayout layout = ClassLayout.parseClass(Shard.class, new HotSpotLayouter(header, jdk));
            FieldLayout lock = field(layout, "ShardLock", "state");
            assertThat(lock.offset())
                    .as("offset of the lock word on JDK %d with %s:%n%s", jdk, header, layout.toPrintable())
                    .isGreaterThanOrEqualTo(128);
        }
    }

    @Test
    void everyArrayAGetOrPutTouchesHasUnusedElementsAtBothEnds() throws ReflectiveOperationException {
        SizeClasses classes = new SizeClasses(4096, 1 << 20);
        Shard shard = new Shard(0, 64, classes, new ByteBudget(1 << 24), EvictionPolicy.CLOCK_PRO);
        int sizeClass = classes.indexOfCapacity(8192);
        List<ByteBuffer> kept = new ArrayList<>();
        for (int i = 0; i < 5; i++) { // past the first stack's 4 slots: the grown stack is padded too
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            assertThat(shard.offer(sizeClass, buffer, true, 7, b -> { })).isTrue();
            kept.add(buffer);
        }

        int[] counts = (int[]) read(shard, "counts");
        assertThat(counts).hasSize(Shard.PAD + classes.count() + Shard.PAD);
        assertThat(counts[Shard.PAD + sizeClass]).isEqualTo(5);

        ByteBuffer[] stack = ((ByteBuffer[][]) read(shard, "stacks"))[sizeClass];
        int slots = stack.length - 2 * Shard.PAD;
        assertThat(slots).isGreaterThanOrEqualTo(5);
        for (int i = 0; i < stack.length; i++) {
            boolean held = i >= Shard.PAD && i < Shard.PAD + 5;
            assertThat(stack[i]).as("stack element %d of %d", i, stack.length)
                    .isSameAs(held ? kept.get(i - Shard.PAD) : null);
        }
        int[] stamps = ((int[][]) read(shard, "stamps"))[sizeClass];
        assertThat(stamps).hasSameSizeAs(stack);
        for (int i = 0; i < stamps.length; i++) {
            boolean held = i >= Shard.PAD && i < Shard.PAD + 5;
            assertThat(stamps[i]).as("stamp element %d of %d", i, stamps.length).isEqualTo(held ? 7 : 0);
        }

        // and the held ones come back from the top, the padding untouched
        for (int i = 4; i >= 0; i--) {
            assertThat(shard.take(sizeClass)).isSameAs(kept.get(i));
        }
        assertThat(shard.take(sizeClass)).isNull();
        assertThat(stack).containsOnlyNulls();
    }

    private static FieldLayout field(ClassLayout layout, String declaringClass, String name) {
        return layout.fields().stream()
                .filter(f -> f.classShortName().equals(declaringClass) && f.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no field " + declaringClass + "." + name));
    }

    private static Object read(Shard shard, String name) throws ReflectiveOperationException {
        Field field = Shard.class.getDeclaredField(name);
        field.setAccessible(true);
        return field.get(shard);
    }
}
