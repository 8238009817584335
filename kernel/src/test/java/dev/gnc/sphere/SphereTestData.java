package dev.gnc.sphere;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.RandomMatrices;
import java.lang.foreign.Arena;
import java.util.SplittableRandom;

/** Random row blocks for the sphere tests, contiguous or as strided views into larger matrices. */
public final class SphereTestData {
    private SphereTestData() {
    }

    /**
     * A {@code k x d} matrix of N(0, 1) entries, or of unit rows when {@code unit}; when
     * {@code strided}, a block of a larger matrix so that {@code ld > cols} and the block does not
     * start at the parent's first element.
     */
    public static FloatMatrix random(Arena arena, long k, int d, boolean unit, boolean strided, SplittableRandom random) {
        FloatMatrix m = strided ? FloatMatrix.allocate(arena, k + 3, d + 5).block(2, 3, k, d)
                : FloatMatrix.allocate(arena, k, d);
        double[] row = new double[d];
        for (long i = 0; i < k; i++) {
            if (unit) {
                RandomMatrices.unitVector(random, row);
            } else {
                for (int j = 0; j < d; j++) {
                    row[j] = random.nextGaussian();
                }
            }
            set(m, i, row);
        }
        return m;
    }

    /** Row i of m in float64. */
    public static double[] row(FloatMatrix m, long i) {
        double[] row = new double[m.cols()];
        for (int j = 0; j < row.length; j++) {
            row[j] = m.get(i, j);
        }
        return row;
    }

    /** Writes {@code values}, rounded to float32, to row i of m. */
    public static void set(FloatMatrix m, long i, double[] values) {
        for (int j = 0; j < values.length; j++) {
            m.set(i, j, (float) values[j]);
        }
    }

    /** The largest |m_ij - expected_j| over row i. */
    public static double maxError(FloatMatrix m, long i, double[] expected) {
        double worst = 0;
        for (int j = 0; j < expected.length; j++) {
            worst = Math.max(worst, Math.abs(m.get(i, j) - expected[j]));
        }
        return worst;
    }

    /** Elementwise equality of the bits of two matrices of one shape. */
    public static boolean bitwiseEqual(FloatMatrix a, FloatMatrix b) {
        for (long i = 0; i < a.rows(); i++) {
            for (int j = 0; j < a.cols(); j++) {
                if (Float.floatToRawIntBits(a.get(i, j)) != Float.floatToRawIntBits(b.get(i, j))) {
                    return false;
                }
            }
        }
        return true;
    }
}
