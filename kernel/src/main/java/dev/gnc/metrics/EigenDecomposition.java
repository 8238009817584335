package dev.gnc.metrics;

/**
 * {@code A = V diag(lambda) V^T} for a symmetric {@code n x n} matrix A: eigenvalues in ascending
 * order and orthonormal eigenvectors, eigenvector j being column j of V.
 */
public final class EigenDecomposition {
    private final int n;
    private final double[] values;
    private final double[] vectors;

    /**
     * @param values  n eigenvalues, ascending
     * @param vectors V, {@code n x n} row-major, column j the eigenvector of {@code values[j]}
     */
    EigenDecomposition(int n, double[] values, double[] vectors) {
        this.n = n;
        this.values = values;
        this.vectors = vectors;
    }

    /** The order n of the matrix. */
    public int size() {
        return n;
    }

    /** Eigenvalue j, ascending in j. */
    public double value(int j) {
        return values[java.util.Objects.checkIndex(j, n)];
    }

    /** All n eigenvalues, ascending, as a new array. */
    public double[] values() {
        return values.clone();
    }

    /** Eigenvector j (column j of V) as a new array of n values. */
    public double[] vector(int j) {
        java.util.Objects.checkIndex(j, n);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = vectors[i * n + j];
        }
        return v;
    }
}
