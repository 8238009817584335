package dev.gnc.io;

import java.util.Arrays;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * What the header of a .npy file says about the array after it.
 *
 * @param dtype the NumPy type descriptor as written, e.g. {@code "<f4"} (little-endian float32)
 *     or {@code "<i8"} (little-endian int64); not necessarily one gnc can read
 * @param fortranOrder whether the data is stored column-major
 * @param shape the dimensions, outermost first: {@code {rows, cols}} for a matrix, {@code {n}}
 *     for a vector, {@code {}} for a scalar
 * @param dataOffset the byte offset of the first data byte in the file
 */
public record NpyHeader(String dtype, boolean fortranOrder, long[] shape, long dataOffset) {

    /**
     * Checks the shape and copies it.
     *
     * @throws IllegalArgumentException if a dimension is negative, the element count exceeds
     *     {@code Long.MAX_VALUE}, or {@code dataOffset} is negative
     */
    public NpyHeader {
        Objects.requireNonNull(dtype, "dtype");
        shape = shape.clone();
        long count = 1;
        for (long dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("shape " + shapeString(shape) + " has a negative dimension");
            }
            try {
                count = Math.multiplyExact(count, dim);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("shape " + shapeString(shape) + " has more than 2^63 - 1 elements");
            }
        }
        if (dataOffset < 0) {
            throw new IllegalArgumentException("data offset must be non-negative, got " + dataOffset);
        }
    }

    /** A copy of the dimensions, outermost first. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The number of elements, the product of the dimensions (1 for a scalar). */
    public long elementCount() {
        long count = 1;
        for (long dim : shape) {
            count *= dim;
        }
        return count;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyHeader h && dtype.equals(h.dtype) && fortranOrder == h.fortranOrder
                && Arrays.equals(shape, h.shape) && dataOffset == h.dataOffset;
    }

    @Override
    public int hashCode() {
        return Objects.hash(dtype, fortranOrder, Arrays.hashCode(shape), dataOffset);
    }

    /** For example {@code NpyHeader['<f4', (3, 2), C order, data at byte 128]}. */
    @Override
    public String toString() {
        return "NpyHeader['" + dtype + "', " + shapeString(shape) + ", " + (fortranOrder ? "Fortran" : "C")
                + " order, data at byte " + dataOffset + "]";
    }

    /** {@code shape} as Python writes a tuple: {@code ()}, {@code (5,)}, {@code (3, 2)}. */
    static String shapeString(long[] shape) {
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringJoiner out = new StringJoiner(", ", "(", ")");
        for (long dim : shape) {
            out.add(Long.toString(dim));
        }
        return out.toString();
    }
}
