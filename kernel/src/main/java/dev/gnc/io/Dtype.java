package dev.gnc.io;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The element types gnc reads from .npy files, by NumPy descriptor, and their conversion to the
 * float32 and int32 that gnc computes with. Sources are little-endian as the file stores them;
 * destinations are in native order, so the same code is right on a big-endian host.
 */
enum Dtype {
    FLOAT32("<f4", 4),
    FLOAT64("<f8", 8),
    INT32("<i4", 4),
    INT64("<i8", 8),
    INT16("<i2", 2),
    UINT16("<u2", 2),
    INT8("|i1", 1),
    UINT8("|u1", 1);

    static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt LE_INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    static final ValueLayout.OfDouble LE_DOUBLE =
            ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LE_LONG =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort LE_SHORT =
            ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    final String descr;
    final int bytes;

    Dtype(String descr, int bytes) {
        this.descr = descr;
        this.bytes = bytes;
    }

    /** The type with NumPy descriptor {@code descr}, or null if gnc does not read it. */
    static Dtype of(String descr) {
        for (Dtype type : values()) {
            if (type.descr.equals(descr)) {
                return type;
            }
        }
        return null;
    }

    boolean isFloat() {
        return this == FLOAT32 || this == FLOAT64;
    }

    /** The descriptors of the float types ({@code floats}) or of the integer types, for messages. */
    static String descriptors(boolean floats) {
        return Arrays.stream(values()).filter(type -> type.isFloat() == floats).map(type -> "'" + type.descr + "'")
                .collect(Collectors.joining(", "));
    }

    /**
     * Converts the {@code n} elements at the start of {@code src} to float32 at float index
     * {@code dstIndex} of {@code dst}. Returns the index in {@code src} of a finite value too large
     * for float32, or -1 when all fit; infinities and NaN convert as they are.
     */
    long toFloat32(MemorySegment src, int n, MemorySegment dst, long dstIndex) {
        switch (this) {
            case FLOAT32 -> MemorySegment.copy(src, LE_FLOAT, 0, dst, FLOAT, dstIndex * Float.BYTES, n);
            case FLOAT64 -> {
                for (int k = 0; k < n; k++) {
                    double value = src.getAtIndex(LE_DOUBLE, k);
                    float narrowed = (float) value;
                    if (Float.isInfinite(narrowed) && !Double.isInfinite(value)) {
                        return k;
                    }
                    dst.setAtIndex(FLOAT, dstIndex + k, narrowed);
                }
            }
            default -> throw new IllegalStateException(descr + " is not a float type");
        }
        return -1;
    }

    /**
     * Converts the {@code n} elements at the start of {@code src} to int32 at int index
     * {@code dstIndex} of {@code dst}. Returns the index in {@code src} of a value outside int32,
     * or -1 when all fit.
     */
    long toInt32(MemorySegment src, int n, MemorySegment dst, long dstIndex) {
        switch (this) {
            case INT32 -> MemorySegment.copy(src, LE_INT, 0, dst, INT, dstIndex * Integer.BYTES, n);
            case INT64 -> {
                for (int k = 0; k < n; k++) {
                    long value = src.getAtIndex(LE_LONG, k);
                    if (value != (int) value) {
                        return k;
                    }
                    dst.setAtIndex(INT, dstIndex + k, (int) value);
                }
            }
            case INT16, UINT16 -> {
                for (int k = 0; k < n; k++) {
                    short value = src.getAtIndex(LE_SHORT, k);
                    dst.setAtIndex(INT, dstIndex + k, this == INT16 ? value : Short.toUnsignedInt(value));
                }
            }
            case INT8, UINT8 -> {
                for (int k = 0; k < n; k++) {
                    byte value = src.get(ValueLayout.JAVA_BYTE, k);
                    dst.setAtIndex(INT, dstIndex + k, this == INT8 ? value : Byte.toUnsignedInt(value));
                }
            }
            default -> throw new IllegalStateException(descr + " is not an integer type");
        }
        return -1;
    }

    /** Element {@code k} of {@code src} as text, for the types whose conversion can fail. */
    String valueAt(MemorySegment src, long k) {
        return switch (this) {
            case FLOAT64 -> Double.toString(src.getAtIndex(LE_DOUBLE, k));
            case INT64 -> Long.toString(src.getAtIndex(LE_LONG, k));
            default -> throw new IllegalStateException(descr + " always converts exactly");
        };
    }
}
