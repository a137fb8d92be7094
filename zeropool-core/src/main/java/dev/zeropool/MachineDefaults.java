package dev.zeropool;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/** Defaults derived from the machine: the CPU count and the JVM's memory limits. Stateless. */
final class MachineDefaults {

    private MachineDefaults() {
    }

    /**
     * The next power of two at or above twice {@code cpus}, clamped to [8, 256]: with twice as many shards
     * as threads running at once, two of them share a home shard rarely (virtual threads, which have no
     * cache of their own, take the shard on every call).
     */
    static int numShards(int cpus) {
        int twice = 2 * Math.max(1, cpus);
        int power = Integer.highestOneBit(twice - 1) << 1;
        return Math.max(8, Math.min(256, power));
    }

    /**
     * 4, whatever the cpus. Small on purpose: a thread pool whose workers each take a turn strands at
     * most this many buffers per idle worker (until a trim takes them back), and the shared tier serves
     * the rest at the cost of one uncontended CAS. Not smaller: a thread that only returns buffers hands
     * them to the shared tier in batches of this plus one, and a hand-off is as fast as its batches.
     */
    static int tlsCacheSize(int cpus) {
        return 4;
    }

    /**
     * As many buffers as the byte budget could ever hold at the smallest size, so the count bound never
     * binds before the budget: only bytes decide what is kept.
     */
    static int maxBuffersPerShard(long maxPooledBytes, int minBufferSize) {
        long buffers = maxPooledBytes / minBufferSize + (maxPooledBytes % minBufferSize == 0 ? 0 : 1);
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, buffers));
    }

    /** A quarter of the memory the buffers come from: direct memory for direct pools, else the heap. */
    static long maxPooledBytes(boolean direct) {
        return Math.max(1, (direct ? maxDirectMemory() : Runtime.getRuntime().maxMemory()) / 4);
    }

    /**
     * The JVM's direct-memory limit: {@code -XX:MaxDirectMemorySize} when set, else (as the JDK does)
     * the heap maximum. Read through the public HotSpot diagnostic MXBean; JVMs without it get the heap maximum.
     */
    static long maxDirectMemory() {
        long heapMax = Runtime.getRuntime().maxMemory();
        try {
            HotSpotDiagnosticMXBean hotspot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            long configured = hotspot == null ? 0 : Long.parseLong(hotspot.getVMOption("MaxDirectMemorySize").getValue());
            return configured > 0 ? configured : heapMax;
        } catch (LinkageError | RuntimeException e) {
            return heapMax; // no jdk.management module, or no such option on this JVM
        }
    }
}
