package dev.zeropool;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;

/**
 * mlock/munlock through JNA, the one native call the JDK 17 API lacks. Loaded only when a pool asks
 * for pinned memory, so JNA stays an optional dependency. Thread-safe (the calls are).
 */
final class JnaMemoryLocker implements MemoryLocker {

    private static final int SC_PAGESIZE = 30; // sysconf(_SC_PAGESIZE) on Linux

    /** The libc calls used; errno arrives as {@link LastErrorException}. */
    interface LibC extends Library {
        int mlock(Pointer address, NativeLong length) throws LastErrorException;

        int munlock(Pointer address, NativeLong length) throws LastErrorException;

        NativeLong sysconf(int name) throws LastErrorException;
    }

    private final LibC libc;
    private final int pageSize;

    private JnaMemoryLocker(LibC libc, int pageSize) {
        this.libc = libc;
        this.pageSize = pageSize;
    }

    static MemoryLocker create() {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(java.util.Locale.ROOT).contains("linux")) {
            return MemoryLocker.unavailable("pinning is supported on Linux only, this is " + os);
        }
        LibC libc = Native.load("c", LibC.class);
        long pageSize = libc.sysconf(SC_PAGESIZE).longValue();
        return new JnaMemoryLocker(libc, pageSize > 0 && pageSize <= 1 << 20 ? (int) pageSize : 4096);
    }

    @Override
    public int pageSize() {
        return pageSize;
    }

    @Override
    public String lock(ByteBuffer buffer) {
        try {
            libc.mlock(Native.getDirectBufferPointer(buffer), new NativeLong(buffer.capacity()));
            return null;
        } catch (LastErrorException e) {
            return "mlock failed with errno " + e.getErrorCode()
                    + " (EPERM 1 / ENOMEM 12: raise RLIMIT_MEMLOCK, e.g. ulimit -l, or grant CAP_IPC_LOCK)";
        }
    }

    @Override
    public void unlock(ByteBuffer buffer) {
        try {
            libc.munlock(Native.getDirectBufferPointer(buffer), new NativeLong(buffer.capacity()));
        } catch (LastErrorException ignored) {
            // The pages stay locked until the memory is freed; nothing else to do.
        }
    }
}
