package dev.zeropool.autoconfigure;

/**
 * Thrown when a {@code zeropool.*} property has a value the pool cannot take before the pool's own
 * checks even run, such as a size beyond what a buffer can hold. Like
 * {@link dev.zeropool.PoolConfigException}, it names the property, the bad value and what is allowed;
 * the auto-configuration's failure analyzer turns it into a start-up report.
 */
public final class InvalidPoolPropertyException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String property;
    private final String value;
    private final String allowed;
    private final String failed;

    /** A property of a pool: the pool could not be built. */
    InvalidPoolPropertyException(String property, String value, String allowed) {
        this(property, value, allowed, "The BufferPool could not be built");
    }

    /**
     * @param failed what could not be done because of the property, as the start of a sentence (e.g.
     *     {@code "The BufferPool could not be built"})
     */
    InvalidPoolPropertyException(String property, String value, String allowed, String failed) {
        super(property + " must be " + allowed + ", was " + value);
        this.property = property;
        this.value = value;
        this.allowed = allowed;
        this.failed = failed;
    }

    /** @return the full property name, e.g. {@code zeropool.max-buffer-size} */
    public String property() {
        return this.property;
    }

    /** @return the rejected value, as text */
    public String value() {
        return this.value;
    }

    /** @return what the property allows, in words */
    public String allowed() {
        return this.allowed;
    }

    /** @return what could not be done because of it, as the start of a sentence */
    public String failed() {
        return this.failed;
    }
}
