package dev.gnc.metrics;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.WorkPool;
import dev.gnc.gemm.ProductScan;
import java.lang.foreign.Arena;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.LongConsumer;
import java.util.stream.IntStream;

/**
 * Exact, certified one-vs-rest distances {@code rho_k = dist(w_k, conv{w_j : j != k})} for every
 * row of a code W (K x d), in memory O(K d) and without the K x K Gram matrix.
 *
 * <p>Classes are processed in blocks, each by one thread from start to end:
 * <ol>
 * <li>a {@link ProductScan} of the block's rows against all of W keeps each class's m largest
 *     inner products: its nearest neighbours, the candidates;</li>
 * <li>Wolfe's algorithm ({@link MinNormPoint}, float64) finds the point x of smallest norm in
 *     {@code conv{w_k - w_j : j candidate}}; ||x|| bounds rho_k from above;</li>
 * <li>a second scan, of the directions {@code h = x/||x||} against all of W, computes
 *     {@code min_j <w_k - w_j, h>}, a lower bound on rho_k that equals ||x|| exactly when no
 *     class lies closer to w_k's side of the plane through x; classes that do (violators) join
 *     the candidates, most violating first, and the solve repeats.</li>
 * </ol>
 * The scan computes in float32, so it only selects: every j whose float32 product is within a
 * rounding bound of the plane is recomputed in float64 before it counts. The bound is
 * {@code 2 (d + 2) 2^-24 max ||w_j||}, above the error of any float32 summation order
 * ({@code gamma_d}) plus the rounding of h to float32, so no j the scan skips can lower the
 * bound. Ties, which symmetric codes have by the thousand, are therefore all checked in float64.
 *
 * <p>Results do not depend on the thread count: each class's work is sequential, and the scan
 * visits columns in order.
 */
public final class OneVsRestDistance {
    private static final double UNIT_ROUNDOFF = 0x1p-24;
    /** Solves between two scans; each adds at least one candidate, so this only bounds pathological cases. */
    private static final int LOCAL_ROUNDS = 1000;

    private final WorkPool pool;
    private final ProductScan scan;
    private final int candidates;
    private final int nearbyClasses;
    private final int maxRounds;
    private final double tolerance;
    private final int blockClasses;
    private final LongConsumer progress;

    private OneVsRestDistance(Builder b) {
        this.pool = Objects.requireNonNull(b.pool, "pool");
        this.scan = b.scan != null ? b.scan : ProductScan.withDefaults();
        this.candidates = b.candidates;
        this.nearbyClasses = Math.max(b.nearby, b.candidates);
        this.maxRounds = b.maxRounds;
        this.tolerance = b.tolerance;
        this.blockClasses = b.blockClasses;
        this.progress = b.progress;
    }

    /** A builder for distances computed on {@code pool}'s threads. */
    public static Builder builder(WorkPool pool) {
        return new Builder(pool);
    }

    /**
     * The certified distances of every row of {@code w}.
     *
     * @param w K x d, K >= 2, finite, no zero rows (unit rows for {@code 1 - max cos} to bound rho)
     */
    public OneVsRestResult compute(FloatMatrix w) {
        long k = w.rows();
        if (k < 2 || k > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("one-vs-rest distances need 2 to 2^31 - 1 classes, got " + k);
        }
        int classes = (int) k;
        pool.requireShared(w.segment(), "W");
        double largestNorm = validateRows(w);
        Out out = new Out(classes);
        int m = (int) Math.min(candidates, classes - 1L);
        int nearbyCount = (int) Math.min(nearbyClasses, classes - 1L);
        double margin = 2 * (w.cols() + 2) * UNIT_ROUNDOFF * largestNorm;
        HeapRows rows = new HeapRows(w, pool);
        int blocks = (int) ((classes + (long) blockClasses - 1) / blockClasses);
        int[] rounds = new int[blocks];
        pool.run(blocks, b -> {
            int c0 = b * blockClasses;
            int c1 = Math.min(classes, c0 + blockClasses);
            rounds[b] = new Block(w, rows, c0, c1, m, nearbyCount, margin, out).run();
            progress.accept(c1 - c0);
        });
        return new OneVsRestResult(out.rho, out.lower, out.maxCosine, out.nearest, Arrays.stream(rounds).max()
                .orElse(0));
    }

