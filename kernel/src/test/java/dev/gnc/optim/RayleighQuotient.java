package dev.gnc.optim;

import dev.gnc.core.FloatMatrix;
import dev.gnc.sphere.SphereReference;
import dev.gnc.sphere.SphereTestData;

/**
 * {@code f(X) = sum_i x_i^T A x_i / x_i^T x_i} on the oblique manifold, with
 * {@code A = H diag(1, 2, ..., d) H} for the Householder reflection {@code H = I - 2 w w^T}: every
 * row's minimiser is the eigenvector {@code H e_0 = e_0 - 2 w_0 w} (up to sign), with eigenvalue
 * 1, the next eigenvalue being 2. On the sphere this is {@code sum_i x_i^T A x_i}; dividing by
 * the squared norm makes the value blind to the float32 rounding of the norm (about 1e-7), which
 * would otherwise drown the last digits a line search compares. Values and gradients
 * ({@code 2 (A x - f x) / x^T x}) in float64 on heap copies of the rows.
 */
final class RayleighQuotient implements Objective {
    private final int d;
    private final double[][] a;
    private final double[] minimiser;

    /** For a unit {@code w} of d values. */
    RayleighQuotient(double[] w) {
        this.d = w.length;
        double[][] h = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                h[i][j] = (i == j ? 1 : 0) - 2 * w[i] * w[j];
            }
        }
        this.a = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                for (int p = 0; p < d; p++) {
                    a[i][j] += h[i][p] * (p + 1) * h[p][j];
                }
            }
        }
        this.minimiser = h[0].clone(); // H is symmetric: H e_0 is its first row
    }

    double smallestEigenvalue() {
        return 1;
    }

    /** {@code x_i^T A x_i / x_i^T x_i}. */
    double rowValue(FloatMatrix x, long i) {
        double[] xi = SphereTestData.row(x, i);
        return SphereReference.dot(xi, times(xi)) / SphereReference.dot(xi, xi);
    }

    @Override
    public double value(FloatMatrix x) {
        double sum = 0;
        for (long i = 0; i < x.rows(); i++) {
            sum += rowValue(x, i);
        }
        return sum;
    }

    @Override
    public double valueAndGradient(FloatMatrix x, FloatMatrix euclideanGradient) {
        double sum = 0;
        for (long i = 0; i < x.rows(); i++) {
            double[] xi = SphereTestData.row(x, i), ax = times(xi);
            double squared = SphereReference.dot(xi, xi), quotient = SphereReference.dot(xi, ax) / squared;
            SphereTestData.set(euclideanGradient, i, SphereReference.combine(2 / squared, ax, -2 * quotient / squared,
                    xi));
            sum += quotient;
        }
        return sum;
    }

    /** {@code |cos(x_i, v)|} for the minimiser v: 1 at the minimum. */
    double alignment(FloatMatrix x, long i) {
        double[] xi = SphereTestData.row(x, i);
        return Math.abs(SphereReference.dot(xi, minimiser)) / SphereReference.norm(xi);
    }

    private double[] times(double[] x) {
        double[] out = new double[d];
        for (int i = 0; i < d; i++) {
            out[i] = SphereReference.dot(a[i], x);
        }
        return out;
    }
}
