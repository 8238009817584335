package dev.gnc.core;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * An off-heap array of int32 class labels, one per sample.
 *
 * <p>Label {@code i} lives at int index {@code i} of {@link #segment()}. Lengths are {@code long},
 * so a label array may hold more than 2^31 entries. Arrays allocated here start on a
 * {@value FloatMatrix#ALIGNMENT}-byte boundary, like {@link FloatMatrix}; slices share memory with
 * the array they come from. Values are not range-checked here: a negative label such as an
 * {@code ignore_index} is legal, and the kernels that consume labels check them against K.
 *
 * <p>Heap arrays appear only at the edges ({@link #of(Arena, int...)}, {@link #toArray()}), for
 * tests and small inputs.
 */
public final class Labels {
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;

    private final MemorySegment segment;
    private final long length;

    private Labels(MemorySegment segment, long length) {
        this.segment = segment;
        this.length = length;
    }

    /** A zero-filled array of {@code length} labels, allocated in {@code arena}. */
    public static Labels allocate(Arena arena, long length) {
        if (length < 0) {
            throw new IllegalArgumentException("label count must be non-negative, got " + length);
        }
        long bytes = Math.multiplyExact(length, (long) Integer.BYTES);
        return new Labels(arena.allocate(Math.max(bytes, 1), FloatMatrix.ALIGNMENT).asSlice(0, bytes), length);
    }

    /** A copy of {@code values}, allocated in {@code arena}. */
    public static Labels of(Arena arena, int... values) {
        Labels labels = allocate(arena, values.length);
        MemorySegment.copy(values, 0, labels.segment, INT, 0, values.length);
        return labels;
    }

    /** The memory holding label 0 onwards, exactly {@code 4 * length()} bytes. */
    public MemorySegment segment() {
        return segment;
    }

    /** Number of labels. */
    public long length() {
        return length;
    }

    /** Label {@code i}, for {@code 0 <= i < length()}. */
    public int get(long i) {
        checkIndex(i);
        return segment.getAtIndex(INT, i);
    }

    /** Sets label {@code i} to {@code value}, for {@code 0 <= i < length()}. */
    public void set(long i, int value) {
        checkIndex(i);
        segment.setAtIndex(INT, i, value);
    }

    private void checkIndex(long i) {
        if (i < 0 || i >= length) {
            throw new IndexOutOfBoundsException("label index " + i + " outside [0, " + length + ")");
        }
    }

    /** Labels {@code [from, to)} as a view sharing this array's memory. */
    public Labels slice(long from, long to) {
        if (from < 0 || to < from || to > length) {
            throw new IndexOutOfBoundsException("slice [" + from + ", " + to + ") does not fit " + length + " labels");
        }
        return new Labels(segment.asSlice(from * Integer.BYTES, (to - from) * Integer.BYTES), to - from);
    }

    /** The labels as a new heap array; only for arrays below 2^31 labels. */
    public int[] toArray() {
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException(length + " labels do not fit a Java array");
        }
        int[] out = new int[(int) length];
        MemorySegment.copy(segment, INT, 0, out, 0, out.length);
        return out;
    }

    @Override
    public String toString() {
        return "Labels[" + length + "]";
    }
}