    /** Checks every value is finite and no row is zero; returns the largest row norm. */
    private static double validateRows(FloatMatrix w) {
        double largest = 0;
        for (long i = 0; i < w.rows(); i++) {
            double sq = 0;
            for (int c = 0; c < w.cols(); c++) {
                float v = w.get(i, c);
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("W[" + i + ", " + c + "] = " + v + " is not finite");
                }
                sq += (double) v * v;
            }
            if (sq == 0) {
                throw new IllegalArgumentException("row " + i + " of W is zero: a class needs a direction");
            }
            largest = Math.max(largest, Math.sqrt(sq));
        }
        return largest;
    }

    /** Per-class results; each block writes only its own classes. */
    private record Out(double[] rho, double[] lower, double[] maxCosine, int[] nearest) {
        Out(int classes) {
            this(new double[classes], new double[classes], new double[classes], new int[classes]);
        }
    }

    /** The classes [c0, c1): candidates, solves and certificate rounds, on one thread. */
    private final class Block {
        private final FloatMatrix w;
        private final HeapRows rows;
        private final int d;
        private final int c0;
        private final int size;
        private final int m;
        private final int nearbyCount;
        private final double margin;
        private final Out out;
        private final int[][] chosen;   // candidate classes of each class in the block, ascending
        private final int[][] nearby;   // the nearest classes the first scan kept, checked between scans
        private final double[][] x;     // the min-norm point of each class's candidates' hull (w_k - p)
        private final double[] norm;    // ||x||

        Block(FloatMatrix w, HeapRows rows, int c0, int c1, int m, int nearbyCount, double margin, Out out) {
            this.w = w;
            this.rows = rows;
            this.d = w.cols();
            this.c0 = c0;
            this.size = c1 - c0;
            this.m = m;
            this.nearbyCount = nearbyCount;
            this.margin = margin;
            this.out = out;
            this.chosen = new int[size][];
            this.nearby = new int[size][];
            this.x = new double[size][];
            this.norm = new double[size];
        }

        /** Returns the number of certificate scans run. */
        int run() {
            nearestCandidates();
            int[] pending = new int[size];
            int open = 0;
            for (int r = 0; r < size; r++) {
                converge(r);
                out.lower[c0 + r] = 0; // a distance is >= 0 before any certificate
                if (norm[r] > 0) {
                    pending[open++] = r;
                }
            }
            int round = 0;
            while (open > 0 && round < maxRounds) {
                round++;
                open = certify(Arrays.copyOf(pending, open), pending);
            }
            return round;
        }

        private void nearestCandidates() {
            TopCandidates top = new TopCandidates(size, nearbyCount);
            try (Arena scratch = Arena.ofConfined()) { // the tile lives for this scan only
                scan.scan(w.rows(c0, c0 + size), w, new ProductScan.Visitor() {
                    @Override
                    public float threshold(int r) {
                        return (float) top.threshold(r);
                    }

                    @Override
                    public void accept(int r, long j, float value) {
                        top.offer(r, (int) j, value);
                    }

                    @Override
                    public long skipped(int r) {
                        return c0 + r;
                    }
                }, scratch);
            }
            for (int r = 0; r < size; r++) {
                nearby[r] = top.indices(r);
                chosen[r] = top.indices(r, m);
                int k = c0 + r;
                double best = Double.NEGATIVE_INFINITY;
                int bestClass = -1;
                double normK = Math.sqrt(rows.dot(k, k));
                for (int j : chosen[r]) { // ascending, so ties keep the smallest class; the max is among the nearest
                    double cos = rows.dot(k, j) / (normK * Math.sqrt(rows.dot(j, j)));
                    if (cos > best) {
                        best = cos;
                        bestClass = j;
                    }
                }
                out.maxCosine[k] = best;
                out.nearest[k] = bestClass;
            }
        }

        /**
         * Solves row r over its candidates, then checks the nearby classes in float64 and adds the
         * most violating, until none violates: the cheap rounds, which spare most scans of all of W.
         */
        private void converge(int r) {
            for (int local = 0; local < LOCAL_ROUNDS; local++) {
                solve(r);
                if (norm[r] == 0) {
                    return;
                }
                double[] h = direction(r);
                double onPlane = rows.dot(c0 + r, h);
                TopCandidates violators = new TopCandidates(1, m);
                for (int j : nearby[r]) {
                    double exact = rows.dot(j, h);
                    if (onPlane - exact < norm[r] - tolerance && Arrays.binarySearch(chosen[r], j) < 0) {
                        violators.offer(0, j, exact);
                    }
                }
                if (violators.size(0) == 0) {
                    return;
                }
                chosen[r] = union(chosen[r], violators.indices(0));
            }
        }

        private double[] direction(int r) {
            double[] h = new double[d];
            for (int c = 0; c < d; c++) {
                h[c] = x[r][c] / norm[r];
            }
            return h;
        }

        /** Wolfe over the candidates of row r: sets x, norm and rho. */
        private void solve(int r) {
            int k = c0 + r;
            int[] js = chosen[r];
            double[] points = new double[js.length * d];
            for (int i = 0; i < js.length; i++) {
                rows.difference(k, js[i], points, i * d);
            }
            MinNormPoint.Solution s = MinNormPoint.solve(points, js.length, d);
            x[r] = s.x();
            norm[r] = s.norm();
            out.rho[k] = s.norm();
        }

        /**
         * One certificate pass over the rows {@code open}: tightens their lower bounds, adds their
         * violators to the candidates and solves again. Writes the rows still open to {@code next}
         * and returns how many.
         */
        private int certify(int[] open, int[] next) {
            int n = open.length;
            double[][] h = new double[n][];
            double[] onPlane = new double[n];   // <w_k, h>
            float[] threshold = new float[n];
            double[] least = new double[n];     // min <w_k - w_j, h> over the j checked in float64
            for (int p = 0; p < n; p++) {
                int r = open[p];
                h[p] = direction(r);
                onPlane[p] = rows.dot(c0 + r, h[p]);
                // j needs float64 when <w_j, h> may exceed <w_k, h> - ||x||, the plane through x
                double plane = onPlane[p] - norm[r] - margin;
                float f = (float) plane;
                threshold[p] = f > plane ? Math.nextDown(f) : f;
                least[p] = norm[r];
            }
            TopCandidates violators = new TopCandidates(n, m);
            try (Arena scratch = Arena.ofConfined()) { // the directions and the tile live for this scan only
                FloatMatrix directions = FloatMatrix.allocate(scratch, n, d);
                for (int p = 0; p < n; p++) {
                    for (int c = 0; c < d; c++) {
                        directions.set(p, c, (float) h[p][c]);
                    }
                }
                scan.scan(directions, w, new ProductScan.Visitor() {
                    @Override
                    public float threshold(int p) {
                        return threshold[p];
                    }

                    @Override
                    public void accept(int p, long j, float value) {
                        double exact = rows.dot((int) j, h[p]);
                        double gap = onPlane[p] - exact;
                        least[p] = Math.min(least[p], gap);
                        // candidates that still violate are rounding in a stalled solve: they cannot help again
                        if (gap < norm[open[p]] - tolerance && Arrays.binarySearch(chosen[open[p]], (int) j) < 0) {
                            violators.offer(p, (int) j, exact);
                        }
                    }

                    @Override
                    public long skipped(int p) {
                        return c0 + open[p];
                    }
                }, scratch);
            }
            int stillOpen = 0;
            for (int p = 0; p < n; p++) {
                int r = open[p];
                int k = c0 + r;
                out.lower[k] = Math.max(out.lower[k], least[p]);
                int[] found = violators.indices(p);
                int[] added = union(chosen[r], found);
                if (added.length > chosen[r].length) {
                    chosen[r] = added;
                    nearby[r] = union(nearby[r], found);
                    converge(r);
                    if (norm[r] > 0) {
                        next[stillOpen++] = r;
                    } else {
                        out.lower[k] = 0;
                    }
                }
            }
            return stillOpen;
        }

        /** The union of two index arrays, ascending. */
        private static int[] union(int[] held, int[] found) {
            return IntStream.concat(Arrays.stream(held), Arrays.stream(found)).sorted().distinct().toArray();
        }
    }

    /** Settings; every one has a default. */
    public static final class Builder {
        private final WorkPool pool;
        private ProductScan scan;
        private int candidates = 64;
        private int nearby = 256;
        private int maxRounds = 64;
        private double tolerance = 1e-7;
        private int blockClasses = 256;
        private LongConsumer progress = done -> {
        };

        private Builder(WorkPool pool) {
            this.pool = Objects.requireNonNull(pool, "a WorkPool is required");
        }

        /** Nearest neighbours each class starts from, and violators added per round (default 64). */
        public Builder candidates(int m) {
            if (m < 1) {
                throw new IllegalArgumentException("candidates must be >= 1, got " + m);
            }
            this.candidates = m;
            return this;
        }

        /**
         * Nearest classes the first scan keeps per class (default 256, at least {@link #candidates}):
         * candidates come from them in float64 rounds, without another scan, while they suffice.
         */
        public Builder nearby(int classes) {
            if (classes < 1) {
                throw new IllegalArgumentException("nearby must be >= 1, got " + classes);
            }
            this.nearby = classes;
            return this;
        }

        /** Certificate scans before a class is reported with its gap as it stands (default 64). */
        public Builder maxRounds(int rounds) {
            if (rounds < 1) {
                throw new IllegalArgumentException("maxRounds must be >= 1, got " + rounds);
            }
            this.maxRounds = rounds;
            return this;
        }

        /**
         * The certificate gap worth another round (default 1e-7, about the float32 resolution of unit
         * rows): a class closer than {@code ||x|| - tolerance} along h joins the candidates, one
         * closer by less does not, so every reported gap stays below the tolerance unless
         * {@link #maxRounds} run out. Rounding a symmetric code to float32 turns its exact ties into
         * near-ties ~1e-8 apart, and chasing those costs scans without changing rho by more than that.
         */
        public Builder tolerance(double tolerance) {
            if (!(tolerance > 0) || tolerance == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("tolerance must be finite and > 0, got " + tolerance);
            }
            this.tolerance = tolerance;
            return this;
        }

        /** Classes per task (default 256). */
        public Builder blockClasses(int classes) {
            if (classes < 1) {
                throw new IllegalArgumentException("blockClasses must be >= 1, got " + classes);
            }
            this.blockClasses = classes;
            return this;
        }

        /** The product scan (GEMM backend and tile); default {@link ProductScan#withDefaults()}. */
        public Builder scan(ProductScan scan) {
            this.scan = Objects.requireNonNull(scan, "scan");
            return this;
        }

        /** Told the number of classes each finished block held, from the worker threads. */
        public Builder progress(LongConsumer classesDone) {
            this.progress = Objects.requireNonNull(classesDone, "progress");
            return this;
        }

        public OneVsRestDistance build() {
            return new OneVsRestDistance(this);
        }
    }
}
