package dev.gnc.loss;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.Labels;
import dev.gnc.core.WorkPool;
import dev.gnc.internal.MatrixChecks;
import dev.gnc.internal.RowVectors;
import dev.gnc.internal.Simd;
import java.util.Objects;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The mean softmax cross-entropy {@code (1/N) sum_i (lse_i - z_iy)}, {@code z_ik = tau <h_i, w_k>},
 * of float32 inputs with every logit, exponential and sum in float64: the value a line search
 * compares when {@link CrossEntropy}'s float32 logits cannot resolve a decrease. Those logits
 * carry an absolute rounding near {@code tau 2^-24}, so near a minimum, where a step lowers the
 * loss by less than that, the float32 loss moves by noise; this one's rounding is near {@code
 * 2^-52} relative. A confident sample keeps its relative accuracy: its loss is taken as
 * {@code log1p(sum_{k != y} exp(z_k - z_y))}.
 *
 * <p>On the sphere ({@link #onUnitRows}), every row of W and H is divided by its float64 norm
 * first: the loss of points on the sphere, whose float32 rows sit off it by up to a few
 * {@code 2^-24}. Without that, the rounding of the rows' norms moves the loss by about {@code
 * tau 2^-24 l} per row, in random directions, far more than a converging line search's
 * decreases.
 *
 * <p>Cost: {@code N K d} float64 multiply-adds and {@code N K} exponentials (twice the
 * multiply-adds for a row whose target logit is more than 346 below {@code tau |h| max |w_k|}),
 * with a float64 copy of W made per call. Rows are cut
 * into chunks by the shape alone and the chunks' sums added in chunk order, so the value is
 * bitwise the same for every thread count.
 */
public final class PreciseCrossEntropy {
    private static final VectorSpecies<Double> D = Simd.FLOATS.withLanes(double.class);
    private static final int L = D.length();
    private static final DoubleVector LANES = DoubleVector.zero(D).addIndex(1);
    /** Multiply-adds per chunk of rows: enough to amortise a task, few enough to balance threads. */
    private static final long WORK_PER_CHUNK = 1 << 20;
    /** Below {@code exp(-346)} the target's exponential is too small to divide by ({@code K e^346} stays finite). */
    private static final double SAFE_TARGET_GAP = -346;

    private final double tau;
    private final boolean unitRows;
    private final WorkPool pool;

    private PreciseCrossEntropy(double tau, boolean unitRows, WorkPool pool) {
        if (!(tau > 0 && tau < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("tau must be finite and > 0, got " + tau);
        }
        this.tau = tau;
        this.unitRows = unitRows;
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    /**
     * The loss of the rows as they are.
     *
     * @param tau the logit scale, finite and > 0
     * @throws IllegalArgumentException for another tau
     */
    public static PreciseCrossEntropy of(double tau, WorkPool pool) {
        return new PreciseCrossEntropy(tau, false, pool);
    }

    /**
     * The loss of the rows divided by their norms: of the points on the sphere that float32
     * rows stand for.
     *
     * @param tau the logit scale, finite and > 0
     * @throws IllegalArgumentException for another tau
     */
    public static PreciseCrossEntropy onUnitRows(double tau, WorkPool pool) {
        return new PreciseCrossEntropy(tau, true, pool);
    }

    /**
     * The mean loss over the N rows of {@code h} (N x d) against the classes of {@code w} (K x d).
     *
     * @throws IllegalArgumentException for shapes that do not match, N or K of 0 or above 2^31 - 1,
     *                                  a label outside {@code [0, K)}, or memory the pool cannot read
     */
    public double meanLoss(FloatMatrix w, FloatMatrix h, Labels y) {
        check(w, h, y);
        int k = (int) w.rows(), n = (int) h.rows();
        Classes classes = new Classes(w, unitRows);
        long rowsPerChunk = Math.max(1, WORK_PER_CHUNK / ((long) k * w.cols()));
        int chunks = (int) ((n + rowsPerChunk - 1) / rowsPerChunk);
        double[] partials = new double[chunks];
        pool.run(chunks, c -> {
            double[] row = new double[w.cols()];
            double sum = 0;
            for (long i = c * rowsPerChunk, end = Math.min(n, (c + 1) * rowsPerChunk); i < end; i++) {
                double norm = read(h, i, unitRows, row);
                sum += rowLoss(classes, row, norm, y.get(i));
            }
            partials[c] = sum;
        });
        double total = 0;
        for (double p : partials) {
            total += p;
        }
        return total / n;
    }

    /** W in float64 as d rows of {@code padded} classes (the padding 0, masked out wherever read), and its largest row norm. */
    private static final class Classes {
        final int count;
        final int padded;
        final double[] transposed;
        final double[] row; // row k of W, for the target's logit
        final int dim;
        double maxNorm;

        Classes(FloatMatrix w, boolean unitRows) {
            count = (int) w.rows();
            dim = w.cols();
            padded = (count + L - 1) / L * L;
            transposed = new double[dim * padded];
            row = new double[count * dim];
            double[] r = new double[dim];
            for (int c = 0; c < count; c++) {
                maxNorm = Math.max(maxNorm, read(w, c, unitRows, r));
                for (int j = 0; j < dim; j++) {
                    transposed[j * padded + c] = r[j];
                    row[c * dim + j] = r[j];
                }
            }
        }
    }

    /** Row i of {@code m} in float64, divided by its norm when {@code unit} (a zero row stays 0); returns the row's norm after that. */
    private static double read(FloatMatrix m, long i, boolean unit, double[] row) {
        double squares = 0;
        for (int j = 0; j < row.length; j++) {
            row[j] = m.get(i, j);
            squares += row[j] * row[j];
        }
        double norm = Math.sqrt(squares);
        if (unit && norm > 0) {
            for (int j = 0; j < row.length; j++) {
                row[j] /= norm;
            }
            return 1;
        }
        return norm;
    }

    /**
     * {@code lse - z_y} of one feature row: in one pass, the exponentials shifted by the bound
     * {@code tau |h| max |w_k| >= z_k} (Cauchy-Schwarz), so none overflows; where the target's
     * logit lies so far below the bound that its exponential could underflow, a pass for the
     * max logit first.
     */
    private double rowLoss(Classes w, double[] h, double norm, int label) {
        double target = 0;
        for (int j = 0; j < h.length; j++) {
            target = Math.fma(w.row[label * w.dim + j], h[j], target);
        }
        target *= tau;
        double shift = tau * norm * w.maxNorm;
        if (target - shift < SAFE_TARGET_GAP) {
            shift = maxLogit(w, h);
        }
        DoubleVector others = DoubleVector.zero(D);
        int full = w.count / L * L;
        for (int c = 0; c < full; c += L) {
            DoubleVector e = logits(w, h, c).sub(shift).lanewise(VectorOperators.EXP);
            others = label - c >= 0 && label - c < L ? others.add(e, LANES.compare(VectorOperators.NE, label - c))
                    : others.add(e);
        }
        if (full < w.count) {
            VectorMask<Double> counted = D.indexInRange(full, w.count).and(LANES.compare(VectorOperators.NE,
                    label - full));
            others = others.add(logits(w, h, full).sub(shift).lanewise(VectorOperators.EXP), counted);
        }
        double sum = RowVectors.sum(others); // sum over k != y of exp(z_k - shift)
        double gap = target - shift;         // <= 0, and >= SAFE_TARGET_GAP unless the target is far below the max
        return gap >= SAFE_TARGET_GAP ? Math.log1p(sum / Math.exp(gap)) : Math.log(sum + Math.exp(gap)) - gap;
    }

    private double maxLogit(Classes w, double[] h) {
        DoubleVector max = DoubleVector.broadcast(D, Double.NEGATIVE_INFINITY);
        for (int c = 0; c < w.padded; c += L) {
            max = max.max(logits(w, h, c).blend(Double.NEGATIVE_INFINITY, D.indexInRange(c, w.count).not()));
        }
        return max.reduceLanes(VectorOperators.MAX);
    }

    /** {@code tau <h, w_c..c+L>} for the L classes from c. */
    private DoubleVector logits(Classes w, double[] h, int c) {
        DoubleVector acc = DoubleVector.zero(D);
        for (int j = 0; j < h.length; j++) {
            acc = DoubleVector.fromArray(D, w.transposed, j * w.padded + c).fma(DoubleVector.broadcast(D, h[j]), acc);
        }
        return acc.mul(tau);
    }

    private void check(FloatMatrix w, FloatMatrix h, Labels y) {
        Objects.requireNonNull(w, "classifier W");
        Objects.requireNonNull(h, "features H");
        Objects.requireNonNull(y, "labels y");
        if (w.rows() < 1 || w.rows() > Integer.MAX_VALUE || h.rows() < 1 || h.rows() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the precise loss needs 1 to 2^31 - 1 classes and feature rows, got K = "
                    + w.rows() + ", N = " + h.rows());
        }
        if (h.cols() != w.cols()) {
            throw new IllegalArgumentException("features H are " + h.rows() + " x " + h.cols() + " but classifier W is "
                    + w.rows() + " x " + w.cols() + ": the dimensions differ");
        }
        if (y.length() != h.rows()) {
            throw new IllegalArgumentException(y.length() + " labels for " + h.rows() + " feature rows");
        }
        MatrixChecks.requireShared(pool, h, "features H");
        pool.requireShared(y.segment(), "labels y");
        for (long i = 0; i < y.length(); i++) {
            int label = y.get(i);
            if (label < 0 || label >= w.rows()) {
                throw new IllegalArgumentException("label y[" + i + "] = " + label + " is outside [0, " + w.rows() + ")");
            }
        }
    }

    @Override
    public String toString() {
        return "PreciseCrossEntropy[tau " + tau + (unitRows ? ", on unit rows" : "") + ", " + pool.threads()
                + " threads]";
    }
}
