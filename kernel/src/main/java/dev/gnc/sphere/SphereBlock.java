package dev.gnc.sphere;

import dev.gnc.core.FloatMatrix;
import dev.gnc.internal.RowVectors;
import java.util.Arrays;

/**
 * An optimiser step on a block of consecutive rows of the oblique manifold, in three phases: one
 * sweep per row gathers the Gram matrix of the point x, the Euclidean gradient g and the state m
 * (float64 lanes); float64 algebra on it {@linkplain #plan plans} each row's new point and
 * transported state as combinations of x, g and m; one sweep per row {@linkplain #write writes}
 * them. With {@code r = g - <x, g> x} the Riemannian gradient:
 * <pre>
 *   m' = p m + q r,   u = s r + w m',   x' = R_x(t u),   m'' = m' - <m', x'> x'
 * </pre>
 * which covers plain SGD (no m, {@code s = 1}), heavy-ball and Nesterov momentum and Adam's first
 * moment. Inner products of r, m' and u follow from the Gram matrix by bilinearity.
 *
 * <p>Phases rather than rows, because a row of 64 floats is less work than what surrounds it: each
 * sweeping phase is one loop over the block's rows in one compiled method
 * ({@link RowVectors#gramRows}, {@link RowVectors#combineRows}) with no call per row, the rows of
 * a phase are independent for the core to overlap, and the block (8 rows of x, g and m: 6 KB at
 * d = 64) stays in L1 from the first sweep to the second. Blocks of 8 rows measured best at K = 10^6, d = 64, 1 thread
 * (momentum 41 ms a step; 46, 53 and 47 ms with 16, 32 and 2 rows; docs/BENCHMARKS.md).
 *
 * <p>A row's plan declines, planning nothing, where the algebra would lose float32 digits or where
 * the row-by-row path has exact semantics to keep: a zero step (which must leave x bitwise as it
 * is), a gradient within about 1e-3 of radial (its tangent part cancels), a step u that cancels, a
 * normalisation that cancels, or anything not finite. The optimiser then takes the
 * {@link RowManifold} path for that row. Which path a row takes depends on its own values only, so
 * results stay the same for any thread count. One instance per chunk of rows, on one thread.
 */
public final class SphereBlock {
    /** Rows per block (see the class comment). */
    public static final int ROWS = 8;

    private final SphereRetraction retraction;
    /** Per row: {@code <x, x>, <x, g>, <g, g>, <x, m>, <g, m>, <m, m>}. */
    private final double[] gram = new double[6 * ROWS];
    /** Per row: x' and m'' as combinations of x, g and m. */
    private final float[] mix = new float[6 * ROWS];
    private final boolean[] planned = new boolean[ROWS];
    private final double[] coefficients = new double[2];
    private final double[] steps = new double[ROWS];
    private FloatMatrix x;
    private FloatMatrix g;
    private FloatMatrix m;
    private long from;
    private int count;

    SphereBlock(SphereRetraction retraction) {
        this.retraction = retraction;
    }

    /**
     * A block for points whose rows live on {@code row}: null unless they are {@link UnitSphere}s
     * (of an {@link Oblique} manifold), whose steps the block's algebra plans.
     */
    public static SphereBlock forRows(RowManifold row) {
        return row instanceof UnitSphere sphere ? new SphereBlock(sphere.retraction()) : null;
    }

    /**
     * The first sweep over rows {@code [from, from + count)} of x, the Euclidean gradient g and the
     * state m (null for plain SGD); nothing is planned yet.
     */
    public void gather(FloatMatrix x, FloatMatrix g, FloatMatrix m, long from, int count) {
        this.x = x;
        this.g = g;
        this.m = m;
        this.from = from;
        this.count = count;
        RowVectors.gramRows(x.segment(), x.byteOffset(from, 0), rowBytes(x), g.segment(), g.byteOffset(from, 0),
                rowBytes(g), m == null ? null : m.segment(), m == null ? 0 : m.byteOffset(from, 0),
                m == null ? 0 : rowBytes(m), x.cols(), count, gram);
        Arrays.fill(planned, 0, count, false);
    }

