package dev.gnc.metrics;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The cyclic Jacobi method in float64, in pure Java: sweeps of plane rotations, each zeroing one
 * off-diagonal pair, row by row, until the off-diagonal part is below {@code 2^-52 ||A||_F}. That
 * leaves eigenvalues accurate to about {@code 2^-52 ||A||_F}, as a backward-stable solver's are;
 * convergence is quadratic, typically 6 to 10 sweeps of {@code 4 n^3} flops each. Slower than
 * {@code dsyevd} for large n but with no native code, and simple enough to be a test oracle.
 */
final class JacobiEigensolver implements SymmetricEigensolver {
    private static final double EPS = Math.ulp(1.0); // 2^-52
    /** Far beyond what quadratic convergence needs; reaching it means a bug, reported as one. */
    private static final int MAX_SWEEPS = 100;

    @Override
    public EigenDecomposition decompose(double[] upper, int n) {
        SymmetricInput.check(upper, n);
        double[] a = new double[n * n];
        for (int p = 0; p < n; p++) {
            for (int q = p; q < n; q++) {
                a[p * n + q] = upper[p * n + q];
                a[q * n + p] = upper[p * n + q];
            }
        }
        double[] v = new double[n * n];
        for (int p = 0; p < n; p++) {
            v[p * n + p] = 1;
        }
        double target = EPS * frobenius(a);
        int sweeps = 0;
        while (offDiagonal(a, n) > target) {
            if (++sweeps > MAX_SWEEPS) {
                throw new IllegalStateException("Jacobi did not converge in " + MAX_SWEEPS + " sweeps on a " + n + " x "
                        + n + " matrix");
            }
            for (int p = 0; p < n - 1; p++) {
                for (int q = p + 1; q < n; q++) {
                    rotate(a, v, n, p, q);
                }
            }
        }
        return sorted(a, v, n);
    }

    /**
     * {@code A = J^T A J} and {@code V = V J} for the rotation J in the (p, q) plane that zeroes
     * {@code a_pq} (Golub and Van Loan, Algorithm 8.5.1): the smaller of the two angles, so
     * that the rotation stays close to the identity.
     */
    private static void rotate(double[] a, double[] v, int n, int p, int q) {
        double apq = a[p * n + q];
        if (apq == 0) {
            return;
        }
        double theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
        // t = tan of the angle; for huge theta, theta^2 would overflow and t ~ 1 / (2 theta)
        double t = Math.abs(theta) > 1e150
                ? 0.5 / theta
                : Math.copySign(1, theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        double c = 1 / Math.sqrt(t * t + 1);
        double s = t * c;
        for (int r = 0; r < n; r++) { // columns p and q: A J
            double arp = a[r * n + p], arq = a[r * n + q];
            a[r * n + p] = c * arp - s * arq;
            a[r * n + q] = s * arp + c * arq;
        }
        for (int r = 0; r < n; r++) { // rows p and q: J^T (A J)
            double apr = a[p * n + r], aqr = a[q * n + r];
            a[p * n + r] = c * apr - s * aqr;
            a[q * n + r] = s * apr + c * aqr;
        }
        a[p * n + q] = 0; // zero by construction; rounding would leave a trace
        a[q * n + p] = 0;
        for (int r = 0; r < n; r++) {
            double vrp = v[r * n + p], vrq = v[r * n + q];
            v[r * n + p] = c * vrp - s * vrq;
            v[r * n + q] = s * vrp + c * vrq;
        }
    }

    private static double frobenius(double[] a) {
        double sum = 0;
        for (double x : a) {
            sum += x * x;
        }
        return Math.sqrt(sum);
    }

    private static double offDiagonal(double[] a, int n) {
        double sum = 0;
        for (int p = 0; p < n; p++) {
            for (int q = 0; q < n; q++) {
                if (p != q) {
                    sum += a[p * n + q] * a[p * n + q];
                }
            }
        }
        return Math.sqrt(sum);
    }

    /** The diagonal in ascending order, with V's columns permuted to match. */
    private static EigenDecomposition sorted(double[] a, double[] v, int n) {
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(j -> a[j * n + j]));
        double[] values = new double[n];
        double[] vectors = new double[n * n];
        for (int j = 0; j < n; j++) {
            int from = order[j];
            values[j] = a[from * n + from];
            for (int r = 0; r < n; r++) {
                vectors[r * n + j] = v[r * n + from];
            }
        }
        return new EigenDecomposition(n, values, vectors);
    }

    @Override
    public String name() {
        return "jacobi";
    }

    @Override
    public String toString() {
        return name();
    }
}
