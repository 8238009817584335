package dev.gnc.metrics;

/** The checks every {@link SymmetricEigensolver} makes before any work. */
final class SymmetricInput {
    private SymmetricInput() {
    }

    static void check(double[] a, int n) {
        if (n < 1) {
            throw new IllegalArgumentException("the matrix order must be at least 1, got " + n);
        }
        if (a.length != (long) n * n) {
            throw new IllegalArgumentException("a " + n + " x " + n + " matrix needs " + (long) n * n
                    + " values, got " + a.length);
        }
        for (int p = 0; p < n; p++) {
            for (int q = p; q < n; q++) {
                if (!Double.isFinite(a[p * n + q])) {
                    throw new IllegalArgumentException("entry (" + p + ", " + q + ") is not finite: " + a[p * n + q]);
                }
            }
        }
    }
}
