package dev.gnc.core;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * A row-major float32 matrix in off-heap memory.
 *
 * <p>Element (i, j) lives at float index {@code i * ld + j} of {@link #segment()}, where the
 * leading dimension {@code ld >= cols} is the distance between consecutive rows. Rows are
 * {@code long}, so {@code rows * cols} may exceed 2^31; the column count and the leading
 * dimension are {@code int}. Matrices allocated here start on a 64-byte boundary (one cache line,
 * one AVX-512 register); views share memory with the matrix they come from.
 *
 * <p>Heap arrays appear only at the edges ({@link #of(Arena, long, int, float[])},
 * {@link #toArray()}), for tests and small inputs.
 */
public final class FloatMatrix {
    /** Byte alignment of every matrix this class allocates. */
    public static final long ALIGNMENT = 64;

    /** The layout of one element: float32 in native order, read and written without alignment checks. */
    public static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;

    private final MemorySegment segment;
    private final long rows;
    private final int cols;
    private final int ld;

    private FloatMatrix(MemorySegment segment, long rows, int cols, int ld) {
        this.segment = segment;
        this.rows = rows;
        this.cols = cols;
        this.ld = ld;
    }

    /** A zero-filled {@code rows x cols} matrix with {@code ld = cols}, allocated in {@code arena}. */
    public static FloatMatrix allocate(Arena arena, long rows, int cols) {
        checkShape(rows, cols);
        long bytes = Math.multiplyExact(Math.multiplyExact(rows, (long) cols), Float.BYTES);
        return new FloatMatrix(arena.allocate(Math.max(bytes, 1), ALIGNMENT).asSlice(0, bytes), rows, cols, cols);
    }

    /** A copy of the row-major heap array {@code values} ({@code rows * cols} floats), allocated in {@code arena}. */
    public static FloatMatrix of(Arena arena, long rows, int cols, float[] values) {
        checkShape(rows, cols);
        if (values.length != rows * cols) {
            throw new IllegalArgumentException("values has " + values.length + " floats, a " + rows + " x " + cols
                    + " matrix needs " + rows * cols);
        }
        FloatMatrix m = allocate(arena, rows, cols);
        MemorySegment.copy(values, 0, m.segment, FLOAT, 0, values.length);
        return m;
    }

    /**
     * Views existing memory as a matrix. {@code segment} must hold at least
     * {@code ((rows - 1) * ld + cols)} floats; it is not copied.
     */
    public static FloatMatrix wrap(MemorySegment segment, long rows, int cols, int ld) {
        Objects.requireNonNull(segment, "segment");
        checkShape(rows, cols);
        if (ld < cols) {
            throw new IllegalArgumentException("leading dimension " + ld + " is smaller than cols " + cols);
        }
        long needed = spanFloats(rows, cols, ld) * Float.BYTES;
        if (segment.byteSize() < needed) {
            throw new IllegalArgumentException("segment of " + segment.byteSize() + " bytes is too small for a "
                    + rows + " x " + cols + " matrix with leading dimension " + ld + " (" + needed + " bytes)");
        }
        return new FloatMatrix(segment.asSlice(0, needed), rows, cols, ld);
    }

    private static void checkShape(long rows, int cols) {
        if (rows < 0 || cols < 0) {
            throw new IllegalArgumentException("matrix shape must be non-negative, got " + rows + " x " + cols);
        }
    }

    private static long spanFloats(long rows, int cols, int ld) {
        return rows == 0 || cols == 0 ? 0 : Math.addExact(Math.multiplyExact(rows - 1, (long) ld), cols);
    }

    /** The memory holding element (0, 0) onwards, exactly as long as the last element needs. */
    public MemorySegment segment() {
        return segment;
    }

    public long rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    /** Floats between the starts of consecutive rows. */
    public int ld() {
        return ld;
    }

    /** True when rows follow each other without gaps ({@code ld == cols}). */
    public boolean isContiguous() {
        return ld == cols || rows <= 1;
    }

    /** Number of elements, {@code rows * cols}. */
    public long size() {
        return rows * cols;
    }

    /** Byte offset of element (i, j) within {@link #segment()}; no bounds check. */
    public long byteOffset(long i, int j) {
        return (i * ld + j) * Float.BYTES;
    }

    public float get(long i, int j) {
        checkIndex(i, j);
        return segment.get(FLOAT, byteOffset(i, j));
    }

    public void set(long i, int j, float value) {
        checkIndex(i, j);
        segment.set(FLOAT, byteOffset(i, j), value);
    }

    private void checkIndex(long i, int j) {
        if (i < 0 || i >= rows || j < 0 || j >= cols) {
            throw new IndexOutOfBoundsException("(" + i + ", " + j + ") outside a " + rows + " x " + cols + " matrix");
        }
    }

    /** Row {@code i} as a segment of {@code cols} floats. */
    public MemorySegment row(long i) {
        checkIndex(i, 0);
        return segment.asSlice(byteOffset(i, 0), (long) cols * Float.BYTES);
    }

    /** Rows {@code [from, to)} as a view. */
    public FloatMatrix rows(long from, long to) {
        return block(from, 0, to - from, cols);
    }

    /** The {@code nRows x nCols} block whose top-left element is (r0, c0), as a view with the same leading dimension. */
    public FloatMatrix block(long r0, int c0, long nRows, int nCols) {
        if (r0 < 0 || c0 < 0 || nRows < 0 || nCols < 0 || r0 + nRows > rows || c0 + nCols > cols) {
            throw new IndexOutOfBoundsException("block at (" + r0 + ", " + c0 + ") of " + nRows + " x " + nCols
                    + " does not fit a " + rows + " x " + cols + " matrix");
        }
        long start = nRows == 0 || nCols == 0 ? 0 : byteOffset(r0, c0);
        long bytes = spanFloats(nRows, nCols, ld) * Float.BYTES;
        return new FloatMatrix(segment.asSlice(start, bytes), nRows, nCols, ld);
    }

    /** Sets every element to {@code value}. */
    public void fill(float value) {
        if (isContiguous()) {
            if (value == 0f) {
                segment.fill((byte) 0);
                return;
            }
            for (long k = 0, n = size(); k < n; k++) {
                segment.setAtIndex(FLOAT, k, value);
            }
            return;
        }
        for (long i = 0; i < rows; i++) {
            rows(i, i + 1).fill(value);
        }
    }

    /** Copies {@code source}, which must have the same shape, into this matrix. */
    public void copyFrom(FloatMatrix source) {
        if (source.rows != rows || source.cols != cols) {
            throw new IllegalArgumentException("cannot copy a " + source.rows + " x " + source.cols + " matrix into a "
                    + rows + " x " + cols + " one");
        }
        if (isContiguous() && source.isContiguous()) {
            MemorySegment.copy(source.segment, 0, segment, 0, segment.byteSize());
            return;
        }
        for (long i = 0; i < rows; i++) {
            MemorySegment.copy(source.segment, source.byteOffset(i, 0), segment, byteOffset(i, 0),
                    (long) cols * Float.BYTES);
        }
    }

    /** The elements as a new row-major heap array; only for matrices below 2^31 elements. */
    public float[] toArray() {
        if (size() > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("a " + rows + " x " + cols + " matrix does not fit a Java array");
        }
        float[] out = new float[(int) size()];
        for (long i = 0; i < rows; i++) {
            MemorySegment.copy(segment, FLOAT, byteOffset(i, 0), out, (int) (i * cols), cols);
        }
        return out;
    }

    @Override
    public String toString() {
        return "FloatMatrix[" + rows + " x " + cols + (ld != cols ? ", ld " + ld : "") + "]";
    }
}
