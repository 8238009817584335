package dev.gnc.sphere;

import dev.gnc.internal.RowVectors;
import java.lang.foreign.MemorySegment;

/**
 * How a unit sphere maps a tangent step back onto itself: the one thing that differs between the
 * oblique manifolds {@link Oblique#normalising} and {@link Oblique#exponential}.
 *
 * <p>Both give {@code R_x(t u) = cx x + cu u} with float64 coefficients computed from the inner
 * products {@code <x, x>, <x, u>, <u, u>}, so a retraction is two sweeps over a row in cache: one
 * gathers the inner products (in float64 lanes), one writes the new row. Both write
 * {@code out = x} exactly when {@code t ||u|| = 0} ({@code R_x(0) = x}, as in Manopt).
 */
enum SphereRetraction {
    /**
     * {@code (x + t u) / ||x + t u||}, taken as {@code (x / step + sign(t) u / ||u||)} when the step
     * {@code |t| ||u||} is longer than 1, so that no step overflows: an infinite step gives
     * {@code sign(t) u / ||u||}, its limit. The norm of {@code alpha x + beta u} is
     * {@code alpha^2 <x, x> + 2 alpha beta <x, u> + beta^2 <u, u>}; where those terms cancel (a step
     * u far from tangent, pointing back along x) it must be summed from the formed row instead. The
     * result is unit, and each element within a few units of 2^-24 of the float64 result, whatever
     * the step.
     */
    NORMALISATION {
        @Override
        boolean coefficients(double t, double xx, double xu, double uu, double[] into) {
            double alpha = 1, beta = t;
            if (t * t * uu > 1) { // off the common path: a square root less in the chain each row waits for
                double uNorm = Math.sqrt(uu);
                alpha = 1 / (Math.abs(t) * uNorm);
                beta = Math.copySign(1 / uNorm, t);
            }
            double ends = alpha * alpha * xx + beta * beta * uu;
            double squared = ends + 2 * alpha * beta * xu;
            boolean accurate = squared >= CANCELLATION * ends; // false for NaN too
            // 1 / sqrt(squared) as sqrt(squared) / squared: the root and the reciprocal run side by side
            double scale = accurate ? Math.sqrt(squared) * (1 / squared) : 1;
            into[0] = alpha * scale;
            into[1] = beta * scale;
            return accurate;
        }
    },

    /**
     * The exponential map {@code cos(a) x + t sinc(a) u} with {@code a = |t| ||u||} and
     * {@code sinc(a) = sin(a)/a}, which tends to exactly 1, so tiny steps give {@code x + t u} to
     * rounding (the form {@code sin(a) u/||u||} is 0/0 at {@code u = 0}); up to {@code a = 1} cos
     * and sinc are Taylor series, beyond it {@code Math.cos} and {@code Math.sin}. Each element is within a
     * few units of 2^-24 of the float64 closed form, times {@code 1 + a} as the angle carries the
     * rounding of {@code ||u||}; an angle beyond the double range gives NaN. The result is not
     * renormalised (geoopt's choice): on a unit {@code x} with a tangent {@code u} its norm is 1 to
     * rounding, which repeated steps accumulate; see the optimisers' {@code stabilize}.
     */
    EXPONENTIAL_MAP {
        @Override
        boolean coefficients(double t, double xx, double xu, double uu, double[] into) {
            double a = t * t * uu; // the angle squared, without a square root in the chain each row waits for
            if (a > 1) {
                double angle = Math.abs(t) * Math.sqrt(uu);
                into[0] = Math.cos(angle);
                into[1] = t * (Math.sin(angle) / angle);
                return true;
            }
            // Taylor series, within 1e-10 up to angle 1: Math.sin and Math.cos are out-of-line
            // calls that cost a step more than the rest of its arithmetic
            // in Estrin's form: three products deep rather than Horner's six
            double a2 = a * a, a4 = a2 * a2;
            into[0] = (1 + a * (-1 / 2.0) + a2 * (1 / 24.0 + a * (-1 / 720.0)))
                    + a4 * ((1 / 40320.0 + a * (-1 / 3628800.0)) + a2 * (1 / 479001600.0));
            into[1] = t * ((1 + a * (-1 / 6.0) + a2 * (1 / 120.0 + a * (-1 / 5040.0)))
                    + a4 * ((1 / 362880.0 + a * (-1 / 39916800.0)) + a2 * (1 / 6227020800.0)));
            return true;
        }
    };

