package dev.zeropool;

/**
 * A shard's eviction state: told about demand per size class, asked for a victim when the shard is
 * full. One instance per shard, used only under that shard's lock, so it is not thread-safe itself.
 */
interface Eviction {

    /** A {@code get} of class {@code sizeClass} was served by this shard. */
    void onHit(int sizeClass);

    /** A {@code get} of class {@code sizeClass} found this shard empty for that class. */
    void onMiss(int sizeClass);

    /**
     * The shard is full and a buffer of class {@code incoming} comes back.
     *
     * @param counts buffers the shard holds per class
     * @return the class to evict one buffer from, or -1 to drop the incoming buffer instead
     */
    int victim(int incoming, int[] counts);

    /** One buffer of class {@code sizeClass} was evicted. */
    void onEvicted(int sizeClass);

    static Eviction create(EvictionPolicy policy, int sizeClasses, int shardCapacity) {
        return switch (policy) {
            case LIFO -> Lifo.INSTANCE;
            case CLOCK_PRO -> new ClockPro(sizeClasses, shardCapacity);
        };
    }

    /** {@link EvictionPolicy#LIFO}: never evicts, a full shard drops what comes back. Stateless. */
    enum Lifo implements Eviction {
        INSTANCE;

        @Override
        public void onHit(int sizeClass) {
        }

        @Override
        public void onMiss(int sizeClass) {
        }

        @Override
        public int victim(int incoming, int[] counts) {
            return -1;
        }

        @Override
        public void onEvicted(int sizeClass) {
        }
    }
}
