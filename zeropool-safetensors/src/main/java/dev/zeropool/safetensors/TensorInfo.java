package dev.zeropool.safetensors;

/**
 * A tensor as a safetensors header places it: its spec and its byte range in the data section. Immutable.
 *
 * @param spec  name, dtype and shape
 * @param begin first byte, relative to the start of the data section (after the header)
 * @param end   one past the last byte, relative to the start of the data section
 */
public record TensorInfo(TensorSpec spec, long begin, long end) {

    /** @return the tensor's name */
    public String name() {
        return spec.name();
    }

    /** @return bytes of data, {@code end - begin} */
    public long byteSize() {
        return end - begin;
    }
}