    private static long rowBytes(FloatMatrix matrix) {
        return (long) matrix.ld() * Float.BYTES;
    }

    /** Room for a step t per row, for an optimiser whose step depends on the row (Adam's does). */
    public double[] steps() {
        return steps;
    }

    /** {@code ||r||^2} of the block's row k. */
    public double tangentSquaredNorm(int k) {
        int at = 6 * k;
        double xx = gram[at], xg = gram[at + 1], gg = gram[at + 2];
        double xr = xg - xg * xx;
        return gg - xg * (xg + xr);
    }

    /**
     * Plans row k's step as the class comment says. Returns false, planning nothing, when the row
     * must take the row-by-row path (where {@code ||r||^2} cannot be had to float32 precision
     * from the Gram matrix, or is 0, among the cases the class comment lists).
     */
    public boolean plan(int k, double p, double q, double s, double w, double t) {
        int at = 6 * k;
        double xx = gram[at], xg = gram[at + 1], gg = gram[at + 2], xm = gram[at + 3], mm = gram[at + 5];
        double xr = xg - xg * xx, rr = gg - xg * (xg + xr), rm = gram[at + 4] - xg * xm;
        double e = s + w * q, f = w * p; // u = e r + f m
        double ends = e * e * rr + f * f * mm, uu = ends + 2 * e * f * rm;
        // (|e| ||r|| + |f| ||m||)^2 <= 2 ends: a check without square roots, which would compete with
        // the one in the retraction's chain
        if (!(rr > SphereRetraction.CANCELLATION * gg) || t == 0
                || !(uu > 2 * SphereRetraction.CANCELLATION * ends)) {
            return false;
        }
        double[] c = coefficients;
        if (!retraction.coefficients(t, xx, e * xr + f * xm, uu, c)) {
            return false;
        }
        double cx = c[0], cu = c[1];
        double px = cx - cu * e * xg, pg = cu * e, pm = cu * f; // x' = px x + pg g + pm m
        if (!Double.isFinite(px + pg + pm)) {
            return false;
        }
        mix(at, p, q, e, f, cx, cu, px, pg, pm, xr, rr, rm);
        planned[k] = true;
        return true;
    }

    /**
     * Row {@code at / 6}'s mix from its plan: {@code x' = px x + pg g + pm m} and the transported
     * state (with no state, x' alone). A method of its own so that {@link #plan} stays within the
     * size C2 inlines into the optimisers' loops over a block (325 bytecodes).
     */
    private void mix(int at, double p, double q, double e, double f, double cx, double cu, double px, double pg,
            double pm, double xr, double rr, double rm) {
        mix[at] = (float) px;
        mix[at + 1] = (float) pg;
        if (m == null) {
            return; // no state: x' = px x + pg g is all the writing sweep needs
        }
        double xg = gram[at + 1], xm = gram[at + 3], mm = gram[at + 5];
        double mr = q * rr + p * rm, mm1 = q * rm + p * mm; // <m', r>, <m', m>
        double inner = cx * (q * xr + p * xm) + cu * (e * mr + f * mm1); // <m', x'>
        mix[at + 2] = (float) pm;
        mix[at + 3] = (float) (-q * xg - inner * px);
        mix[at + 4] = (float) (q - inner * pg);
        mix[at + 5] = (float) (p - inner * pm);
    }

    /** The second sweep: writes x (and m, unless null) of the rows whose plan succeeded. */
    public void write() {
        RowVectors.combineRows(mix, planned, x.segment(), x.byteOffset(from, 0), rowBytes(x), g.segment(),
                g.byteOffset(from, 0), rowBytes(g), m == null ? null : m.segment(), m == null ? 0
                        : m.byteOffset(from, 0), m == null ? 0 : rowBytes(m), x.cols(), count);
    }
}
