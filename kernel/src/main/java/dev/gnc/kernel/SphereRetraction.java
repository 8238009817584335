package dev.gnc.kernel;

import java.lang.foreign.MemorySegment;

/**
 * How a unit sphere maps a tangent step back onto itself: the one thing that differs between the
 * oblique manifolds {@link Oblique#normalising} and {@link Oblique#exponential}.
 *
 * <p>Both write {@code out = x} exactly when {@code t ||u|| = 0} ({@code R_x(0) = x}, as in
 * Manopt), and both get {@code ||u||} from a float32 sum, so their coefficients carry its relative
 * error, a few units of 2^-24.
 */
enum SphereRetraction {
    /**
     * {@code (x + t u) / ||x + t u||}. The sum is formed in float32, scaled by {@code 1/(|t| ||u||)}
     * when the step is longer than 1, so that no step overflows: an infinite step gives
     * {@code sign(t) u / ||u||}, its limit. The result is unit, and each element within a few
     * units of 2^-24 of the float64 result, whatever the step.
     */
    NORMALISATION {
        @Override
        void move(MemorySegment x, long xAt, MemorySegment u, long uAt, double t, double uNorm, MemorySegment out,
                long outAt, int d) {
            double step = Math.abs(t) * uNorm;
            double alpha = step > 1 ? 1 / step : 1;
            double beta = step > 1 ? Math.copySign(1 / uNorm, t) : t;
            double length = Math.sqrt(RowVectors.squaredNorm((float) alpha, x, xAt, (float) beta, u, uAt, d));
            RowVectors.combine((float) (alpha / length), x, xAt, (float) (beta / length), u, uAt, out, outAt, d);
        }
    },

    /**
     * The exponential map {@code cos(a) x + t sinc(a) u} with {@code a = |t| ||u||} and
     * {@code sinc(a) = sin(a)/a}, which tends to exactly 1, so tiny steps give {@code x + t u} to
     * rounding (the form {@code sin(a) u/||u||} is 0/0 at {@code u = 0}). Coefficients are float64;
     * each element is within a few units of 2^-24 of the float64 closed form, times
     * {@code 1 + a} as the angle carries the rounding of {@code ||u||}; an angle beyond the double
     * range gives NaN. The result is not renormalised (geoopt's choice): on a unit {@code x} with a
     * tangent {@code u} its norm is 1 to rounding, which repeated steps accumulate; see the
     * optimisers' {@code stabilize}.
     */
    EXPONENTIAL_MAP {
        @Override
        void move(MemorySegment x, long xAt, MemorySegment u, long uAt, double t, double uNorm, MemorySegment out,
                long outAt, int d) {
            double angle = Math.abs(t) * uNorm;
            RowVectors.combine((float) Math.cos(angle), x, xAt, (float) (t * (Math.sin(angle) / angle)), u, uAt,
                    out, outAt, d);
        }
    };

    /** Writes {@code R_x(t u)} to {@code out}, which may be {@code x}. */
    final void retract(MemorySegment x, long xAt, MemorySegment u, long uAt, double t, MemorySegment out, long outAt,
            int d) {
        double uNorm = Math.sqrt(RowVectors.dot(u, uAt, u, uAt, d));
        if (t * uNorm == 0) {
            MemorySegment.copy(x, xAt, out, outAt, (long) d * Float.BYTES);
            return;
        }
        move(x, xAt, u, uAt, t, uNorm, out, outAt, d);
    }

    /** The retraction for a step {@code t u} with {@code t ||u|| != 0}. */
    abstract void move(MemorySegment x, long xAt, MemorySegment u, long uAt, double t, double uNorm,
            MemorySegment out, long outAt, int d);
}
