package dev.gnc.metrics;

import dev.gnc.blas.OpenBlas;
import dev.gnc.gemm.Backend;

/**
 * Eigenvalues and eigenvectors of a symmetric float64 matrix. {@link #preferred()} is the one
 * place that chooses the implementation; {@link #name()} says which it chose.
 */
public interface SymmetricEigensolver {

    /**
     * The decomposition of the symmetric {@code n x n} row-major matrix {@code a}, of which only
     * the upper triangle (entries {@code a[p n + q]}, {@code p <= q}) is read; {@code a} is not
     * modified. Eigenvalues are accurate to about {@code n * 2^-52 * max|lambda|}.
     *
     * @throws IllegalArgumentException when {@code n < 1}, {@code a.length != n * n} or an entry
     *                                  of the upper triangle is not finite, naming it
     */
    EigenDecomposition decompose(double[] a, int n);

    /** A short name for logs and reports: {@code lapacke-dsyevd} or {@code jacobi}. */
    String name();

    /**
     * LAPACKE's {@code dsyevd} when the backend is OpenBLAS and the library exports LAPACKE,
     * otherwise the pure-Java cyclic Jacobi method.
     */
    static SymmetricEigensolver preferred() {
        return Backend.get().openBlas().filter(OpenBlas::hasLapacke)
                .<SymmetricEigensolver>map(LapackeEigensolver::new)
                .orElseGet(JacobiEigensolver::new);
    }
}
