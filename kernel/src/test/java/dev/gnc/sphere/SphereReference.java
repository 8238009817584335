package dev.gnc.sphere;

/**
 * The float64 scalar oracle for the sphere kernels: plain loops over one row at a time, on
 * {@code double[]} copies of the float32 inputs, with the formulas the kernels document.
 */
public final class SphereReference {
    private SphereReference() {
    }

    public static double dot(double[] a, double[] b) {
        double sum = 0;
        for (int j = 0; j < a.length; j++) {
            sum += a[j] * b[j];
        }
        return sum;
    }

    public static double norm(double[] a) {
        return Math.sqrt(dot(a, a));
    }

    /** {@code alpha a + beta b}. */
    public static double[] combine(double alpha, double[] a, double beta, double[] b) {
        double[] out = new double[a.length];
        for (int j = 0; j < a.length; j++) {
            out[j] = alpha * a[j] + beta * b[j];
        }
        return out;
    }

    /** {@code u - <u, x> x}. */
    public static double[] proj(double[] x, double[] u) {
        return combine(1, u, -dot(u, x), x);
    }

    /** {@code x / ||x||}. */
    public static double[] normalise(double[] x) {
        return combine(1 / norm(x), x, 0, x);
    }

    /** {@code (x + t u) / ||x + t u||}. */
    public static double[] retrNormalising(double[] x, double[] u, double t) {
        return normalise(combine(1, x, t, u));
    }

    /** {@code cos(|t| ||u||) x + sin(|t| ||u||) sign(t) u / ||u||}, and {@code x} for a zero step. */
    public static double[] expmap(double[] x, double[] u, double t) {
        double angle = Math.abs(t) * norm(u);
        return angle == 0 ? x.clone() : combine(Math.cos(angle), x, Math.signum(t) * Math.sin(angle) / norm(u), u);
    }

    /** {@code 2 asin(||x - y|| / 2)}, the chord clamped at 2. */
    public static double dist(double[] x, double[] y) {
        return 2 * Math.asin(Math.min(1, norm(combine(1, x, -1, y)) / 2));
    }

    /** {@code | ||x|| - 1 |}. */
    public static double deviation(double[] x) {
        return Math.abs(norm(x) - 1);
    }
}
