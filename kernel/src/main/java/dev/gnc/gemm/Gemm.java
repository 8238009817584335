package dev.gnc.gemm;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.WorkPool;

/**
 * Single-precision matrix products on off-heap row-major matrices:
 * {@code C = alpha * op(A) * op(B) + beta * C} for the three {@link GemmShape}s.
 *
 * <p>As in BLAS, {@code beta == 0} overwrites C without reading it (NaN in C does not
 * propagate). One call runs on the calling thread; {@link ParallelGemm} splits a product over a
 * {@link WorkPool}. Implementations are stateless and safe to call from many threads at once.
 */
public interface Gemm {

    /** Computes {@code C = alpha * op(A) * op(B) + beta * C} for {@code shape}. */
    void multiply(GemmShape shape, float alpha, FloatMatrix a, FloatMatrix b, float beta, FloatMatrix c);

    /** C = alpha A B^T + beta C; A is m x k, B is n x k, C is m x n. */
    default void abt(float alpha, FloatMatrix a, FloatMatrix b, float beta, FloatMatrix c) {
        multiply(GemmShape.A_BT, alpha, a, b, beta, c);
    }

    /** C = alpha A^T B + beta C; A is k x m, B is k x n, C is m x n. */
    default void atb(float alpha, FloatMatrix a, FloatMatrix b, float beta, FloatMatrix c) {
        multiply(GemmShape.AT_B, alpha, a, b, beta, c);
    }

    /** C = alpha A B + beta C; A is m x k, B is k x n, C is m x n. */
    default void ab(float alpha, FloatMatrix a, FloatMatrix b, float beta, FloatMatrix c) {
        multiply(GemmShape.A_B, alpha, a, b, beta, c);
    }

    /** A short name for logs and reports, e.g. {@code openblas} or {@code vector}. */
    String name();
}
