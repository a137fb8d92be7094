package dev.zeropool.safetensors;

import java.util.List;

/**
 * What a tensor is, before it has a place in a file: name, element type and shape. Immutable.
 *
 * @param name  the tensor's key in the header, for example {@code "h.0.attn.c_attn.weight"}
 * @param dtype element type
 * @param shape dimensions, outermost first; empty for a scalar
 */
public record TensorSpec(String name, DType dtype, List<Long> shape) {

    /**
     * Copies the shape and checks that it has no negative dimension and, for the sub-byte dtypes, that the
     * tensor comes to a whole number of bytes (as the format requires: its elements are packed).
     */
    public TensorSpec {
        shape = List.copyOf(shape);
        long elementsMod8 = 1; // the element count modulo 8, which decides whether the bits make whole bytes
        for (long dimension : shape) {
            if (dimension < 0) {
                throw new IllegalArgumentException("tensor " + name + " has a negative dimension: " + shape);
            }
            elementsMod8 = elementsMod8 * (dimension % 8) % 8;
        }
        if (elementsMod8 * dtype.bits() % 8 != 0) {
            throw new IllegalArgumentException("tensor \"" + name + "\" is " + dtype + " " + shape + " (" + dtype.bits()
                    + "-bit elements), not a whole number of bytes");
        }
    }

    /** Convenience for literal shapes: {@code TensorSpec.of("wpe.weight", DType.F32, 1024, 768)}. */
    public static TensorSpec of(String name, DType dtype, long... shape) {
        return new TensorSpec(name, dtype, java.util.Arrays.stream(shape).boxed().toList());
    }

    /**
     * @return the number of elements, the product of the dimensions (1 for a scalar, 0 if any dimension is 0)
     * @throws ArithmeticException if the product does not fit in a {@code long}
     */
    public long elements() {
        // A zero dimension makes the tensor empty however large the others are: check it first, so that
        // [2^32, 2^32, 0] is 0 elements, not an overflow on the way there.
        if (shape.contains(0L)) {
            return 0;
        }
        long product = 1;
        for (long dimension : shape) {
            product = Math.multiplyExact(product, dimension);
        }
        return product;
    }

    /**
     * @return the size of the tensor's data in bytes
     * @throws ArithmeticException if it does not fit in a {@code long}
     */
    public long byteSize() {
        long elements = elements();
        if (dtype.bits() % 8 == 0) {
            return Math.multiplyExact(elements, dtype.bits() / 8);
        }
        // Packed sub-byte elements: bits / 8 without forming elements * bits, which overflows 8 times sooner
        // than the result. Whole groups of 8 elements take `bits` bytes; the constructor made the rest whole.
        return Math.addExact(Math.multiplyExact(elements / 8, dtype.bits()), elements % 8 * dtype.bits() / 8);
    }
}