    /**
     * A squared norm from inner products is trusted while it keeps this fraction of the size of its
     * terms: float64 sums of float32 products then keep it to far better than float32 precision.
     */
    static final double CANCELLATION = 0x1p-20;

    /**
     * Sets {@code into[0..1]} to {@code cx, cu} with {@code R_x(t u) = cx x + cu u}, from
     * {@code <x, x>, <x, u>, <u, u>}, for a step with {@code t ||u|| != 0}. Returns false when the
     * inner products cannot give them to float32 precision; {@code into} then holds
     * {@code alpha, beta} with {@code R_x(t u) = (alpha x + beta u) / ||alpha x + beta u||}, for the
     * caller to normalise the formed row.
     */
    abstract boolean coefficients(double t, double xx, double xu, double uu, double[] into);

    /**
     * Replaces x by {@code R_x(t u)}; then, unless {@code v} is null, replaces {@code v} by its
     * projection {@code v - <v, x'> x'} onto the tangent space at the new point {@code x'}.
     * {@code v} may be the row {@code u}.
     */
    final void retract(MemorySegment x, long xAt, MemorySegment u, long uAt, double t, MemorySegment v, long vAt,
            int d, RowScalars scalars) {
        gather(x, xAt, u, uAt, v, vAt, d, scalars);
        finish(x, xAt, u, uAt, t, v, vAt, x, xAt, d, scalars);
    }

    /** The first sweep of {@link #retract}: the inner products of x, u and v into {@code scalars}. */
    private static void gather(MemorySegment x, long xAt, MemorySegment u, long uAt, MemorySegment v, long vAt,
            int d, RowScalars scalars) {
        double[] gram = scalars.gram;
        if (v == null || (v == u && vAt == uAt)) {
            RowVectors.gram(x, xAt, u, uAt, d, gram);
            gram[3] = gram[1];
            gram[4] = gram[2];
        } else {
            RowVectors.gram(x, xAt, u, uAt, v, vAt, d, gram);
        }
    }

    /**
     * The rest of {@link #retract}, from the inner products {@link #gather} left in {@code scalars},
     * writing {@code R_x(t u)} to {@code out}: any row without {@code v}, x itself with it.
     */
    final void finish(MemorySegment x, long xAt, MemorySegment u, long uAt, double t, MemorySegment v, long vAt,
            MemorySegment out, long outAt, int d, RowScalars scalars) {
        double[] gram = scalars.gram;
        double xx = gram[0], xu = gram[1], uu = gram[2], vx = gram[3], vu = gram[4];
        if (t == 0 || uu == 0) {
            if (out != x || outAt != xAt) {
                MemorySegment.copy(x, xAt, out, outAt, (long) d * Float.BYTES);
            }
            if (v != null) {
                RowVectors.combine(1f, v, vAt, (float) -vx, x, xAt, v, vAt, d);
            }
            return;
        }
        double[] c = scalars.coefficients;
        if (!coefficients(t, xx, xu, uu, c)) {
            double length = Math.sqrt(RowVectors.squaredNorm((float) c[0], x, xAt, (float) c[1], u, uAt, d));
            c[0] /= length;
            c[1] /= length;
        }
        if (v == null) {
            RowVectors.combine((float) c[0], x, xAt, (float) c[1], u, uAt, out, outAt, d);
            return;
        }
        double inner = c[0] * vx + c[1] * vu; // <v, x'>
        float[] k = scalars.mix;
        k[0] = (float) c[0];
        k[1] = (float) c[1];
        k[2] = 0;
        k[3] = (float) (-inner * c[0]);
        k[4] = (float) (-inner * c[1]);
        k[5] = 1;
        RowVectors.combine(k, x, xAt, u, uAt, v, vAt, d);
    }
}
