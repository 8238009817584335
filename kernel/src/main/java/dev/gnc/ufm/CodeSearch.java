package dev.gnc.ufm;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.Labels;
import dev.gnc.core.RandomMatrices;
import dev.gnc.core.WorkPool;
import dev.gnc.gemm.Backend;
import dev.gnc.gemm.Gemm;
import dev.gnc.gemm.ProductScan;
import dev.gnc.loss.CrossEntropy;
import dev.gnc.metrics.MaxCosine;
import dev.gnc.metrics.OneVsRestDistance;
import dev.gnc.metrics.OneVsRestResult;
import dev.gnc.optim.ArmijoLineSearch;
import dev.gnc.optim.LineSearchStep;
import dev.gnc.sphere.Oblique;
import java.lang.foreign.Arena;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * A search for a softmax code: K unit vectors in R^d that maximise the margin {@code min_k
 * rho_k(W)} (DESIGN.md). Each restart trains the tied spherical UFM (H = W, one feature per class,
 * {@link UfmVariant#TIED}) from its own random start through a schedule of stages of rising tau,
 * and the restart whose certified margin ({@link OneVsRestDistance}) is largest wins.
 *
 * <p>A stage at scale tau runs up to {@code stepsPerStage} steps of a conjugate-gradient
 * {@link ArmijoLineSearch} on the oblique manifold, and ends early when no trial lowers the loss:
 * the line search decides the trials its float32 loss cannot see on {@link UfmObjective}'s float64
 * value, so a stage ends only where the float32 gradient stops being a descent direction, a few
 * 1e-8 from the code.
 *
 * <p>The schedule: the first stage runs at {@code initialTau}; stage i after it runs at {@code tau_i
 * = sharpness_i / (1 - max cos)}, the code's current max cosine, so the logit gap between the
 * nearest classes is {@code sharpness_i} whatever K and d are. A larger sharpness pulls the code
 * towards the max-min margin (the softmax code is the limit tau -> infinity), but float32
 * gradients of pairs {@code tau (1 - cos) > ~40} apart underflow (their squares, in the gradient
 * norm, first), so the default stops at 30. The first stage's tau decides which basin a restart
 * settles in: at the default 10, every restart of 8 finds E8 (K = 240, d = 8) and 7 of 8 the
 * 600-cell (K = 120, d = 4), against 5 of 8 and 7 of 8 from tau 3 (docs/CODES.md).
 *
 * <p>Restart r starts from the uniformly random unit rows of seed {@code seed + r *
 * 0x9E3779B97F4A7C15L} (restart 0 from {@code seed} itself, the start of {@code gnc train --variant
 * tied --seed seed}). Restarts run side by side on the pool's threads, each on
 * {@code max(1, threads / min(threads, restarts))} threads of its own, so the result is bitwise
 * the same for a given seed and thread count (and for any thread count up to the restart count).
 */
public final class CodeSearch {
    /** The stride between restarts' seeds (2^64 / golden ratio), far apart for RandomMatrices's per-chunk streams. */
    static final long SEED_STRIDE = 0x9E3779B97F4A7C15L;
    /**
     * From this many classes the defaults budget for one long restart: a step costs K^2 d, so 8
     * restarts of 4 stages of 2000 steps would take days at K = 10^5, and there the margin
     * settles within some 60 steps a stage (docs/CODES.md).
     */
    public static final int LARGE = 10_000;

    private final int classes;
    private final int dim;
    private final WorkPool pool;
    private final int restarts;
    private final long seed;
    private final double initialTau;
    private final double[] sharpness;
    private final int stepsPerStage;
    private final Gemm gemm;
    private final LongConsumer progress;

    private CodeSearch(Builder b) {
        this.classes = b.classes;
        this.dim = b.dim;
        this.pool = b.pool;
        this.restarts = b.restarts;
        this.seed = b.seed;
        this.initialTau = b.initialTau;
        this.sharpness = b.sharpness.clone();
        this.stepsPerStage = b.stepsPerStage;
        this.gemm = b.gemm != null ? b.gemm : Backend.get().gemm();
        this.progress = b.progress;
    }

    /**
     * A search for K classes in dimension d on {@code pool}'s threads.
     *
     * @throws IllegalArgumentException for K &lt; 2 or d &lt; 1
     */
    public static Builder builder(int classes, int dim, WorkPool pool) {
        return new Builder(classes, dim, pool);
    }

    /** The seed of restart r's random start. */
    public static long restartSeed(long seed, int restart) {
        return seed + restart * SEED_STRIDE;
    }

    /**
     * Runs every restart and returns the best code, copied into {@code arena}.
     *
     * @param arena where the result's W lives: shared when the pool has several threads
     * @throws IllegalArgumentException for a confined arena and a pool of several threads
     */
    public CodeSearchResult search(Arena arena) {
        Objects.requireNonNull(arena, "arena");
        FloatMatrix best = FloatMatrix.allocate(arena, classes, dim);
        pool.requireShared(best.segment(), "the search's arena");
        int concurrent = Math.min(pool.threads(), restarts);
        int inner = Math.max(1, pool.threads() / concurrent);
        double[] margins = new double[restarts];
        Kept kept = new Kept();
        pool.run(restarts, r -> {
            try (WorkPool own = WorkPool.create(inner); Arena scratch = Arena.ofShared()) {
                FloatMatrix w = restart(restartSeed(seed, r), own, scratch);
                OneVsRestResult distances = OneVsRestDistance.builder(own).scan(new ProductScan(gemm, 256, 512))
                        .build().compute(w);
                margins[r] = distances.min();
                kept.offer(r, distances, w, best);
            }
        });
        return new CodeSearchResult(best, kept.distances, kept.restart, margins);
    }

    /**
     * The best restart so far, its code copied into the result: only one code is held beside the
     * running ones, and the order restarts finish in does not matter (larger margin, then smaller index).
     */
    private static final class Kept {
        int restart = -1;
        OneVsRestResult distances;

        synchronized void offer(int r, OneVsRestResult d, FloatMatrix w, FloatMatrix into) {
            if (restart < 0 || d.min() > distances.min() || (d.min() == distances.min() && r < restart)) {
                restart = r;
                distances = d;
                into.copyFrom(w);
            }
        }
    }

    /** One restart: the stages from the random start of {@code startSeed}; returns W in {@code arena}. */
    private FloatMatrix restart(long startSeed, WorkPool own, Arena arena) {
        UfmLayout layout = new UfmLayout(new SphericalUfm(classes, 1, dim), UfmVariant.TIED, null);
        FloatMatrix w = RandomMatrices.unitRows(arena, classes, dim, startSeed, own);
        FloatMatrix tiedScratch = FloatMatrix.allocate(arena, classes, dim);
        Labels labels = UfmTraining.identityLabels(arena, classes);
        ArmijoLineSearch search = ArmijoLineSearch.builder(Oblique.normalising(own)).conjugate(true)
                .build(arena, classes, dim);
        double step = 1; // the first trial step of a stage: the last one the search accepted
        for (int stage = 0; stage <= sharpness.length; stage++) {
            double tau = stage == 0 ? initialTau : sharpness[stage - 1] / Math.max(1e-6,
                    1 - MaxCosine.of(w, new ProductScan(gemm, 256, 512), own));
            CrossEntropy ce = CrossEntropy.builder(tau).pool(own).gemm(gemm).checkFinite(false).build();
            UfmObjective loss = new UfmObjective(layout, ce, labels, tiedScratch);
            search.restart(step);
            int i = 0;
            while (i < stepsPerStage) {
                LineSearchStep s = search.step(loss, w);
                i++;
                progress.accept(1);
                if (!s.moved()) {
                    break; // no trial passes even on slopes: converged to the gradient's precision
                }
                step = s.step();
            }
            progress.accept(stepsPerStage - i); // a stage that ended early counts whole
        }
        return w;
    }

    @Override
    public String toString() {
        return "CodeSearch[K " + classes + ", d " + dim + ", " + restarts + " restarts from seed " + seed + ", tau "
                + initialTau + " then sharpness " + Arrays.toString(sharpness) + ", at most " + stepsPerStage
                + " conjugate-gradient steps per stage]";
    }

    /** Settings of a search; every one but K, d and the pool has a default. */
    public static final class Builder {
        private final int classes;
        private final int dim;
        private final WorkPool pool;
        private int restarts;
        private long seed = 1;
        private double initialTau = 10;
        private double[] sharpness;
        private int stepsPerStage;
        private Gemm gemm;
        private LongConsumer progress = done -> {
        };

        private Builder(int classes, int dim, WorkPool pool) {
            if (classes < 2) {
                throw new IllegalArgumentException("a code needs at least 2 classes, got " + classes);
            }
            if (dim < 1) {
                throw new IllegalArgumentException("a code needs a dimension of at least 1, got " + dim);
            }
            this.classes = classes;
            this.dim = dim;
            this.pool = Objects.requireNonNull(pool, "pool");
            boolean large = classes >= LARGE;
            this.restarts = large ? 1 : 8;
            this.sharpness = large ? new double[] {10, 30} : new double[] {2, 10, 30};
            this.stepsPerStage = large ? 60 : 2000;
        }

        /** Independent runs from different random starts, >= 1 (default 8, or 1 from {@link #LARGE} classes). */
        public Builder restarts(int restarts) {
            if (restarts < 1) {
                throw new IllegalArgumentException("restarts must be >= 1, got " + restarts);
            }
            this.restarts = restarts;
            return this;
        }

        /** The seed of restart 0; restart r uses {@link #restartSeed restartSeed(seed, r)} (default 1). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Tau of the first stage, from the random start: finite and > 0 (default 10). */
        public Builder initialTau(double tau) {
            if (!(tau > 0 && tau < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("tau must be finite and > 0, got " + tau);
            }
            this.initialTau = tau;
            return this;
        }

        /**
         * The stages after the first, each a logit gap {@code s = tau (1 - max cos)} between the
         * nearest classes: finite and > 0, possibly none (default 2, 10, 30, or 10, 30 from {@link #LARGE} classes,
         * where a stage at sharpness 2 would run at a lower tau than the first).
         */
        public Builder sharpness(double... sharpness) {
            for (double s : sharpness) {
                if (!(s > 0 && s < Double.POSITIVE_INFINITY)) {
                    throw new IllegalArgumentException("sharpness must be finite and > 0, got " + s);
                }
            }
            this.sharpness = sharpness.clone();
            return this;
        }

        /** At most this many line-search steps in each stage, >= 1 (default 2000, or 60 from {@link #LARGE} classes). */
        public Builder stepsPerStage(int steps) {
            if (steps < 1) {
                throw new IllegalArgumentException("steps per stage must be >= 1, got " + steps);
            }
            this.stepsPerStage = steps;
            return this;
        }

        /** The GEMM backend (default {@link Backend#get()}'s). */
        public Builder gemm(Gemm gemm) {
            this.gemm = Objects.requireNonNull(gemm, "gemm");
            return this;
        }

        /**
         * Told the line-search steps done, from any of the pool's threads: {@link #totalSteps}
         * in all, a stage that ends early counted whole as it ends.
         */
        public Builder progress(LongConsumer stepsDone) {
            this.progress = Objects.requireNonNull(stepsDone, "progress");
            return this;
        }

        /** The steps {@link #progress} is told in all: restarts x stages x steps per stage. */
        public long totalSteps() {
            return (long) restarts * (1 + sharpness.length) * stepsPerStage;
        }

        public CodeSearch build() {
            return new CodeSearch(this);
        }
    }
}
