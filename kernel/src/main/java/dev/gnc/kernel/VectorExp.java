package dev.gnc.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * exp on float vectors, inlined: Cody-Waite range reduction {@code x = n ln2 + r} with
 * {@code |r| <= ln2 / 2}, a degree-6 polynomial for {@code e^r} (relative error below 3e-7, about 2.5 ulp), and
 * {@code 2^n} added to the exponent bits. {@code lanewise(EXP)} is an out-of-line call on JDK 25,
 * four times slower in the epilogue and a barrier after which the loop reloads its registers.
 * Inputs below -87.33 (including -inf) give 0; inputs are clamped at 88.
 */
final class VectorExp {
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f; // few bits, so n * LN2_HI is exact
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float ROUND = 12582912f; // 1.5 * 2^23: adding it rounds to an integer
    private static final float UNDERFLOW = -87.33654f; // below this e^x is not a normal float
    private static final float C2 = 1 / 2f;
    private static final float C3 = 1 / 6f;
    private static final float C4 = 1 / 24f;
    private static final float C5 = 1 / 120f;
    private static final float C6 = 1 / 720f;

    private VectorExp() {
    }

    static FloatVector exp(FloatVector x) {
        FloatVector clamped = x.max(UNDERFLOW).min(88f);
        FloatVector shifted = clamped.fma(LOG2E, ROUND); // n sits in the low mantissa bits
        FloatVector n = shifted.sub(ROUND);
        FloatVector r = n.fma(n.broadcast(-LN2_HI), clamped).add(n.mul(-LN2_LO));
        FloatVector p = r.fma(C6, C5);
        p = p.fma(r, r.broadcast(C4));
        p = p.fma(r, r.broadcast(C3));
        p = p.fma(r, r.broadcast(C2));
        p = p.fma(r, r.broadcast(1f));
        p = p.fma(r, r.broadcast(1f));
        IntVector scale = shifted.reinterpretAsInts().lanewise(VectorOperators.LSHL, 23); // 2^n, up to a carry out
        FloatVector e = p.reinterpretAsInts().add(scale).reinterpretAsFloats();
        return e.blend(0f, x.compare(VectorOperators.LT, UNDERFLOW));
    }
}
