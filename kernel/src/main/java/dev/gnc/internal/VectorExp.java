package dev.gnc.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * exp on float vectors, inlined: Cody-Waite range reduction {@code x = n ln2 + r} with
 * {@code |r| <= ln2 / 2}, the degree-6 Taylor polynomial for {@code e^r} in Estrin's form (relative
 * error below 3e-7, about 2.5 ulp), and {@code 2^n} added to the exponent bits. {@code lanewise(EXP)}
 * is an out-of-line call on JDK 25 and a barrier after which the loop reloads its registers.
 * Inputs below -87.33 (including -inf) give 0, inputs above 88.37 (where {@code 2^n} leaves the
 * float range; e^x itself overflows at 88.72) give +inf, NaN gives NaN.
 *
 * <p>Out-of-range lanes are replaced in the result, not clamped in the input:
 * {@code FloatVector.max/min} keep {@code Math.max}'s rules for NaN and signed zeros, which C2
 * compiles to several instructions each, and at the head of the chain they made the fused
 * cross-entropy's forward pass at K = 10^6, d = 64 take 481 ms instead of 400 (JMH, 2 threads;
 * docs/BENCHMARKS.md). Estrin's form, with its shorter chain, is about 2% faster than Horner's
 * there at d = 16, where the exponential weighs most.
 */
public final class VectorExp {
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f; // few bits, so n * LN2_HI is exact
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float ROUND = 12582912f; // 1.5 * 2^23: adding it rounds to an integer
    private static final float UNDERFLOW = -87.33654f; // below this e^x is not a normal float
    private static final float OVERFLOW = 88.37626f;   // 127.5 ln2: above this n = 128 and 2^n is not a float
    private static final float C2 = 1 / 2f;
    private static final float C3 = 1 / 6f;
    private static final float C4 = 1 / 24f;
    private static final float C5 = 1 / 120f;
    private static final float C6 = 1 / 720f;

    private VectorExp() {
    }

    public static FloatVector exp(FloatVector x) {
        FloatVector shifted = x.fma(LOG2E, ROUND); // n sits in the low mantissa bits
        FloatVector n = shifted.sub(ROUND);
        FloatVector r = n.fma(n.broadcast(-LN2_LO), n.fma(n.broadcast(-LN2_HI), x));
        FloatVector r2 = r.mul(r);
        FloatVector low = r.add(1f);                                   // 1 + r
        FloatVector middle = r.fma(C3, C2);                            // 1/2 + r/6
        FloatVector high = r.fma(C6, C5).fma(r, r.broadcast(C4));      // 1/24 + r/120 + r^2/720
        FloatVector p = high.fma(r2, middle).fma(r2, low);
        IntVector scale = shifted.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23); // 2^n, up to a carry out
        FloatVector e = p.reinterpretAsInts().add(scale).reinterpretAsFloats();
        return e.blend(0f, x.compare(VectorOperators.LT, UNDERFLOW))
                .blend(Float.POSITIVE_INFINITY, x.compare(VectorOperators.GT, OVERFLOW));
    }
}
