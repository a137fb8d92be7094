package dev.zeropool;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;

/** Defaults derived from the machine: the CPU count and the JVM's memory limits. Stateless. */
final class MachineDefaults {

    private MachineDefaults() {
    }

    /** The next power of two at or above {@code cpus}, clamped to [4, 128]. */
    static int numShards(int cpus) {
        int power = Integer.highestOneBit(Math.max(1, cpus - 1)) << 1;
        return Math.max(4, Math.min(128, cpus <= 1 ? 1 : power));
    }

    static int tlsCacheSize(int cpus) {
        if (cpus <= 2) {
            return 2;
        }
        if (cpus <= 4) {
            return 4;
        }
        return cpus <= 8 ? 6 : 8;
    }

    static int maxBuffersPerShard(int cpus) {
        if (cpus < 16) {
            return 16;
        }
        if (cpus < 24) {
            return 32;
        }
        return cpus < 32 ? 48 : 64;
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
