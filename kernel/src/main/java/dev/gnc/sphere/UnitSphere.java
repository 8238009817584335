package dev.gnc.sphere;

import dev.gnc.internal.RowVectors;
import java.lang.foreign.MemorySegment;

/**
 * The unit sphere S^{d-1} one row of an {@link Oblique} matrix lives on: every row-level sphere
 * operation, each a few {@link RowVectors} sweeps over a row in cache. Inner products accumulate
 * in float32 lanes, except the Gram matrices of the retraction, in float64 lanes; square roots,
 * arcsines, sines and cosines are float64.
 */
final class UnitSphere implements RowManifold {
    private final SphereRetraction retraction;

    UnitSphere(SphereRetraction retraction) {
        this.retraction = retraction;
    }

    SphereRetraction retraction() {
        return retraction;
    }

    /** {@code u - <u, x> x}: the orthogonal projection when {@code x} is unit (Manopt's and geoopt's formula). */
    @Override
    public void proj(MemorySegment x, long xAt, MemorySegment u, long uAt, MemorySegment out, long outAt, int d) {
        float inner = RowVectors.dot(u, uAt, x, xAt, d);
        RowVectors.combine(1f, u, uAt, -inner, x, xAt, out, outAt, d);
    }

    /**
     * Retraction in place, then transport by projection onto the tangent space at the new point, in
     * two sweeps (see {@link SphereRetraction}). Fused passes of this package keep a
     * {@link RowScalars} per chunk and call the retraction directly.
     */
    @Override
    public void retrTransp(MemorySegment x, long xAt, MemorySegment u, long uAt, double t, MemorySegment v, long vAt,
            int d) {
        retraction.retract(x, xAt, u, uAt, t, v, vAt, d, new RowScalars());
    }

    @Override
    public boolean projx(MemorySegment x, long xAt, int d) {
        return normalise(x, xAt, x, xAt, d);
    }

    /**
     * Writes {@code x / ||x||} to {@code out}, unit to within a few units of 2^-24. Returns false,
     * writing nothing, when the float32 squared norm is 0 (also for entries all below about 1e-19
     * in magnitude, whose squares underflow), infinite or NaN.
     */
    static boolean normalise(MemorySegment x, long xAt, MemorySegment out, long outAt, int d) {
        return scaleToUnit(RowVectors.dot(x, xAt, x, xAt, d), x, xAt, out, outAt, d);
    }

    /**
     * The second sweep of {@link #normalise}, given {@code squared = <x, x>} from the first (a loop
     * over rows may take the next row's before it scales this one).
     */
    static boolean scaleToUnit(double squared, MemorySegment x, long xAt, MemorySegment out, long outAt, int d) {
        if (!(squared > 0 && squared < Double.POSITIVE_INFINITY)) {
            return false;
        }
        RowVectors.scale((float) (1 / Math.sqrt(squared)), x, xAt, out, outAt, d);
        return true;
    }

    /**
     * The geodesic distance {@code 2 asin(||x - y|| / 2)} between unit rows (Manopt's form, accurate
     * for nearby points where {@code acos <x, y>} loses half the digits); the chord is clamped to 2
     * so that rounding past antipodal points gives pi, not NaN.
     */
    static double dist(MemorySegment x, long xAt, MemorySegment y, long yAt, int d) {
        double chord = Math.sqrt(RowVectors.squaredNorm(1f, x, xAt, -1f, y, yAt, d));
        return 2 * Math.asin(Math.min(1, chord / 2));
    }

    /** {@code | ||x|| - 1 |}, NaN for a row holding NaN. */
    static double deviation(MemorySegment x, long xAt, int d) {
        return Math.abs(Math.sqrt(RowVectors.dot(x, xAt, x, xAt, d)) - 1);
    }
}
