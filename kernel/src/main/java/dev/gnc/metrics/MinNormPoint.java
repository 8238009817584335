package dev.gnc.metrics;

import java.util.Arrays;

/**
 * The point of smallest norm in the convex hull of n points of R^d, by Wolfe's algorithm (1976)
 * in float64: a corral of at most d + 1 affinely independent points whose affine minimiser is
 * kept inside the hull by minor cycles, grown by the point that most decreases the norm.
 *
 * <p>The affine minimiser of a corral S solves {@code (1 1^T + G_S) beta = 1}, {@code alpha =
 * beta / sum beta}, with G_S the Gram matrix of S: that matrix is positive definite exactly when
 * S is affinely independent (also when the origin lies in S's affine hull, where G_S alone is
 * singular). It is solved as the least-squares problem whose normal equations it is, by a QR
 * factorisation that also detects dependence (see {@link #affineMinimiser}). Points are scaled to
 * unit largest norm first, which keeps the 1s and the points of one size.
 *
 * <p>Stops when {@code ||x||^2 - min_j <x, p_j> <= 1e-15} (in the scaled units), that is when x
 * is optimal to rounding; or, marked {@link Solution#stalled}, when no point would enter without
 * breaking affine independence or the entering point leaves again in its own minor cycle (so x
 * would not move and the same point would enter forever), which only rounding causes. The caller certifies the result in any case.
 */
final class MinNormPoint {
    private static final double OPTIMALITY = 1e-15;
    private static final double WEIGHT_FLOOR = 1e-14;
    /** A corral column whose residual is below this fraction of its norm is affinely dependent, to rounding. */
    private static final double DEPENDENT = 1e-12;
    private static final int MAX_MAJOR_CYCLES = 100_000;

    private final double[] p; // n x d, scaled
    private final int n;
    private final int d;
    private final double scale;

    private int[] corral;
    private double[] weights;
    private int size;
    private final double[][] q;  // orthonormal columns of the factored corral, [1; p_i] each
    private final double[][] r;  // its upper triangular factor
    private int factored;        // corral positions [0, factored) are in q and r

    /** The solution: x = sum_i weights[i] p[corral[i]] (unscaled), of norm {@link #norm}. */
    record Solution(double[] x, double norm, int[] support, double[] weights, boolean stalled) {
    }

    private MinNormPoint(double[] points, int n, int d) {
        this.n = n;
        this.d = d;
        double largest = 0;
        for (int i = 0; i < n; i++) {
            largest = Math.max(largest, dot(points, i, points, i));
        }
        this.scale = Math.sqrt(largest);
        this.p = points.clone();
        if (scale > 0) {
            for (int i = 0; i < p.length; i++) {
                p[i] /= scale;
            }
        }
        this.corral = new int[d + 1];
        this.weights = new double[d + 1];
        this.q = new double[d + 1][d + 1];
        this.r = new double[d + 1][d + 1];
    }

    /**
     * @param points n x d row-major, n >= 1
     */
    static Solution solve(double[] points, int n, int d) {
        if (n < 1 || points.length != (long) n * d) {
            throw new IllegalArgumentException("need n >= 1 points of dimension " + d + ", got " + points.length
                    + " values for n = " + n);
        }
        return new MinNormPoint(points, n, d).run();
    }

