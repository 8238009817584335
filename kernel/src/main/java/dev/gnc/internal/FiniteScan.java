package dev.gnc.internal;

import dev.gnc.core.FloatMatrix;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Finds NaN and infinities in a matrix, one vector pass per row. */
public final class FiniteScan {
    private static final VectorSpecies<Float> S = Simd.FLOATS;
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private FiniteScan() {
    }

    /** The (row, column) of the first non-finite element in row-major order, or null when all are finite. */
    public static long[] firstNonFinite(FloatMatrix m) {
        MemorySegment s = m.segment();
        int n = m.cols();
        for (long r = 0; r < m.rows(); r++) {
            long at = m.byteOffset(r, 0);
            for (int i = 0; i < n; i += S.length()) {
                VectorMask<Float> in = S.indexInRange(i, n);
                VectorMask<Float> bad = FloatVector.fromMemorySegment(S, s, at + (long) i * Float.BYTES, ORDER, in)
                        .test(VectorOperators.IS_FINITE).not().and(in);
                if (bad.anyTrue()) {
                    return new long[] {r, i + bad.firstTrue()};
                }
            }
        }
        return null;
    }

    /** Throws naming {@code what} and the first non-finite element of {@code m}, if there is one. */
    public static void require(FloatMatrix m, String what) {
        long[] at = firstNonFinite(m);
        if (at != null) {
            throw new IllegalArgumentException(what + " has a non-finite value " + m.get(at[0], (int) at[1]) + " at ("
                    + at[0] + ", " + at[1] + ")");
        }
    }
}
