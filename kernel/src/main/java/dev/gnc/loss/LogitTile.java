package dev.gnc.loss;

import dev.gnc.core.FloatMatrix;
import dev.gnc.internal.RowVectors;
import dev.gnc.internal.Simd;
import dev.gnc.internal.VectorExp;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API epilogue of the fused cross-entropy: row operations on a logits tile that the
 * GEMM just wrote and that is still in cache. Each method is one pass over one row of {@code n}
 * floats starting at byte {@code at} of {@code tile}, a main vector loop then a masked tail, and
 * stays small so that C2 compiles it on its own (DESIGN.md: large vector methods can fail
 * compilation and run boxed). Sums across lanes go in a fixed order ({@link RowVectors#sum}), so
 * results do not depend on how warm the JIT is.
 */
final class LogitTile {
    private static final VectorSpecies<Float> S = Simd.FLOATS;
    private static final int L = S.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final ValueLayout.OfFloat FLOAT = FloatMatrix.FLOAT;

    private LogitTile() {
    }

    private static FloatVector load(MemorySegment s, long at, int i, int n) {
        return i + L <= n ? FloatVector.fromMemorySegment(S, s, at + (long) i * Float.BYTES, ORDER)
                : FloatVector.fromMemorySegment(S, s, at + (long) i * Float.BYTES, ORDER, S.indexInRange(i, n));
    }

    /** row += bias[0, n). */
    static void addBias(MemorySegment tile, long at, int n, MemorySegment bias, long biasAt) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> in = S.indexInRange(i, n);
            load(tile, at, i, n).add(load(bias, biasAt, i, n))
                    .intoMemorySegment(tile, at + (long) i * Float.BYTES, ORDER, in);
        }
    }

    /** The largest element of the row ({@code -inf} for an empty or all {@code -inf} row). */
    static float max(MemorySegment tile, long at, int n) {
        // four accumulators: a single one would wait on the latency of each max
        FloatVector acc = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
        FloatVector acc1 = acc, acc2 = acc, acc3 = acc;
        int bound4 = n - n % (4 * L);
        int i = 0;
        for (; i < bound4; i += 4 * L) {
            long base = at + (long) i * Float.BYTES;
            acc = acc.max(FloatVector.fromMemorySegment(S, tile, base, ORDER));
            acc1 = acc1.max(FloatVector.fromMemorySegment(S, tile, base + L * Float.BYTES, ORDER));
            acc2 = acc2.max(FloatVector.fromMemorySegment(S, tile, base + 2 * L * Float.BYTES, ORDER));
            acc3 = acc3.max(FloatVector.fromMemorySegment(S, tile, base + 3 * L * Float.BYTES, ORDER));
        }
        acc = acc.max(acc1).max(acc2.max(acc3));
        int bound = S.loopBound(n);
        for (; i < bound; i += L) {
            acc = acc.max(FloatVector.fromMemorySegment(S, tile, at + (long) i * Float.BYTES, ORDER));
        }
        if (i < n) {
            acc = acc.blend(acc.max(load(tile, at, i, n)), S.indexInRange(i, n));
        }
        return acc.reduceLanes(VectorOperators.MAX);
    }

    /**
     * The largest sum {@link #sumExp} returns: e^64. Below it no term came from an element more
     * than 64 above the shift, so none overflowed and the shift cost no digits; at or above it
     * (or infinite, or NaN) the caller shifts by the row's {@link #max} instead.
     */
    static final float SUM_LIMIT = 6.2351492e27f;

    /**
     * sum exp(z - shift) over the row ({@code -inf} entries contribute 0), or NaN when that sum
     * reaches {@link #SUM_LIMIT}. So a shift known beforehand (a running max of earlier tiles) can
     * spare the pass that finds the row's own max.
     */
    static float sumExp(MemorySegment tile, long at, int n, float shift) {
        FloatVector acc = FloatVector.zero(S);
        int bound = S.loopBound(n);
        int i = 0;
        for (; i < bound; i += L) {
            acc = acc.add(VectorExp.exp(FloatVector.fromMemorySegment(S, tile, at + (long) i * Float.BYTES, ORDER)
                    .sub(shift)));
        }
        if (i < n) {
            acc = acc.add(VectorExp.exp(load(tile, at, i, n).sub(shift)), S.indexInRange(i, n));
        }
        float sum = RowVectors.sum(acc); // a fixed order: reduceLanes(ADD) changes bits once C2 compiles it
        return sum < SUM_LIMIT ? sum : Float.NaN;
    }

    /** How many of the elements [from, to) exceed {@code threshold} (or equal it, when {@code orEqual}). */
    static int countAbove(MemorySegment tile, long at, int from, int to, float threshold, boolean orEqual) {
        int count = 0;
        for (int i = from; i < to; i += L) {
            FloatVector v = load(tile, at, i, to);
            VectorMask<Float> in = S.indexInRange(i, to);
            // an operator per branch: C2 intrinsifies a compare only when its operator is a constant,
            // and runs one held in a variable lane by lane in Java
            VectorMask<Float> above = orEqual ? v.compare(VectorOperators.GE, threshold, in)
                    : v.compare(VectorOperators.GT, threshold, in);
            count += above.trueCount();
        }
        return count;
    }

    /**
     * Turns a row of logits into its gradient in place: {@code z -> scale * exp(z - lse) - offset_k}
     * with {@code offset_k = offsetScale * offsets[k]}, or no offset when {@code offsets} is null.
     */
    static void softmaxGradient(MemorySegment tile, long at, int n, float lse, float scale, MemorySegment offsets,
            float offsetScale) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> in = S.indexInRange(i, n);
            FloatVector g = VectorExp.exp(load(tile, at, i, n).sub(lse)).mul(scale);
            if (offsets != null) {
                g = load(offsets, 0, i, n).mul(-offsetScale).add(g);
            }
            g.intoMemorySegment(tile, at + (long) i * Float.BYTES, ORDER, in);
        }
    }

    /** {@code dst[dstAt...] += src[srcAt...]} over n floats (byte offsets): column sums, partial merges. */
    static void add(MemorySegment src, long srcAt, MemorySegment dst, long dstAt, int n) {
        for (int i = 0; i < n; i += L) {
            VectorMask<Float> in = S.indexInRange(i, n);
            load(dst, dstAt, i, n).add(load(src, srcAt, i, n))
                    .intoMemorySegment(dst, dstAt + (long) i * Float.BYTES, ORDER, in);
        }
    }

    /** Sets element {@code j} of the row. */
    static void set(MemorySegment tile, long at, int j, float value) {
        tile.set(FLOAT, at + (long) j * Float.BYTES, value);
    }

    /** Fills the row with zeros. */
    static void zero(MemorySegment tile, long at, int n) {
        tile.asSlice(at, (long) n * Float.BYTES).fill((byte) 0);
    }
}
