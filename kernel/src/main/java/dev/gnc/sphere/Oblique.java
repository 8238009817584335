package dev.gnc.sphere;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.RandomMatrices;
import dev.gnc.core.WorkPool;
import dev.gnc.internal.MatrixChecks;
import dev.gnc.internal.RowBlockChecks;
import dev.gnc.internal.RowChunks;
import dev.gnc.internal.RowVectors;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The oblique manifold: {@code K x d} matrices whose rows are unit vectors, the product of K unit
 * spheres S^{d-1}, with the metric of the ambient space. In the spherical unconstrained feature
 * model both the classifier W and the features H live here.
 *
 * <p>The two instances differ only in their retraction, which the optimisers use:
 * {@link #normalising} retracts by {@code (x + t u)/||x + t u||}, {@link #exponential} follows
 * the geodesic. Per row, with {@code a = <u, x>}:
 * <pre>
 *   proj_x(u)    = u - a x
 *   Exp_x(t u)   = cos(|t| ||u||) x + t sinc(|t| ||u||) u
 *   transp(x→y)v = proj_y(v)                          (transport by projection)
 *   dist(x, y)   = 2 asin(||x - y|| / 2)              (radians, in [0, pi])
 *   projx(x)     = x / ||x||
 * </pre>
 *
 * <p>Each operation is one pass over memory: a row is read once and written once, and the few
 * sweeps an operation makes over a row run while it is in cache. Inner products and norms
 * accumulate in float32 vector lanes, a retraction's Gram matrix in float64 lanes, each reduced in
 * a fixed order; the per-row scalars (square roots, arcsines, sines and cosines) are float64.
 *
 * <p>Accuracy per element against float64 arithmetic on the same float32 inputs, for unit rows
 * {@code x}, with eps = 2^-24 and {@code c = 4 + sqrt(d)} (what the tests require; they measure
 * at most 2.5 eps for d up to 100, while an adversarial row could reach about {@code d} eps):
 * <ul>
 *   <li>proj, transp: {@code c eps ||u||};
 *   <li>retr by normalisation, projx: {@code c eps}, whatever the step;
 *   <li>expmap: {@code c eps (1 + |t| ||u||)}, the angle carrying the relative error of
 *       {@code ||u||};
 *   <li>dist: {@code c eps (1 + dist)}, and relative accuracy for nearby points (whose differences
 *       {@code x_j - y_j} are exact in float32); within about 1e-3 of pi the slope of asin amplifies
 *       the chord's rounding, up to about {@code sqrt(eps)} at antipodal points;
 *   <li>inner: {@code c eps sum_i ||u_i|| ||v_i||}; a check's deviation: {@code c eps}.
 * </ul>
 * The methods' Javadoc gives the edge cases.
 */
public final class Oblique implements Manifold {
    private final WorkPool pool;
    private final UnitSphere sphere;

    private Oblique(WorkPool pool, SphereRetraction retraction) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.sphere = new UnitSphere(retraction);
    }

    /** The oblique manifold retracting by normalisation, {@code R_x(t u) = (x + t u)/||x + t u||}. */
    public static Oblique normalising(WorkPool pool) {
        return new Oblique(pool, SphereRetraction.NORMALISATION);
    }

    /** The oblique manifold retracting by the exponential map, {@code R_x(t u) = Exp_x(t u)}. */
    public static Oblique exponential(WorkPool pool) {
        return new Oblique(pool, SphereRetraction.EXPONENTIAL_MAP);
    }

    @Override
    public WorkPool pool() {
        return pool;
    }

    @Override
    public RowManifold row() {
        return sphere;
    }

    /** {@code out = u - <u, x> x} per row; {@code out} may be {@code u}. */
    @Override
    public void proj(FloatMatrix x, FloatMatrix u, FloatMatrix out) {
        checkBinary(x, "x", u, "u", out);
        project(x, u, out);
    }

    private void project(FloatMatrix x, FloatMatrix u, FloatMatrix out) {
        MemorySegment xs = x.segment(), us = u.segment(), os = out.segment();
        RowChunks.run(pool, x.rows(), x.cols(), (c, from, to) -> {
            for (long i = from; i < to; i++) {
                sphere.proj(xs, x.byteOffset(i, 0), us, u.byteOffset(i, 0), os, out.byteOffset(i, 0), x.cols());
            }
        });
    }

    /**
     * {@code out = R_x(t u)} per row with this manifold's retraction; {@code out} may be {@code x}.
     * Rows where {@code t ||u|| = 0} are copied exactly. Any finite {@code t} keeps the rows finite
     * and, for tangent {@code u}, unit.
     */
    @Override
    public void retr(FloatMatrix x, FloatMatrix u, double t, FloatMatrix out) {
        retract(sphere.retraction(), x, u, t, out);
    }

    /**
     * {@code out = cos(|t| ||u||) x + t sinc(|t| ||u||) u} per row; {@code out} may be {@code x}.
     * The closed form, not renormalised: for tangent {@code u} its rows are unit to rounding.
     */
    @Override
    public void expmap(FloatMatrix x, FloatMatrix u, double t, FloatMatrix out) {
        retract(SphereRetraction.EXPONENTIAL_MAP, x, u, t, out);
    }

    private void retract(SphereRetraction retraction, FloatMatrix x, FloatMatrix u, double t, FloatMatrix out) {
        RowBlockChecks.requireFinite(t, "step t");
        checkBinary(x, "x", u, "u", out);
        MemorySegment xs = x.segment(), us = u.segment(), os = out.segment();
        int d = x.cols();
        long xLd = (long) x.ld() * Float.BYTES, uLd = (long) u.ld() * Float.BYTES;
        RowChunks.run(pool, x.rows(), d, (c, from, to) -> {
            // a block's Gram sweeps back to back, then its rows' scalars and writes (see SphereBlock)
            RowScalars scalars = new RowScalars();
            double[] gram = new double[6 * SphereBlock.ROWS];
            for (long at = from; at < to; at += SphereBlock.ROWS) {
                int count = (int) Math.min(SphereBlock.ROWS, to - at);
                RowVectors.gramRows(xs, x.byteOffset(at, 0), xLd, us, u.byteOffset(at, 0), uLd, null, 0, 0, d, count,
                        gram);
                for (int k = 0; k < count; k++) {
                    long i = at + k;
                    System.arraycopy(gram, 6 * k, scalars.gram, 0, 3);
                    retraction.finish(xs, x.byteOffset(i, 0), us, u.byteOffset(i, 0), t, null, 0, os,
                            out.byteOffset(i, 0), d, scalars);
                }
            }
        });
    }

    /** {@code out = v - <v, y> y} per row: transport by projection, which needs {@code x} only for its shape. */
    @Override
    public void transp(FloatMatrix x, FloatMatrix y, FloatMatrix v, FloatMatrix out) {
        RowBlockChecks.requirePoints(x, "x", pool);
        RowBlockChecks.requireShape(x, "x", y, "y", pool);
        checkBinary(y, "y", v, "v", out);
        project(y, v, out);
    }

    /**
     * Element i of {@code out} (K values in one contiguous row or column) becomes
     * {@code 2 asin(||x_i - y_i|| / 2)}.
     */
    @Override
    public void dist(FloatMatrix x, FloatMatrix y, FloatMatrix out) {
        RowBlockChecks.requirePoints(x, "x", pool);
        RowBlockChecks.requireShape(x, "x", y, "y", pool);
        Objects.requireNonNull(out, "out");
        MatrixChecks.requireVector(out, x.rows(), "distances out");
        MatrixChecks.requireShared(pool, out, "distances out");
        RowBlockChecks.requireApart(out, "distances out", x, "x");
        RowBlockChecks.requireApart(out, "distances out", y, "y");
        MemorySegment xs = x.segment(), ys = y.segment(), os = out.segment();
        RowChunks.run(pool, x.rows(), x.cols(), (c, from, to) -> {
            for (long i = from; i < to; i++) {
                os.setAtIndex(FloatMatrix.FLOAT, i,
                        (float) UnitSphere.dist(xs, x.byteOffset(i, 0), ys, y.byteOffset(i, 0), x.cols()));
            }
        });
    }

    /** {@code sum_i <u_i, v_i>}: float32 row sums added in float64 in a fixed order. */
    @Override
    public double inner(FloatMatrix x, FloatMatrix u, FloatMatrix v) {
        RowBlockChecks.requirePoints(x, "x", pool);
        RowBlockChecks.requireShape(x, "x", u, "u", pool);
        RowBlockChecks.requireShape(x, "x", v, "v", pool);
        MemorySegment us = u.segment(), vs = v.segment();
        return RowChunks.sum(pool, x.rows(), x.cols(), (from, to) -> {
            double sum = 0;
            for (long i = from; i < to; i++) {
                sum += RowVectors.dot(us, u.byteOffset(i, 0), vs, v.byteOffset(i, 0), x.cols());
            }
            return sum;
        });
    }

    /**
     * Row normalisation, {@code out = x / ||x||} per row; {@code out} may be {@code x}.
     *
     * @throws IllegalArgumentException naming the first row that is zero (or whose float32 squared
     *                                  norm underflows) or not finite. The check is part of the
     *                                  pass, so the other rows have been written by then.
     */
    @Override
    public void projx(FloatMatrix x, FloatMatrix out) {
        normalise(x, out, false, 0);
    }

    /**
     * Row normalisation as {@link #projx(FloatMatrix, FloatMatrix)}, except that a zero row i is
     * replaced by a random unit row drawn from {@code seed} and i alone (so the same whatever the
     * pool), rather than rejected. Rows that are not finite are still an error.
     */
    public void projx(FloatMatrix x, FloatMatrix out, long seed) {
        normalise(x, out, true, seed);
    }

    private void normalise(FloatMatrix x, FloatMatrix out, boolean replaceZeroRows, long seed) {
        RowBlockChecks.requirePoints(x, "x", pool);
        RowBlockChecks.requireShape(x, "x", out, "out", pool);
        RowBlockChecks.requireInPlaceOrApart(out, "out", x, "x");
        MemorySegment xs = x.segment(), os = out.segment();
        long[] firstBadRow = new long[RowChunks.chunks(x.rows(), x.cols())];
        Arrays.fill(firstBadRow, -1);
        int d = x.cols();
        RowChunks.run(pool, x.rows(), d, (c, from, to) -> {
            double squared = RowVectors.dot(xs, x.byteOffset(from, 0), xs, x.byteOffset(from, 0), d);
            for (long i = from; i < to; i++) {
                long at = x.byteOffset(i, 0), nextAt = i + 1 < to ? x.byteOffset(i + 1, 0) : 0;
                // a row ahead: its loads overlap this row's scaling
                double next = i + 1 < to ? RowVectors.dot(xs, nextAt, xs, nextAt, d) : 0;
                boolean unit = UnitSphere.scaleToUnit(squared, xs, at, os, out.byteOffset(i, 0), d);
                squared = next;
                if (unit) {
                    continue;
                }
                if (replaceZeroRows && isZero(x, i)) {
                    writeRandomUnitRow(out, i, seed);
                } else if (firstBadRow[c] < 0) {
                    firstBadRow[c] = i;
                }
            }
        });
        for (long row : firstBadRow) {
            if (row >= 0) {
                throw new IllegalArgumentException(describeUnnormalisable(x, row, replaceZeroRows));
            }
        }
    }

    private static boolean isZero(FloatMatrix x, long i) {
        return RowVectors.dot(x.segment(), x.byteOffset(i, 0), x.segment(), x.byteOffset(i, 0), x.cols()) == 0;
    }

    private static void writeRandomUnitRow(FloatMatrix out, long i, long seed) {
        double[] unit = new double[out.cols()];
        RandomMatrices.unitVector(new SplittableRandom(seed + i), unit);
        for (int j = 0; j < unit.length; j++) {
            out.set(i, j, (float) unit[j]);
        }
    }

    private static String describeUnnormalisable(FloatMatrix x, long row, boolean replaceZeroRows) {
        float squared = RowVectors.dot(x.segment(), x.byteOffset(row, 0), x.segment(), x.byteOffset(row, 0),
                x.cols());
        if (squared == 0) {
            return "row " + row + " of x is zero (or its entries are too small to square in float32) and has no"
                    + " direction to normalise" + (replaceZeroRows ? "" : "; projx(x, out, seed) replaces zero rows"
                    + " with random unit rows");
        }
        return "row " + row + " of x has squared norm " + squared + " and cannot be normalised; it holds a value that"
                + " is not finite or too large to square in float32";
    }

    /**
     * The row furthest from unit norm, {@code | ||x_i|| - 1 |}, against {@code tolerance}.
     *
     * @param tolerance a finite value {@code >= 0}
     */
    public OnSphereCheck check(FloatMatrix x, double tolerance) {
        RowBlockChecks.requirePoints(x, "x", pool);
        if (!(tolerance >= 0) || tolerance == Double.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("tolerance must be finite and >= 0, got " + tolerance);
        }
        int chunks = RowChunks.chunks(x.rows(), x.cols());
        long[] worstRow = new long[chunks];
        double[] worst = new double[chunks];
        MemorySegment xs = x.segment();
        RowChunks.run(pool, x.rows(), x.cols(), (c, from, to) -> {
            worstRow[c] = from;
            worst[c] = UnitSphere.deviation(xs, x.byteOffset(from, 0), x.cols());
            for (long i = from + 1; i < to; i++) {
                double deviation = UnitSphere.deviation(xs, x.byteOffset(i, 0), x.cols());
                if (Double.compare(deviation, worst[c]) > 0) { // NaN compares above everything
                    worstRow[c] = i;
                    worst[c] = deviation;
                }
            }
        });
        long row = -1;
        double deviation = 0;
        for (int c = 0; c < chunks; c++) {
            if (row < 0 || Double.compare(worst[c], deviation) > 0) {
                row = worstRow[c];
                deviation = worst[c];
            }
        }
        return new OnSphereCheck(row, deviation, tolerance);
    }

    private void checkBinary(FloatMatrix x, String xName, FloatMatrix u, String uName, FloatMatrix out) {
        RowBlockChecks.requirePoints(x, xName, pool);
        RowBlockChecks.requireShape(x, xName, u, uName, pool);
        RowBlockChecks.requireShape(x, xName, out, "out", pool);
        RowBlockChecks.requireInPlaceOrApart(out, "out", x, xName);
        RowBlockChecks.requireInPlaceOrApart(out, "out", u, uName);
    }

    @Override
    public String toString() {
        return "Oblique[" + sphere.retraction() + ", " + pool + "]";
    }
}