    private Solution run() {
        if (scale == 0) { // every point is the origin
            return solution(new double[d], 0, false);
        }
        int first = 0;
        for (int i = 1; i < n; i++) {
            if (dot(p, i, p, i) < dot(p, first, p, first)) {
                first = i;
            }
        }
        corral[0] = first;
        weights[0] = 1;
        size = 1;
        double[] x = Arrays.copyOfRange(p, first * d, first * d + d);
        boolean stalled = false;
        for (int cycle = 0; cycle < MAX_MAJOR_CYCLES; cycle++) {
            int entering = 0;
            double least = Double.POSITIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                double v = dotX(x, i);
                if (v < least) {
                    least = v;
                    entering = i;
                }
            }
            double xx = dotXX(x);
            if (xx - least <= OPTIMALITY || xx == 0) {
                break;
            }
            if (inCorral(entering) || size == d + 1) {
                stalled = true; // only rounding lets a decreasing point be affinely dependent
                break;
            }
            corral[size] = entering;
            weights[size] = 0;
            size++;
            if (!minorCycles()) {
                stalled = true;
                break;
            }
            if (!inCorral(entering)) { // it left in its own minor cycle: x is unchanged, and would pick it again
                stalled = true;
                break;
            }
            x = combination();
        }
        return solution(x, Math.sqrt(dotXX(x)), stalled);
    }

    /** Moves the weights to the corral's affine minimiser, dropping points until it lies in the hull. */
    private boolean minorCycles() {
        while (true) {
            double[] alpha = affineMinimiser();
            if (alpha == null) {
                size--; // the entering point was dependent: undo and report a stall
                return false;
            }
            boolean inside = true;
            for (int i = 0; i < size; i++) {
                inside &= alpha[i] > WEIGHT_FLOOR;
            }
            if (inside) {
                System.arraycopy(alpha, 0, weights, 0, size);
                return true;
            }
            // walk from the weights towards alpha until the first weight reaches zero
            double theta = 1;
            for (int i = 0; i < size; i++) {
                if (alpha[i] <= WEIGHT_FLOOR && weights[i] - alpha[i] > 0) {
                    theta = Math.min(theta, weights[i] / (weights[i] - alpha[i]));
                }
            }
            int kept = 0;
            double sum = 0;
            int smallest = 0;
            for (int i = 0; i < size; i++) {
                weights[i] = (1 - theta) * weights[i] + theta * alpha[i];
                if (weights[i] < weights[smallest]) {
                    smallest = i;
                }
            }
            for (int i = 0; i < size; i++) {
                if (weights[i] > WEIGHT_FLOOR && i != smallest) {
                    corral[kept] = corral[i];
                    weights[kept] = weights[i];
                    sum += weights[i];
                    kept++;
                } else {
                    factored = Math.min(factored, kept); // the corral keeps its order: the factor holds up to here
                }
            }
            size = kept;
            for (int i = 0; i < size; i++) {
                weights[i] /= sum;
            }
        }
    }

    /**
     * alpha with sum 1 minimising ||sum alpha_i p_i||, or null when the corral is affinely
     * dependent. It is {@code beta / sum beta} for the least-squares solution beta of
     * {@code A beta = e_0}, A having the columns {@code [1; p_i]} (whose normal equations are
     * {@code (1 1^T + G) beta = 1}), by a QR factorisation from modified Gram-Schmidt with
     * reorthogonalisation: dependence shows as a column's residual norm, in the units of the
     * points, where a Cholesky factor of the normal equations would see its square and call points
     * 1e-7 apart dependent. The factor is kept between calls and only the columns after the first
     * change are redone: a point entering costs one column.
     */
    private double[] affineMinimiser() {
        int s = size, rows = d + 1;
        for (int j = factored; j < s; j++) {
            double[] v = q[j];
            v[0] = 1;
            System.arraycopy(p, corral[j] * d, v, 1, d);
            double norm0 = Math.sqrt(dotRows(v, v));
            for (int i = 0; i < j; i++) {
                r[i][j] = 0;
            }
            for (int pass = 0; pass < 2; pass++) { // twice is enough (Giraud et al.)
                for (int i = 0; i < j; i++) {
                    double c = dotRows(q[i], v);
                    r[i][j] += c;
                    for (int e = 0; e < rows; e++) {
                        v[e] -= c * q[i][e];
                    }
                }
            }
            double residual = Math.sqrt(dotRows(v, v));
            if (!(residual > DEPENDENT * norm0)) {
                factored = j;
                return null;
            }
            r[j][j] = residual;
            for (int e = 0; e < rows; e++) {
                v[e] /= residual;
            }
        }
        factored = s;
        double[] beta = new double[s];
        for (int i = s - 1; i >= 0; i--) { // R beta = Q^T e_0, whose entries are the q_i's first components
            double v = q[i][0];
            for (int k = i + 1; k < s; k++) {
                v -= r[i][k] * beta[k];
            }
            beta[i] = v / r[i][i];
        }
        double sum = 0;
        for (double b : beta) {
            sum += b;
        }
        for (int i = 0; i < s; i++) {
            beta[i] /= sum;
        }
        return beta;
    }

    private static double dotRows(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private double[] combination() {
        double[] x = new double[d];
        for (int i = 0; i < size; i++) {
            int base = corral[i] * d;
            for (int c = 0; c < d; c++) {
                x[c] += weights[i] * p[base + c];
            }
        }
        return x;
    }

    private boolean inCorral(int point) {
        for (int i = 0; i < size; i++) {
            if (corral[i] == point) {
                return true;
            }
        }
        return false;
    }

    private Solution solution(double[] scaledX, double scaledNorm, boolean stalled) {
        double[] x = new double[d];
        for (int c = 0; c < d; c++) {
            x[c] = scaledX[c] * scale;
        }
        return new Solution(x, scaledNorm * scale, Arrays.copyOf(corral, size), Arrays.copyOf(weights, size),
                stalled);
    }

    private double dotX(double[] x, int i) {
        double s = 0;
        int base = i * d;
        for (int c = 0; c < d; c++) {
            s += x[c] * p[base + c];
        }
        return s;
    }

    private double dotXX(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v * v;
        }
        return s;
    }

    private double dot(double[] a, int i, double[] b, int j) {
        double s = 0;
        for (int c = 0; c < d; c++) {
            s += a[i * d + c] * b[j * d + c];
        }
        return s;
    }
}
