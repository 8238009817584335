package dev.gnc.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gnc.blas.OpenBlas;
import dev.gnc.gemm.Backend;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Both eigensolvers against the definition (A V = V diag(lambda), V orthogonal, ascending) and
 * against each other. Tolerances are relative to max|lambda|: 1e-13 n, a few hundred float64 ulps.
 */
class SymmetricEigensolverTest {
    private static final int[] ORDERS = {1, 2, 3, 5, 13, 32, 64};

    private static List<SymmetricEigensolver> solvers() {
        List<SymmetricEigensolver> solvers = new ArrayList<>();
        solvers.add(new JacobiEigensolver());
        lapacke().ifPresent(blas -> solvers.add(new LapackeEigensolver(blas)));
        return solvers;
    }

    private static java.util.Optional<OpenBlas> lapacke() {
        return Backend.get().openBlas().filter(OpenBlas::hasLapacke);
    }

    @Test
    void preferredIsLapackeWhenTheBackendHasIt() {
        String expected = lapacke().isPresent() ? "lapacke-dsyevd" : "jacobi";
        assertEquals(expected, SymmetricEigensolver.preferred().name());
    }

    @Test
    void randomMatricesAreDecomposed() {
        SplittableRandom random = new SplittableRandom(11);
        for (int n : ORDERS) {
            double[] a = randomSymmetric(n, random);
            for (SymmetricEigensolver solver : solvers()) {
                assertDecomposes(a, n, solver.decompose(a, n), solver + " n = " + n);
            }
        }
    }

    @Test
    void theTwoSolversAgreeOnEigenvalues() {
        assumeTrue(lapacke().isPresent(), "no LAPACKE in this OpenBLAS");
        SymmetricEigensolver jacobi = new JacobiEigensolver(), lapack = new LapackeEigensolver(lapacke().get());
        SplittableRandom random = new SplittableRandom(12);
        for (int n : ORDERS) {
            double[] a = randomSymmetric(n, random);
            double[] expected = lapack.decompose(a, n).values();
            double[] actual = jacobi.decompose(a, n).values();
            assertArrayEquals(expected, actual, 1e-13 * n * maxAbs(expected), "n = " + n);
        }
    }

    @Test
    void knownSmallCases() {
        for (SymmetricEigensolver solver : solvers()) {
            EigenDecomposition one = solver.decompose(new double[] {-2.5}, 1);
            assertEquals(-2.5, one.value(0), solver.name());
            assertEquals(1, Math.abs(one.vector(0)[0]), solver.name());

            EigenDecomposition two = solver.decompose(new double[] {2, 1, 1, 2}, 2);
            assertArrayEquals(new double[] {1, 3}, two.values(), 1e-15, solver.name());
            double[] v = two.vector(1); // (1, 1) / sqrt 2 up to sign
            assertEquals(0, v[0] - v[1], 1e-15, solver.name());

            EigenDecomposition diagonal = solver.decompose(new double[] {3, 0, 0, 0, -1, 0, 0, 0, 2}, 3);
            assertArrayEquals(new double[] {-1, 2, 3}, diagonal.values(), solver.name());

            EigenDecomposition zero = solver.decompose(new double[9], 3);
            assertArrayEquals(new double[3], zero.values(), solver.name());
            assertOrthonormal(zero, 3, solver.name());
        }
    }

    @Test
    void repeatedEigenvalues() {
        SplittableRandom random = new SplittableRandom(13);
        double[] spectrum = {-2, 1, 1, 3, 3, 3, 3};
        int n = spectrum.length;
        double[] a = withSpectrum(spectrum, random);
        for (SymmetricEigensolver solver : solvers()) {
            EigenDecomposition e = solver.decompose(a, n);
            assertArrayEquals(spectrum, e.values(), 1e-14 * n * 3, solver.name());
            assertDecomposes(a, n, e, solver.name());
        }
    }

    @Test
    void rankDeficientMatrices() {
        SplittableRandom random = new SplittableRandom(14);
        for (int[] shape : new int[][] {{2, 1}, {5, 1}, {13, 4}, {32, 9}}) {
            int n = shape[0], rank = shape[1];
            double[] a = gram(n, rank, random); // B B^T, B n x rank
            for (SymmetricEigensolver solver : solvers()) {
                EigenDecomposition e = solver.decompose(a, n);
                double max = maxAbs(e.values());
                for (int j = 0; j < n - rank; j++) {
                    assertEquals(0, e.value(j), 1e-14 * n * max, solver + " zero eigenvalue " + j + ", n = " + n);
                }
                for (int j = n - rank; j < n; j++) {
                    assertTrue(e.value(j) > 1e-6 * max, solver + " eigenvalue " + j + " is one of the rank");
                }
                assertDecomposes(a, n, e, solver + " n = " + n + ", rank " + rank);
            }
        }
    }

