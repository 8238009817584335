package dev.gnc.kernel;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API sweeps over one row of {@code n} floats: the building blocks of the sphere kernels and
 * of the optimiser steps. A row is a segment and the byte offset of its first float. An output row
 * may be the same memory as an input row (in place) but must not partly overlap it.
 *
 * <p>Each method is one sweep, a main loop over whole vectors then one masked tail (masked-off
 * lanes load 0 and add nothing), and stays small so that C2 compiles it on its own. Sums
 * accumulate in float32 lanes and are reduced across lanes by a fixed butterfly of lane swaps:
 * {@code reduceLanes(ADD)} may add in another order once C2 compiles it, which would make a result
 * depend on how warm the JIT is.
 */
final class RowVectors {
    private static final VectorSpecies<Float> S = Simd.FLOATS;
    private static final int L = S.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final VectorShuffle<Float>[] BUTTERFLY = butterfly();

    private RowVectors() {
    }

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] butterfly() {
        VectorShuffle<Float>[] swaps = new VectorShuffle[Integer.numberOfTrailingZeros(L)];
        for (int k = 0; k < swaps.length; k++) {
            int half = L >> (k + 1);
            swaps[k] = VectorShuffle.fromOp(S, lane -> lane ^ half);
        }
        return swaps;
    }

    // loads and stores small enough that C2 always inlines them: a vector that crosses a call is boxed
    private static FloatVector load(MemorySegment s, long at, int i) {
        return FloatVector.fromMemorySegment(S, s, at + (long) i * Float.BYTES, ORDER);
    }

    private static FloatVector load(MemorySegment s, long at, int i, VectorMask<Float> m) {
        return FloatVector.fromMemorySegment(S, s, at + (long) i * Float.BYTES, ORDER, m);
    }

    private static void store(FloatVector v, MemorySegment s, long at, int i) {
        v.intoMemorySegment(s, at + (long) i * Float.BYTES, ORDER);
    }

    private static void store(FloatVector v, MemorySegment s, long at, int i, VectorMask<Float> m) {
        v.intoMemorySegment(s, at + (long) i * Float.BYTES, ORDER, m);
    }

    /**
     * The sum of the lanes, always added in the same order (a butterfly of lane swaps), compiled
     * or interpreted; {@code reduceLanes(ADD)} is not.
     */
    static float sum(FloatVector v) {
        for (VectorShuffle<Float> swap : BUTTERFLY) {
            v = v.add(v.rearrange(swap));
        }
        return v.lane(0);
    }

    /** {@code <a, b>}. */
    static float dot(MemorySegment a, long aAt, MemorySegment b, long bAt, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (; i <= n - L; i += L) {
            acc = load(a, aAt, i).fma(load(b, bAt, i), acc);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            acc = load(a, aAt, i, m).fma(load(b, bAt, i, m), acc);
        }
        return sum(acc);
    }

    /** {@code ||alpha a + beta b||^2}, each element formed as in {@link #combine} before it is squared. */
    static float squaredNorm(float alpha, MemorySegment a, long aAt, float beta, MemorySegment b, long bAt, int n) {
        FloatVector betas = FloatVector.broadcast(S, beta);
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector y = load(b, bAt, i).fma(betas, load(a, aAt, i).mul(alpha));
            acc = y.fma(y, acc);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector y = load(b, bAt, i, m).fma(betas, load(a, aAt, i, m).mul(alpha));
            acc = y.fma(y, acc);
        }
        return sum(acc);
    }

    /** {@code out = alpha a + beta b}: one rounding when {@code alpha} is 1, so {@code a + 0 b} is {@code a} exactly. */
    static void combine(float alpha, MemorySegment a, long aAt, float beta, MemorySegment b, long bAt,
            MemorySegment out, long outAt, int n) {
        FloatVector betas = FloatVector.broadcast(S, beta);
        int i = 0;
        for (; i <= n - L; i += L) {
            store(load(b, bAt, i).fma(betas, load(a, aAt, i).mul(alpha)), out, outAt, i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            store(load(b, bAt, i, m).fma(betas, load(a, aAt, i, m).mul(alpha)), out, outAt, i, m);
        }
    }

    /** {@code out = alpha a}. */
    static void scale(float alpha, MemorySegment a, long aAt, MemorySegment out, long outAt, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            store(load(a, aAt, i).mul(alpha), out, outAt, i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            store(load(a, aAt, i, m).mul(alpha), out, outAt, i, m);
        }
    }
}
