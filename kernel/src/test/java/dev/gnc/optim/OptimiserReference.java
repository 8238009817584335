package dev.gnc.optim;

import static dev.gnc.sphere.SphereReference.combine;
import static dev.gnc.sphere.SphereReference.dot;
import static dev.gnc.sphere.SphereReference.norm;
import static dev.gnc.sphere.SphereReference.normalise;
import static dev.gnc.sphere.SphereReference.proj;

import dev.gnc.sphere.SphereReference;

/**
 * The float64 oracle for one optimiser step on one row of the oblique manifold, with the formulas
 * {@link RiemannianSgd} and {@link RiemannianAdam} document. Arrays are updated in place.
 */
public final class OptimiserReference {
    private OptimiserReference() {
    }

    /** {@code R_x(t u)}: the exponential map or the normalising retraction; {@code x} for a zero step. */
    public static double[] retract(boolean exponential, double[] x, double[] u, double t) {
        if (t * norm(u) == 0) {
            return x.clone();
        }
        return exponential ? SphereReference.expmap(x, u, t) : SphereReference.retrNormalising(x, u, t);
    }

    /** One Riemannian SGD step; {@code m} null for plain SGD. */
    public static void sgd(boolean exponential, double[] x, double[] g, double[] m, double beta, boolean nesterov,
            double lr, boolean stabilize) {
        double[] r = proj(x, g);
        double[] direction = r;
        if (m != null) {
            System.arraycopy(combine(beta, m, 1, r), 0, m, 0, m.length);
            direction = nesterov ? combine(1, r, beta, m) : m;
        }
        finish(exponential, x, direction, -lr, m, stabilize);
    }

    /** One Riemannian Adam step, the {@code n}-th; {@code v} holds the row's second moment. */
    public static void adam(boolean exponential, double[] x, double[] g, double[] m, double[] v, double beta1,
            double beta2, double eps, long n, double lr, boolean stabilize) {
        double[] r = proj(x, g);
        System.arraycopy(combine(beta1, m, 1 - beta1, r), 0, m, 0, m.length);
        v[0] = beta2 * v[0] + (1 - beta2) * dot(r, r);
        double t = -lr / (1 - Math.pow(beta1, n)) / (Math.sqrt(v[0] / (1 - Math.pow(beta2, n))) + eps);
        finish(exponential, x, m, t, m, stabilize);
    }

    /** {@code x = R_x(t u)}, {@code m = proj_x(m)}, then geoopt's stabilize when asked. */
    private static void finish(boolean exponential, double[] x, double[] u, double t, double[] m, boolean stabilize) {
        System.arraycopy(retract(exponential, x, u, t), 0, x, 0, x.length);
        if (stabilize) {
            System.arraycopy(normalise(x), 0, x, 0, x.length);
        }
        if (m != null) {
            System.arraycopy(proj(x, m), 0, m, 0, m.length);
        }
    }
}
