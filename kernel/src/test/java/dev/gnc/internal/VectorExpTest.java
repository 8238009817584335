package dev.gnc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

class VectorExpTest {
    private static float[] exp(float... x) {
        float[] out = new float[x.length];
        int l = Simd.FLOATS.length();
        for (int i = 0; i < x.length; i += l) {
            float[] chunk = new float[l];
            System.arraycopy(x, i, chunk, 0, Math.min(l, x.length - i));
            VectorExp.exp(FloatVector.fromArray(Simd.FLOATS, chunk, 0)).intoArray(chunk, 0);
            System.arraycopy(chunk, 0, out, i, Math.min(l, x.length - i));
        }
        return out;
    }

    @Test
    void relativeErrorWithinThreeTenthsOfAMillionthOverTheNormalRange() {
        int count = 200_000;
        float[] x = new float[count];
        for (int i = 0; i < count; i++) {
            x[i] = (float) (-87.3 + (87.3 + 88.37) * i / (count - 1.0));
        }
        float[] e = exp(x);
        double worst = 0;
        for (int i = 0; i < count; i++) {
            double exact = Math.exp(x[i]);
            worst = Math.max(worst, Math.abs(e[i] - exact) / exact);
        }
        assertTrue(worst < 3e-7, "worst relative error " + worst);
    }

    @Test
    void edgesUnderflowToZeroOverflowToInfinityAndKeepExactPoints() {
        float[] e = exp(Float.NEGATIVE_INFINITY, -1000f, -87.5f, 0f, -0f, 1f, Float.NaN,
                88.5f, 1000f, Float.POSITIVE_INFINITY, -87.33f, 88.37f);
        assertEquals(0f, e[0]);
        assertEquals(0f, e[1]);
        assertEquals(0f, e[2]);
        assertEquals(1f, e[3]);
        assertEquals(1f, e[4]);
        assertEquals((float) Math.E, e[5], 2e-7f * Math.E);
        assertTrue(Float.isNaN(e[6]), "NaN propagates");
        assertEquals(Float.POSITIVE_INFINITY, e[7]);
        assertEquals(Float.POSITIVE_INFINITY, e[8]);
        assertEquals(Float.POSITIVE_INFINITY, e[9]);
        assertEquals(Math.exp(-87.33f), e[10], 3e-7 * Math.exp(-87.33f), "last normal result");
        assertEquals(Math.exp(88.37f), e[11], 3e-7 * Math.exp(88.37f), "largest finite input");
    }
}
