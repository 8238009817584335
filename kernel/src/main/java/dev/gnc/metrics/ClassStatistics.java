package dev.gnc.metrics;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.Labels;
import dev.gnc.core.WorkPool;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Per-class statistics of features H ({@code N x d}) with labels y (N values in {@code [0, K)}),
 * all float64:
 * <ul>
 *   <li>{@code n_k}, the samples of class k, and the class means {@code mu_k} ({@code K x d});</li>
 *   <li>the global mean {@code mu_G = (1/N) sum_i h_i}, the mean over samples; it equals the mean
 *       of the class means {@code (1/K) sum_k mu_k} when the classes are balanced, and is their
 *       {@code n_k}-weighted mean otherwise;</li>
 *   <li>the within-class scatter {@code Sigma_W = (1/N) sum_i (h_i - mu_{y_i})(h_i - mu_{y_i})^T};</li>
 *   <li>the between-class scatter {@code Sigma_B = (1/K) sum_k (mu_k - mu_G)(mu_k - mu_G)^T},
 *       of rank at most {@code min(K - 1, d)} because every {@code mu_k - mu_G} lies in the span
 *       of the differences of the means.</li>
 * </ul>
 *
 * <p>One streaming pass over H, split into one contiguous range of rows per thread of the pool.
 * Each range accumulates its own partial sums; they are merged in range order, so the results are
 * bitwise identical run to run for a given thread count (and differ between thread counts only by
 * rounding). The class-by-class work after the pass is cut into a fixed number of chunks that does
 * not depend on the pool.
 *
 * <p>Precision: {@code Sigma_W} is not computed as {@code sum h h^T - sum_k n_k mu_k mu_k^T}.
 * That difference cancels catastrophically: its terms are of size {@code ||h||^2} while the result
 * is of the size of the spread within classes, which is what vanishes as features collapse: it
 * loses {@code log10(||h||^2 / spread^2)} digits, 8 of float64's 16 for unit features with a
 * spread of 1e-4 and 12 for features at distance 100 from the origin. Instead every sample is
 * shifted by a sample of its own class, the first one, {@code s_k}: the pass accumulates
 * {@code a_k = sum (h - s_k)} and {@code S = sum (h - s_k)(h - s_k)^T}, and
 * {@code N Sigma_W = S - sum_k a_k a_k^T / n_k} (Chan, Golub and LeVeque's shifted data). The
 * terms are now of the size of the spread; the subtraction removes
 * {@code sum_k n_k (mu_k - s_k)(mu_k - s_k)^T}, which for a shift drawn from the class is about as
 * large as what remains, so it costs about one bit instead of {@code log2(||mu||^2 / spread)}.
 * A far outlier as the first sample of its class costs its squared distance in units of the spread.
 *
 * <p>Memory: besides the {@code K x d} float64 means, one {@code K x d} float64 partial per
 * thread while the pass runs.
 */
public final class ClassStatistics {
    private static final ValueLayout.OfDouble DOUBLE = ValueLayout.JAVA_DOUBLE;
    private static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED;
    /** Chunks of the class-by-class work: enough to keep a few threads busy, few d x d partials. */
    private static final int CLASS_CHUNKS = 16;

    private final int classes;
    private final int dimensions;
    private final long samples;
    private final long[] counts;
    private final MemorySegment means;
    private final double[] globalMean;
    private final double[] withinScatter;
    private final double[] betweenScatter;

    private ClassStatistics(int classes, int dimensions, long samples, long[] counts, MemorySegment means,
            double[] globalMean, double[] withinScatter, double[] betweenScatter) {
        this.classes = classes;
        this.dimensions = dimensions;
        this.samples = samples;
        this.counts = counts;
        this.means = means;
        this.globalMean = globalMean;
        this.withinScatter = withinScatter;
        this.betweenScatter = betweenScatter;
    }

    /**
     * The statistics of features {@code h} ({@code N x d}) with labels {@code y} ({@code N} values
     * in {@code [0, classes)}), computed on {@code pool}; the class means are allocated in
     * {@code arena}.
     *
     * @throws IllegalArgumentException before any work, naming the offending value: a label
     *                                  outside {@code [0, classes)} (with its position), a class
     *                                  without samples, {@code y.length() != h.rows()}, a
     *                                  non-finite feature, or inputs in a confined arena with a
     *                                  multi-threaded pool
     */
    public static ClassStatistics compute(FloatMatrix h, Labels y, int classes, WorkPool pool, Arena arena) {
        LabelCensus census = CollapseInputs.features(h, y, classes, pool);
        Objects.requireNonNull(arena, "arena");
        int d = h.cols();
        long n = h.rows();
        int tasks = (int) Math.min(pool.threads(), n);
        try (Arena work = Arena.ofShared()) {
            ShiftedSums[] partials = new ShiftedSums[tasks];
            for (int t = 0; t < tasks; t++) {
                partials[t] = new ShiftedSums(work, classes, d);
            }
            pool.run(tasks, t -> partials[t].add(h, y, census.firstRows(), t * n / tasks, (t + 1) * n / tasks));

            int chunks = Math.min(classes, CLASS_CHUNKS);
            ClassMerge[] merged = new ClassMerge[chunks];
            pool.run(chunks, c -> merged[c] = ClassMerge.of(h, census, partials, from(c, chunks, classes),
                    from(c + 1, chunks, classes)));
            // partials[0].sums now holds the means
            double[] global = new double[d];
            double[] scatter = partials[0].scatter.clone();
            for (int t = 1; t < tasks; t++) {
                UpperTriangle.add(scatter, partials[t].scatter, d);
            }
            for (ClassMerge m : merged) {
                for (int p = 0; p < d; p++) {
                    global[p] += m.total[p];
                }
                for (int i = 0; i < d * d; i++) {
                    scatter[i] -= m.correction[i];
                }
            }
            for (int p = 0; p < d; p++) {
                global[p] /= n;
            }
            for (int i = 0; i < d * d; i++) {
                scatter[i] /= n;
            }
            UpperTriangle.mirror(scatter, d);

            MemorySegment meanSums = partials[0].sums;
            double[][] between = new double[chunks][];
            pool.run(chunks, c -> between[c] = betweenScatter(meanSums, global, from(c, chunks, classes),
                    from(c + 1, chunks, classes)));
            double[] betweenTotal = new double[d * d];
            for (double[] b : between) {
                UpperTriangle.add(betweenTotal, b, d);
            }
            for (int i = 0; i < d * d; i++) {
                betweenTotal[i] /= classes;
            }
            UpperTriangle.mirror(betweenTotal, d);

            MemorySegment means = arena.allocate(DOUBLE, (long) classes * d);
            MemorySegment.copy(meanSums, 0, means, 0, means.byteSize());
            return new ClassStatistics(classes, d, n, census.counts(), means, global, scatter, betweenTotal);
        }
    }

    private static int from(int chunk, int chunks, int classes) {
        return (int) ((long) chunk * classes / chunks);
    }

    /**
     * The merge of the pass for classes {@code [k0, k1)}: sums the tasks' {@code a_k} in task
     * order, turns them into means in {@code partials[0]}, and keeps this chunk's part of
     * {@code sum_k a_k a_k^T / n_k} (the correction of S) and of {@code sum_i h_i}.
     */
    private record ClassMerge(double[] correction, double[] total) {
        static ClassMerge of(FloatMatrix h, LabelCensus census, ShiftedSums[] partials, int k0, int k1) {
            int d = h.cols();
            double[] correction = new double[d * d];
            double[] total = new double[d];
            double[] a = new double[d];
            double[] aOverN = new double[d];
            MemorySegment out = partials[0].sums;
            for (int k = k0; k < k1; k++) {
                long at = (long) k * d;
                long shiftAt = h.byteOffset(census.firstRows()[k], 0);
                double nk = census.counts()[k];
                for (int p = 0; p < d; p++) {
                    double sum = 0;
                    for (ShiftedSums partial : partials) {
                        sum += partial.sums.getAtIndex(DOUBLE, at + p);
                    }
                    double shift = h.segment().get(FLOAT, shiftAt + (long) p * Float.BYTES);
                    a[p] = sum;
                    aOverN[p] = sum / nk;
                    total[p] += nk * shift + sum;
                    out.setAtIndex(DOUBLE, at + p, shift + sum / nk);
                }
                UpperTriangle.addOuter(correction, d, aOverN, a);
            }
            return new ClassMerge(correction, total);
        }
    }

    /** {@code sum_k (mu_k - mu_G)(mu_k - mu_G)^T} over classes {@code [k0, k1)}, upper triangle. */
    private static double[] betweenScatter(MemorySegment means, double[] global, int k0, int k1) {
        int d = global.length;
        double[] b = new double[d * d];
        double[] c = new double[d];
        for (int k = k0; k < k1; k++) {
            for (int p = 0; p < d; p++) {
                c[p] = means.getAtIndex(DOUBLE, (long) k * d + p) - global[p];
            }
            UpperTriangle.addOuter(b, d, c, c);
        }
        return b;
    }

    /** K, the number of classes. */
    public int classes() {
        return classes;
    }

    /** d, the feature dimension. */
    public int dimensions() {
        return dimensions;
    }

    /** N, the number of samples. */
    public long samples() {
        return samples;
    }

    /** {@code n_k}, the samples of class {@code k}. */
    public long count(int k) {
        return counts[Objects.checkIndex(k, classes)];
    }

    /** {@code mu_k}, the mean of class {@code k}, as a new array of d values. */
    public double[] mean(int k) {
        Objects.checkIndex(k, classes);
        return means.asSlice((long) k * dimensions * Double.BYTES, (long) dimensions * Double.BYTES).toArray(DOUBLE);
    }

    /** All class means, {@code K x d} float64 row-major ({@code mu_k[p]} at index {@code k d + p}), read-only. */
    public MemorySegment means() {
        return means.asReadOnly();
    }

    /** {@code mu_G}, the mean of all samples, as a new array of d values. */
    public double[] globalMean() {
        return globalMean.clone();
    }

    /** {@code Sigma_W}, {@code d x d} row-major, exactly symmetric, as a new array. */
    public double[] withinClassScatter() {
        return withinScatter.clone();
    }

    /** {@code Sigma_B}, {@code d x d} row-major, exactly symmetric, as a new array. */
    public double[] betweenClassScatter() {
        return betweenScatter.clone();
    }

    @Override
    public String toString() {
        return "ClassStatistics[K = " + classes + ", d = " + dimensions + ", N = " + samples + "]";
    }
}
