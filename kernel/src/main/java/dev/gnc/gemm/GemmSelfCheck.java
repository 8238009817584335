package dev.gnc.gemm;

import dev.gnc.core.FloatMatrix;
import java.lang.foreign.Arena;
import java.util.SplittableRandom;

/**
 * A quick end-to-end check of a {@link Gemm} on this machine, by Freivalds' method: for a random
 * vector x, {@code C x} must equal {@code op(A) (op(B) x)}, both sides summed in double. It costs
 * O(mn + mk + nk) beyond the product and needs no second GEMM to trust.
 */
public final class GemmSelfCheck {
    /** Largest relative error accepted: a few float32 roundings of a length-k dot product. */
    static final double TOLERANCE = 1e-4;

    private GemmSelfCheck() {
    }

    /** What the check found for one shape. */
    public record Result(GemmShape shape, int m, int n, int k, double relativeError) {
        public boolean passed() {
            return relativeError <= TOLERANCE;
        }
    }

    /** Checks {@code gemm} on an odd-sized {@code m x n x k} product of {@code shape}. */
    public static Result check(Gemm gemm, GemmShape shape, int m, int n, int k, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        try (Arena arena = Arena.ofShared()) { // the gemm may be a ParallelGemm
            FloatMatrix a = random(arena, shape == GemmShape.AT_B ? k : m, shape == GemmShape.AT_B ? m : k, random);
            FloatMatrix b = random(arena, shape == GemmShape.A_BT ? n : k, shape == GemmShape.A_BT ? k : n, random);
            FloatMatrix c = FloatMatrix.allocate(arena, m, n);
            gemm.multiply(shape, 1f, a, b, 0f, c);

            double[] x = random.doubles(n, -1, 1).toArray();
            double[] bx = new double[k]; // op(B) x
            for (int p = 0; p < k; p++) {
                for (int j = 0; j < n; j++) {
                    bx[p] += (shape == GemmShape.A_BT ? b.get(j, p) : b.get(p, j)) * x[j];
                }
            }
            double worst = 0;
            double scale = 0;
            for (int i = 0; i < m; i++) {
                double cx = 0;
                double abx = 0;
                for (int j = 0; j < n; j++) {
                    cx += c.get(i, j) * x[j];
                }
                for (int p = 0; p < k; p++) {
                    abx += (shape == GemmShape.AT_B ? a.get(p, i) : a.get(i, p)) * bx[p];
                }
                worst = Math.max(worst, Math.abs(cx - abx));
                scale = Math.max(scale, Math.abs(abx));
            }
            return new Result(shape, m, n, k, worst / Math.max(scale, 1e-30));
        }
    }

    private static FloatMatrix random(Arena arena, int rows, int cols, SplittableRandom random) {
        FloatMatrix matrix = FloatMatrix.allocate(arena, rows, cols);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                matrix.set(i, j, (float) random.nextDouble(-1, 1));
            }
        }
        return matrix;
    }
}
