package dev.gnc.gemm;

import dev.gnc.core.FloatMatrix;

/**
 * The three products the cross-entropy kernel needs, on row-major operands. In each, C is
 * {@code m x n} and {@code k} is the summed dimension.
 */
public enum GemmShape {
    /** C = alpha A B^T + beta C; A is m x k, B is n x k (logits: features times classifier rows). */
    A_BT,
    /** C = alpha A^T B + beta C; A is k x m, B is k x n (classifier gradient: dZ^T H). */
    AT_B,
    /** C = alpha A B + beta C; A is m x k, B is k x n (feature gradient: dZ W). */
    A_B;

    /** Rows of C. */
    long m(FloatMatrix a) {
        return this == AT_B ? a.cols() : a.rows();
    }

    /** The summed dimension. */
    long k(FloatMatrix a) {
        return this == AT_B ? a.rows() : a.cols();
    }

    /** Columns of C. */
    long n(FloatMatrix b) {
        return this == A_BT ? b.rows() : b.cols();
    }

    /** The summed dimension as B sees it. */
    long kOfB(FloatMatrix b) {
        return this == A_BT ? b.cols() : b.rows();
    }

    /** How the product reads, for messages. */
    String formula() {
        return switch (this) {
            case A_BT -> "A * B^T";
            case AT_B -> "A^T * B";
            case A_B -> "A * B";
        };
    }
}
