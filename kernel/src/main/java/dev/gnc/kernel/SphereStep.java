package dev.gnc.kernel;

import java.lang.foreign.MemorySegment;

/**
 * An optimiser step on one row of the oblique manifold in two sweeps: one gathers the Gram matrix
 * of the point x, the Euclidean gradient g and the state m (float64 lanes), then float64 algebra
 * on it gives the new point and the transported state as combinations of x, g and m, which the
 * second sweep writes. With {@code r = g - <x, g> x} the Riemannian gradient:
 * <pre>
 *   m' = p m + q r,   u = s r + w m',   x' = R_x(t u),   m'' = m' - <m', x'> x'
 * </pre>
 * which covers plain SGD (no m, {@code s = 1}), heavy-ball and Nesterov momentum and Adam's first
 * moment. Inner products of r, m' and u follow from the Gram matrix by bilinearity.
 *
 * <p>A step declines, writing nothing, where that algebra would lose float32 digits or where the
 * row-by-row path has exact semantics to keep: a zero step (which must leave x bitwise as it is),
 * a gradient within about 1e-3 of radial (its tangent part cancels), a step u that cancels, a
 * normalisation that cancels, or anything not finite. The optimiser then takes the
 * {@link RowManifold} path for that row. Which path a row takes depends on its own values only, so
 * results stay the same for any thread count. One instance per chunk of rows, on one thread.
 */
final class SphereStep {
    private final SphereRetraction retraction;
    private final RowScalars scalars = new RowScalars();
    private double xx;
    private double xg;
    private double xm;
    private double mm;
    private double xr;
    private double rr;
    private double rm;

    SphereStep(SphereRetraction retraction) {
        this.retraction = retraction;
    }

    /**
     * The first sweep: the Gram matrix of x, g and m ({@code m} null for plain SGD). Returns false,
     * for the caller to take the row-by-row path, when {@code ||r||^2} cannot be had to float32
     * precision from it (or is 0).
     */
    boolean gather(MemorySegment x, long xAt, MemorySegment g, long gAt, MemorySegment m, long mAt, int d) {
        double[] gram = scalars.gram;
        if (m == null) {
            RowVectors.gram(x, xAt, g, gAt, d, gram);
            gram[3] = gram[4] = gram[5] = 0;
        } else {
            RowVectors.gram(x, xAt, g, gAt, m, mAt, d, gram);
        }
        xx = gram[0];
        xg = gram[1];
        double gg = gram[2];
        xm = gram[3];
        mm = gram[5];
        xr = xg - xg * xx;
        rr = gg - xg * (xg + xr);
        rm = gram[4] - xg * xm;
        return rr > SphereRetraction.CANCELLATION * gg;
    }

    /** {@code ||r||^2} of the row {@link #gather} saw. */
    double tangentSquaredNorm() {
        return rr;
    }

    /**
     * The second sweep: moves x (and m, unless null) as the class comment says. Returns false,
     * writing nothing, when the step must take the row-by-row path.
     */
    boolean move(MemorySegment x, long xAt, MemorySegment g, long gAt, MemorySegment m, long mAt, int d, double p,
            double q, double s, double w, double t) {
        double e = s + w * q, f = w * p; // u = e r + f m
        double ends = e * e * rr + f * f * mm, uu = ends + 2 * e * f * rm;
        // (|e| ||r|| + |f| ||m||)^2 <= 2 ends: a check without square roots, which would compete with
        // the one in the retraction's chain that the writing sweep waits on
        if (t == 0 || !(uu > 2 * SphereRetraction.CANCELLATION * ends)) {
            return false;
        }
        double[] c = scalars.coefficients;
        if (!retraction.coefficients(t, xx, e * xr + f * xm, uu, c)) {
            return false;
        }
        double cx = c[0], cu = c[1];
        double px = cx - cu * e * xg, pg = cu * e, pm = cu * f; // x' = px x + pg g + pm m
        if (!Double.isFinite(px + pg + pm)) {
            return false;
        }
        if (m == null) {
            RowVectors.combine((float) px, x, xAt, (float) pg, g, gAt, x, xAt, d);
        } else {
            moveWithState(x, xAt, g, gAt, m, mAt, d, p, q, e, f, cx, cu, px, pg, pm);
        }
        return true;
    }

    /**
     * The writing sweep of {@link #move} with a state m, from {@code x' = cx x + cu u = px x + pg g
     * + pm m}: a method of its own so that {@code move} stays within the size C2 inlines into the
     * row loop (325 bytecodes; a call per row costs more than a row of 64 floats).
     */
    private void moveWithState(MemorySegment x, long xAt, MemorySegment g, long gAt, MemorySegment m, long mAt, int d,
            double p, double q, double e, double f, double cx, double cu, double px, double pg, double pm) {
        double mr = q * rr + p * rm, mm1 = q * rm + p * mm; // <m', r>, <m', m>
        double inner = cx * (q * xr + p * xm) + cu * (e * mr + f * mm1); // <m', x'>
        float[] k = scalars.mix;
        k[0] = (float) px;
        k[1] = (float) pg;
        k[2] = (float) pm;
        k[3] = (float) (-q * xg - inner * px);
        k[4] = (float) (q - inner * pg);
        k[5] = (float) (p - inner * pm);
        RowVectors.combine(k, x, xAt, g, gAt, m, mAt, x, xAt, m, mAt, d);
    }
}
