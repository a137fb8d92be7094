package dev.zeropool;

/**
 * Thrown by {@link BufferPool.Builder#build()} when an option has a value outside its allowed range.
 * The message names the option, the bad value and what is allowed; the accessors give the same
 * facts to code that maps options back to its own configuration keys (such as the Spring Boot starter).
 */
public final class PoolConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String option;
    private final String value;
    private final String allowed;

    PoolConfigException(String option, Object value, String allowed) {
        super(option + " must be " + allowed + ", was " + value);
        this.option = option;
        this.value = String.valueOf(value);
        this.allowed = allowed;
    }

    /** @return the builder option that was wrong, as the builder method is named (e.g. {@code numShards}) */
    public String option() {
        return option;
    }

    /** @return the rejected value, as text */
    public String value() {
        return value;
    }

    /** @return what the option allows, in words (e.g. {@code "a power of two in [1, 1024]"}) */
    public String allowed() {
        return allowed;
    }
}
