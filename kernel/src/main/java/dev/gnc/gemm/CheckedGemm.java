package dev.gnc.gemm;

import dev.gnc.core.FloatMatrix;
import java.lang.foreign.MemorySegment;

/**
 * Validates shapes once at the edge, then hands trusted arguments to {@link #kernel}. Backends
 * extend this class, so no kernel checks its inputs in an inner loop.
 */
abstract class CheckedGemm implements Gemm {

    @Override
    public final void multiply(GemmShape shape, float alpha, FloatMatrix a, FloatMatrix b, float beta, FloatMatrix c) {
        long m = shape.m(a);
        long k = shape.k(a);
        long n = shape.n(b);
        if (shape.kOfB(b) != k || c.rows() != m || c.cols() != n) {
            throw new IllegalArgumentException("shape mismatch for C = " + shape.formula() + ": A is " + a.rows()
                    + " x " + a.cols() + ", B is " + b.rows() + " x " + b.cols() + ", C is " + c.rows() + " x "
                    + c.cols());
        }
        if (m > Integer.MAX_VALUE || n > Integer.MAX_VALUE || k > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("GEMM blocks are limited to 2^31 - 1 per dimension, got m = " + m
                    + ", n = " + n + ", k = " + k);
        }
        if (!Float.isFinite(alpha) || !Float.isFinite(beta)) {
            throw new IllegalArgumentException("alpha and beta must be finite, got alpha = " + alpha + ", beta = "
                    + beta);
        }
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            scale(c, beta); // an empty sum; BLAS would also reject the zero leading dimensions
            return;
        }
        kernel(shape, (int) m, (int) n, (int) k, alpha, a.segment(), a.ld(), b.segment(), b.ld(), beta,
                c.segment(), c.ld());
    }

    private static void scale(FloatMatrix c, float beta) {
        if (beta == 0f) {
            c.fill(0f);
            return;
        }
        for (long i = 0; i < c.rows(); i++) {
            for (int j = 0; j < c.cols(); j++) {
                c.set(i, j, beta * c.get(i, j));
            }
        }
    }

    /**
     * The product on trusted arguments: {@code m, n, k >= 1}, leading dimensions in
     * floats, each segment starting at element (0, 0) of its matrix.
     */
    protected abstract void kernel(GemmShape shape, int m, int n, int k, float alpha, MemorySegment a, int lda,
            MemorySegment b, int ldb, float beta, MemorySegment c, int ldc);
}