    @Test
    void onlyTheUpperTriangleIsRead() {
        SplittableRandom random = new SplittableRandom(15);
        int n = 6;
        double[] a = randomSymmetric(n, random);
        double[] garbled = a.clone();
        for (int p = 1; p < n; p++) {
            for (int q = 0; q < p; q++) {
                garbled[p * n + q] = 1e3 * random.nextDouble();
            }
        }
        for (SymmetricEigensolver solver : solvers()) {
            double[] before = garbled.clone();
            assertArrayEquals(solver.decompose(a, n).values(), solver.decompose(garbled, n).values(), solver.name());
            assertArrayEquals(before, garbled, solver + " leaves its input as it was");
        }
    }

    @Test
    void invalidInputsAreRejected() {
        for (SymmetricEigensolver solver : solvers()) {
            var nan = assertThrows(IllegalArgumentException.class,
                    () -> solver.decompose(new double[] {1, Double.NaN, 0, 1}, 2));
            assertTrue(nan.getMessage().contains("(0, 1)"), nan.getMessage());
            var length = assertThrows(IllegalArgumentException.class, () -> solver.decompose(new double[5], 2));
            assertTrue(length.getMessage().contains("got 5"), length.getMessage());
            assertThrows(IllegalArgumentException.class, () -> solver.decompose(new double[0], 0));
        }
    }

    /** A V = V diag(lambda) entrywise, V^T V = I, lambda ascending, A = V diag(lambda) V^T. */
    static void assertDecomposes(double[] a, int n, EigenDecomposition e, String what) {
        double[] lambda = e.values();
        double scale = Math.max(maxAbs(lambda), Double.MIN_NORMAL);
        for (int j = 1; j < n; j++) {
            assertTrue(lambda[j - 1] <= lambda[j], what + ": eigenvalues ascend");
        }
        assertOrthonormal(e, n, what);
        double[][] v = new double[n][];
        for (int j = 0; j < n; j++) {
            v[j] = e.vector(j);
        }
        for (int p = 0; p < n; p++) {
            for (int q = 0; q < n; q++) {
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    sum += v[j][p] * lambda[j] * v[j][q];
                }
                double symmetric = p <= q ? a[p * n + q] : a[q * n + p];
                assertEquals(symmetric, sum, 1e-13 * n * scale, what + ": reconstruction (" + p + ", " + q + ")");
            }
        }
    }

    static void assertOrthonormal(EigenDecomposition e, int n, String what) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double dot = 0;
                double[] vi = e.vector(i), vj = e.vector(j);
                for (int p = 0; p < n; p++) {
                    dot += vi[p] * vj[p];
                }
                assertEquals(i == j ? 1 : 0, dot, 1e-13 * n, what + ": V^T V (" + i + ", " + j + ")");
            }
        }
    }

    static double[] randomSymmetric(int n, SplittableRandom random) {
        double[] a = new double[n * n];
        for (int p = 0; p < n; p++) {
            for (int q = p; q < n; q++) {
                a[p * n + q] = a[q * n + p] = random.nextDouble(-1, 1);
            }
        }
        return a;
    }

    /** B B^T for a random n x rank B: positive semi-definite of exactly that rank (almost surely). */
    static double[] gram(int n, int rank, SplittableRandom random) {
        double[] b = new double[n * rank];
        for (int i = 0; i < b.length; i++) {
            b[i] = random.nextDouble(-1, 1);
        }
        double[] a = new double[n * n];
        for (int p = 0; p < n; p++) {
            for (int q = 0; q < n; q++) {
                for (int r = 0; r < rank; r++) {
                    a[p * n + q] += b[p * rank + r] * b[q * rank + r];
                }
            }
        }
        return a;
    }

    /** Q diag(spectrum) Q^T with Q orthogonal: Gram-Schmidt on random vectors. */
    static double[] withSpectrum(double[] spectrum, SplittableRandom random) {
        int n = spectrum.length;
        double[][] q = new double[n][];
        for (int j = 0; j < n; j++) {
            double[] v = random.doubles(n, -1, 1).toArray();
            for (int pass = 0; pass < 2; pass++) { // twice is enough (Kahan)
                for (int i = 0; i < j; i++) {
                    double dot = 0;
                    for (int p = 0; p < n; p++) {
                        dot += v[p] * q[i][p];
                    }
                    for (int p = 0; p < n; p++) {
                        v[p] -= dot * q[i][p];
                    }
                }
            }
            double norm = 0;
            for (double x : v) {
                norm += x * x;
            }
            for (int p = 0; p < n; p++) {
                v[p] /= Math.sqrt(norm);
            }
            q[j] = v;
        }
        double[] a = new double[n * n];
        for (int p = 0; p < n; p++) {
            for (int r = 0; r < n; r++) {
                for (int j = 0; j < n; j++) {
                    a[p * n + r] += q[j][p] * spectrum[j] * q[j][r];
                }
            }
        }
        return a;
    }

    static double maxAbs(double[] x) {
        double max = 0;
        for (double v : x) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }
}
