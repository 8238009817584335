package dev.gnc.metrics;

import dev.gnc.blas.OpenBlas;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** LAPACKE's divide-and-conquer {@code dsyevd} through the OpenBLAS binding. */
final class LapackeEigensolver implements SymmetricEigensolver {
    private final OpenBlas blas;

    LapackeEigensolver(OpenBlas blas) {
        if (!blas.hasLapacke()) {
            throw new IllegalArgumentException(blas + " does not export LAPACKE");
        }
        this.blas = blas;
    }

    @Override
    public EigenDecomposition decompose(double[] a, int n) {
        SymmetricInput.check(a, n);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment matrix = arena.allocateFrom(ValueLayout.JAVA_DOUBLE, a); // overwritten by V
            MemorySegment values = arena.allocate(ValueLayout.JAVA_DOUBLE, n);
            int info = blas.LAPACKE_dsyevd(OpenBlas.LAPACK_ROW_MAJOR, (byte) 'V', (byte) 'U', n, matrix, n, values);
            if (info != 0) {
                // info > 0: an eigenvalue failed to converge; < 0: an argument was rejected (a bug here)
                throw new IllegalStateException("LAPACKE_dsyevd failed with info = " + info + " on a " + n + " x " + n
                        + " matrix");
            }
            return new EigenDecomposition(n, values.toArray(ValueLayout.JAVA_DOUBLE),
                    matrix.toArray(ValueLayout.JAVA_DOUBLE));
        }
    }

    @Override
    public String name() {
        return "lapacke-dsyevd";
    }

    @Override
    public String toString() {
        return name();
    }
}
