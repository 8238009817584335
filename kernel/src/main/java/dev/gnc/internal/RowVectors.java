package dev.gnc.internal;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API sweeps over one row of {@code n} floats: the building blocks of the sphere kernels and
 * of the optimiser steps. A row is a segment and the byte offset of its first float. An output row
 * may be the same memory as an input row (in place) but must not partly overlap it.
 *
 * <p>Each method is one sweep per row, a main loop over whole vectors then one masked tail
 * (masked-off lanes load 0 and add nothing). The block sweeps ({@link #gramRows},
 * {@link #combineRows}) loop over a few consecutive rows themselves, so that a block of rows runs
 * in one compiled body; their tails are methods of their own, off the main path, which keeps the
 * bodies small. Sums
 * accumulate in float32 lanes and are reduced across lanes by a fixed butterfly of lane swaps:
 * {@code reduceLanes(ADD)} may add in another order once C2 compiles it, which would make a result
 * depend on how warm the JIT is. The Gram sweeps widen to float64 lanes: their sums feed float64
 * algebra (a norm of a combination from the inner products of its terms) that would cancel away
 * float32 digits.
 */
public final class RowVectors {
    private static final VectorSpecies<Float> S = Simd.FLOATS;
    private static final int L = S.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();
    private static final VectorShuffle<Float>[] BUTTERFLY = butterfly(S);
    /** Float64 lanes in the same bits as {@link #S}, for the Gram sweeps. */
    private static final VectorSpecies<Double> D = S.withLanes(double.class);
    private static final int DL = D.length();
    /** Floats to widen into one {@link #D} vector: as many lanes (at least 64 bits, so 2 lanes when D has 1). */
    private static final VectorSpecies<Float> H = FloatVector.SPECIES_64.withShape(
            VectorShape.forBitSize(Math.max(64, S.vectorBitSize() / 2)));
    private static final VectorShuffle<Double>[] DOUBLE_BUTTERFLY = butterfly(D);

    /**
     * The strides of the whole-vector loops, in fields that are deliberately not final. C2 turns a
     * loop with a constant stride into pre-, main and post-loops with its (long) range checks
     * hoisted, about a hundred instructions on every entry: more than the loop's own work on a row
     * of 64 floats, and a step enters four to six such loops a row. A stride C2 cannot see as a
     * constant keeps the loop plain, with one bounds check per access (measured with
     * SphereBenchmark at K = 10^3 and 10^6, d = 64, 1 thread: a retraction 29 -> 21 ns a row, an
     * RSGD step 39 -> 31 ns, Adam 71 -> 59 ns).
     */
    private static int stride = L;
    private static int wideStride = DL;

    /** {@link #combineRows}'s flags for one row that moves; never written. */
    private static final boolean[] ONE_ROW = {true};

    private RowVectors() {
    }

    @SuppressWarnings({"unchecked", "rawtypes"}) // generic array creation
    private static <E> VectorShuffle<E>[] butterfly(VectorSpecies<E> species) {
        VectorShuffle<E>[] swaps = new VectorShuffle[Integer.numberOfTrailingZeros(species.length())];
        for (int k = 0; k < swaps.length; k++) {
            int half = species.length() >> (k + 1);
            swaps[k] = VectorShuffle.fromOp(species, lane -> lane ^ half);
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

    private static FloatVector broadcast(float value) {
        return FloatVector.broadcast(S, value);
    }

    /** Floats {@code [i, i + DL)} in float64 lanes, exactly: half a float vector, widened in one instruction. */
    private static DoubleVector wide(MemorySegment s, long at, int i) {
        return (DoubleVector) FloatVector.fromMemorySegment(H, s, at + (long) i * Float.BYTES, ORDER)
                .convertShape(VectorOperators.F2D, D, 0);
    }

    private static DoubleVector wide(MemorySegment s, long at, int i, VectorMask<Float> m) {
        return (DoubleVector) FloatVector.fromMemorySegment(H, s, at + (long) i * Float.BYTES, ORDER, m)
                .convertShape(VectorOperators.F2D, D, 0);
    }

    /** The lanes of the float tail {@code [i, n)} that {@link #wide} covers from {@code i}. */
    private static VectorMask<Float> wideTail(int i, int n) {
        return H.indexInRange(i, Math.min(n, i + DL));
    }

    /**
     * The sum of the lanes, always added in the same order (a butterfly of lane swaps), compiled
     * or interpreted; {@code reduceLanes(ADD)} is not.
     */
    public static float sum(FloatVector v) {
        for (VectorShuffle<Float> swap : BUTTERFLY) {
            v = v.add(v.rearrange(swap));
        }
        return v.lane(0);
    }

    /** {@link #sum(FloatVector)} in float64 lanes. */
    public static double sum(DoubleVector v) {
        for (VectorShuffle<Double> swap : DOUBLE_BUTTERFLY) {
            v = v.add(v.rearrange(swap));
        }
        return v.lane(0);
    }

    /** {@code <a, b>}. */
    public static float dot(MemorySegment a, long aAt, MemorySegment b, long bAt, int n) {
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (; i <= n - L; i += stride) {
            acc = load(a, aAt, i).fma(load(b, bAt, i), acc);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            acc = load(a, aAt, i, m).fma(load(b, bAt, i, m), acc);
        }
        return sum(acc);
    }

    /**
     * The Gram matrix of two rows in one sweep, summed in float64 lanes (the float32 products are
     * exact there): {@code gram[0..2] = <a, a>, <a, b>, <b, b>}, and zeros in {@code gram[3..5]}.
     */
    public static void gram(MemorySegment a, long aAt, MemorySegment b, long bAt, int n, double[] gram) {
        gramRows(a, aAt, 0, b, bAt, 0, null, 0, 0, n, 1, gram);
    }

    /**
     * The Gram matrix of three rows in one sweep, as {@link #gram(MemorySegment, long, MemorySegment,
     * long, int, double[])}: {@code gram[0..5] = <a, a>, <a, b>, <b, b>, <a, c>, <b, c>, <c, c>}.
     */
    public static void gram(MemorySegment a, long aAt, MemorySegment b, long bAt, MemorySegment c, long cAt, int n,
            double[] gram) {
        gramRows(a, aAt, 0, b, bAt, 0, c, cAt, 0, n, 1, gram);
    }

    /**
     * Adds the elements {@code [i, n)}, fewer than a whole float64 vector, to the first {@code sums}
     * (3 or 6) Gram sums of three rows. Off the sweeps' main path, so that they stay small enough
     * for C2 to inline into a loop over rows.
     */
    private static void gramTail(MemorySegment a, long aAt, MemorySegment b, long bAt, MemorySegment c, long cAt,
            int i, int n, int sums, double[] gram, int at) {
        VectorMask<Float> m = wideTail(i, n);
        DoubleVector av = wide(a, aAt, i, m), bv = wide(b, bAt, i, m), cv = wide(c, cAt, i, m);
        gram[at] += sum(av.mul(av));
        gram[at + 1] += sum(av.mul(bv));
        gram[at + 2] += sum(bv.mul(bv));
        if (sums == 6) {
            gram[at + 3] += sum(av.mul(cv));
            gram[at + 4] += sum(bv.mul(cv));
            gram[at + 5] += sum(cv.mul(cv));
        }
    }

    /**
     * The Gram sums of {@code count} consecutive rows, {@code aLd} bytes apart in {@code a} (and so
     * on): {@code gram[6k .. 6k + 5] = <a, a>, <a, b>, <b, b>, <a, c>, <b, c>, <c, c>} of row k,
     * summed in float64 lanes; with {@code c} null, the three sums of a and b and zeros. The loop
     * over rows is in this method so that a block's sweeps run back to back in one compiled body,
     * without a call per row.
     */
    public static void gramRows(MemorySegment a, long aAt, long aLd, MemorySegment b, long bAt, long bLd, MemorySegment c,
            long cAt, long cLd, int n, int count, double[] gram) {
        for (int k = 0; k < count; k++) {
            long ak = aAt + k * aLd, bk = bAt + k * bLd, ck = cAt + k * cLd;
            int at = 6 * k;
            DoubleVector aa = DoubleVector.zero(D), ab = aa, bb = aa, ac = aa, bc = aa, cc = aa;
            int i = 0;
            if (c == null) {
                for (; i <= n - H.length(); i += wideStride) {
                    DoubleVector av = wide(a, ak, i), bv = wide(b, bk, i);
                    aa = av.fma(av, aa);
                    ab = av.fma(bv, ab);
                    bb = bv.fma(bv, bb);
                }
            } else {
                for (; i <= n - H.length(); i += wideStride) {
                    DoubleVector av = wide(a, ak, i), bv = wide(b, bk, i), cv = wide(c, ck, i);
                    aa = av.fma(av, aa);
                    ab = av.fma(bv, ab);
                    bb = bv.fma(bv, bb);
                    ac = av.fma(cv, ac);
                    bc = bv.fma(cv, bc);
                    cc = cv.fma(cv, cc);
                }
            }
            gram[at] = sum(aa);
            gram[at + 1] = sum(ab);
            gram[at + 2] = sum(bb);
            gram[at + 3] = sum(ac);
            gram[at + 4] = sum(bc);
            gram[at + 5] = sum(cc);
            if (i < n) {
                gramTail(a, ak, b, bk, c == null ? b : c, c == null ? bk : ck, i, n, c == null ? 3 : 6, gram, at);
            }
        }
    }

    /**
     * For each row k below {@code count} with {@code moving[k]}, in place:
     * {@code a_k = m0 a_k + m1 b_k + m2 c_k} and {@code c_k = m3 a_k + m4 b_k + m5 c_k} with
     * {@code m = mix[6k ..]}; with {@code c} null, {@code a_k = m0 a_k + m1 b_k}. Rows are laid out as
     * in {@link #gramRows}.
     */
    public static void combineRows(float[] mix, boolean[] moving, MemorySegment a, long aAt, long aLd, MemorySegment b,
            long bAt, long bLd, MemorySegment c, long cAt, long cLd, int n, int count) {
        for (int k = 0; k < count; k++) {
            if (!moving[k]) {
                continue;
            }
            long ak = aAt + k * aLd, bk = bAt + k * bLd, ck = cAt + k * cLd;
            int at = 6 * k;
            if (c == null) {
                combine(mix[at], a, ak, mix[at + 1], b, bk, a, ak, n);
                continue;
            }
            float k0 = mix[at], k3 = mix[at + 3];
            FloatVector k1 = broadcast(mix[at + 1]), k2 = broadcast(mix[at + 2]);
            FloatVector k4 = broadcast(mix[at + 4]), k5 = broadcast(mix[at + 5]);
            int i = 0;
            for (; i <= n - L; i += stride) {
                FloatVector av = load(a, ak, i), bv = load(b, bk, i), cv = load(c, ck, i);
                store(cv.fma(k2, bv.fma(k1, av.mul(k0))), a, ak, i);
                store(cv.fma(k5, bv.fma(k4, av.mul(k3))), c, ck, i);
            }
            if (i < n) {
                combineTail(mix, at, a, ak, b, bk, c, ck, i, n);
            }
        }
    }

    /**
     * The elements {@code [i, n)}, fewer than a vector, of {@link #combineRows} on one row: off its
     * main path, as {@link #gramTail}.
     */
    private static void combineTail(float[] k, int at, MemorySegment a, long aAt, MemorySegment b, long bAt,
            MemorySegment c, long cAt, int i, int n) {
        VectorMask<Float> m = S.indexInRange(i, n);
        FloatVector av = load(a, aAt, i, m), bv = load(b, bAt, i, m), cv = load(c, cAt, i, m);
        store(cv.fma(broadcast(k[at + 2]), bv.fma(broadcast(k[at + 1]), av.mul(k[at]))), a, aAt, i, m);
        store(cv.fma(broadcast(k[at + 5]), bv.fma(broadcast(k[at + 4]), av.mul(k[at + 3]))), c, cAt, i, m);
    }

    /** {@code ||alpha a + beta b||^2}, each element formed as in {@link #combine} before it is squared. */
    public static float squaredNorm(float alpha, MemorySegment a, long aAt, float beta, MemorySegment b, long bAt, int n) {
        FloatVector betas = FloatVector.broadcast(S, beta);
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (; i <= n - L; i += stride) {
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
    public static void combine(float alpha, MemorySegment a, long aAt, float beta, MemorySegment b, long bAt,
            MemorySegment out, long outAt, int n) {
        FloatVector betas = FloatVector.broadcast(S, beta);
        int i = 0;
        for (; i <= n - L; i += stride) {
            store(load(b, bAt, i).fma(betas, load(a, aAt, i).mul(alpha)), out, outAt, i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            store(load(b, bAt, i, m).fma(betas, load(a, aAt, i, m).mul(alpha)), out, outAt, i, m);
        }
    }

    /**
     * Two combinations of three rows in one sweep, in place: {@code a = k[0] a + k[1] b + k[2] c} and
     * {@code c = k[3] a + k[4] b + k[5] c}, from the rows as they were; {@code c} may be {@code b}.
     */
    public static void combine(float[] k, MemorySegment a, long aAt, MemorySegment b, long bAt, MemorySegment c, long cAt,
            int n) {
        combineRows(k, ONE_ROW, a, aAt, 0, b, bAt, 0, c, cAt, 0, n, 1);
    }

    /** {@code out = alpha a}. */
    public static void scale(float alpha, MemorySegment a, long aAt, MemorySegment out, long outAt, int n) {
        int i = 0;
        for (; i <= n - L; i += stride) {
            store(load(a, aAt, i).mul(alpha), out, outAt, i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            store(load(a, aAt, i, m).mul(alpha), out, outAt, i, m);
        }
    }
}
