package dev.zeropool.benchmarks.jetty;

import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;

/** The JDK's own count of direct memory in use: the BufferPoolMXBean named "direct", MemoryUsed, in bytes. */
final class DirectMemory {

    private static final BufferPoolMXBean DIRECT = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)
            .stream().filter(bean -> bean.getName().equals("direct")).findFirst()
            .orElseThrow(() -> new IllegalStateException("no BufferPoolMXBean named direct"));

    private DirectMemory() {
    }

    /** @return bytes of direct buffers not yet freed (freed when the GC finds them unreachable) */
    static long used() {
        return DIRECT.getMemoryUsed();
    }
}
