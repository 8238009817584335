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
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
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
 *
 * <p>A long search can stop ({@link Builder#stop}) and continue: each restart offers its state
 * (its code, stage, tau and line-search state, {@link CodeRestartState}) to {@link
 * CodeCheckpoints} after every step, and a search with the same settings and checkpoints picks
 * every restart up where it was, to the same bits.
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
    private final CodeCheckpoints checkpoints;
    private final BooleanSupplier stop;

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
        this.checkpoints = b.checkpoints;
        this.stop = b.stop;
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
     * Runs every restart and returns the best code, copied into {@code arena}; or empty when the
     * stop was requested before every restart ended (each running one offered its state to the
     * checkpoints as it stopped, so a search with the same settings continues them).
     *
     * @param arena where the result's W lives: shared when the pool has several threads
     * @throws IllegalArgumentException for a confined arena and a pool of several threads, or a
     *                                  checkpoint of another shape than this search's
     */
    public Optional<CodeSearchResult> search(Arena arena) {
        Objects.requireNonNull(arena, "arena");
        FloatMatrix best = FloatMatrix.allocate(arena, classes, dim);
        pool.requireShared(best.segment(), "the search's arena");
        int concurrent = Math.min(pool.threads(), restarts);
        int inner = Math.max(1, pool.threads() / concurrent);
        double[] margins = new double[restarts];
        Kept kept = new Kept();
        AtomicInteger ended = new AtomicInteger();
        pool.run(restarts, r -> {
            try (WorkPool own = WorkPool.create(inner); Arena scratch = Arena.ofShared()) {
                FloatMatrix w = restart(r, own, scratch);
                if (w == null) {
                    return;
                }
                OneVsRestResult distances = OneVsRestDistance.builder(own).scan(new ProductScan(gemm, 256, 512))
                        .build().compute(w);
                margins[r] = distances.min();
                kept.offer(r, distances, w, best);
                ended.incrementAndGet();
            }
        });
        return ended.get() < restarts ? Optional.empty()
                : Optional.of(new CodeSearchResult(best, kept.distances, kept.restart, margins));
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

    /**
     * Restart r: the stages from its random start, or from its checkpoint; returns W in {@code
     * arena}, or null when the stop was requested first.
     */
    private FloatMatrix restart(int r, WorkPool own, Arena arena) {
        if (stop.getAsBoolean()) {
            return null; // not begun (nothing allocated): its checkpoint, if any, stays as it is
        }
        UfmLayout layout = new UfmLayout(new SphericalUfm(classes, 1, dim), UfmVariant.TIED, null);
        ArmijoLineSearch search = ArmijoLineSearch.builder(Oblique.normalising(own)).conjugate(true)
                .build(arena, classes, dim);
        CodeRestartState saved = checkpoints.load(r, arena);
        FloatMatrix w;
        int stage = 0, stageSteps = 0;
        double tau = Double.NaN;
        double step = 1; // the first trial step of a stage: the last one the search accepted
        if (saved == null) {
            w = RandomMatrices.unitRows(arena, classes, dim, restartSeed(seed, r), own);
        } else {
            w = resume(saved, search);
            if (saved.done()) {
                return w;
            }
            stage = saved.stage();
            stageSteps = saved.stageSteps();
            tau = saved.tau();
            step = saved.lastStep();
        }
        FloatMatrix tiedScratch = FloatMatrix.allocate(arena, classes, dim);
        Labels labels = UfmTraining.identityLabels(arena, classes);
        for (; stage <= sharpness.length; stage++, stageSteps = 0) {
            if (stageSteps == 0) {
                tau = stage == 0 ? initialTau : sharpness[stage - 1] / Math.max(1e-6,
                        1 - MaxCosine.of(w, new ProductScan(gemm, 256, 512), own));
                search.restart(step);
            }
            CrossEntropy ce = CrossEntropy.builder(tau).pool(own).gemm(gemm).checkFinite(false).build();
            UfmObjective loss = new UfmObjective(layout, ce, labels, tiedScratch);
            while (stageSteps < stepsPerStage) {
                if (stop.getAsBoolean()) {
                    checkpoints.offer(state(r, stage, stageSteps, tau, step, search, false, w), true);
                    return null;
                }
                LineSearchStep s = search.step(loss, w);
                stageSteps++;
                progress.accept(1);
                if (s.moved()) {
                    step = s.step();
                } else {
                    // no trial passes even on slopes: converged to the gradient's precision
                    progress.accept(stepsPerStage - stageSteps); // the stage counts whole
                    stageSteps = stepsPerStage;
                }
                checkpoints.offer(state(r, stage, stageSteps, tau, step, search, false, w), false);
            }
        }
        checkpoints.offer(state(r, sharpness.length, stepsPerStage, tau, step, search, true, w), true);
        return w;
    }

    private static CodeRestartState state(int r, int stage, int stageSteps, double tau, double step,
            ArmijoLineSearch search, boolean done, FloatMatrix w) {
        return new CodeRestartState(r, stage, stageSteps, tau, step, search.trialStep(),
                search.previousSquaredNorm(), done, w, search.state());
    }

    /** Checks a checkpoint against this search and takes its line-search state back; returns its code. */
    private FloatMatrix resume(CodeRestartState saved, ArmijoLineSearch search) {
        String which = "the checkpoint of restart " + saved.restart();
        if (saved.code().rows() != classes || saved.code().cols() != dim) {
            throw new IllegalArgumentException(which + " holds a " + saved.code().rows() + " x " + saved.code().cols()
                    + " code, this search is " + classes + " x " + dim);
        }
        if (saved.stage() < 0 || saved.stage() > sharpness.length || saved.stageSteps() < 0
                || saved.stageSteps() > stepsPerStage) {
            throw new IllegalArgumentException(which + " is at step " + saved.stageSteps() + " of stage "
                    + saved.stage() + ", outside this search's " + (1 + sharpness.length) + " stages of "
                    + stepsPerStage + " steps");
        }
        List<FloatMatrix> state = search.state();
        if (saved.lineSearchState().size() != state.size()) {
            throw new IllegalArgumentException(which + " holds " + saved.lineSearchState().size()
                    + " line-search arrays, the search needs " + state.size());
        }
        for (int i = 0; i < state.size(); i++) {
            FloatMatrix from = saved.lineSearchState().get(i);
            if (from.rows() != classes || from.cols() != dim) {
                throw new IllegalArgumentException(which + ": line-search array " + i + " is " + from.rows() + " x "
                        + from.cols() + ", expected " + classes + " x " + dim);
            }
            state.get(i).copyFrom(from);
        }
        search.resume(saved.trialStep(), saved.previousSquaredNorm());
        return saved.code();
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
        private CodeCheckpoints checkpoints = CodeCheckpoints.NONE;
        private BooleanSupplier stop = () -> false;

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

        /**
         * Where restarts load their checkpoints from and offer their state to (default none):
         * a search with the same settings continues from them to the same bits as one never
         * interrupted.
         */
        public Builder checkpoints(CodeCheckpoints checkpoints) {
            this.checkpoints = Objects.requireNonNull(checkpoints, "checkpoints");
            return this;
        }

        /**
         * Asked before every step, from any of the pool's threads: true stops each running
         * restart there, with its state offered to the checkpoints as final, and keeps the
         * others from beginning.
         */
        public Builder stop(BooleanSupplier stop) {
            this.stop = Objects.requireNonNull(stop, "stop");
            return this;
        }

        /** The restarts, as set or by default. */
        public int restarts() {
            return restarts;
        }

        /** The sharpness of the stages after the first, as set or by default. */
        public double[] sharpnessSchedule() {
            return sharpness.clone();
        }

        /** The stages of each restart: the first and one per sharpness. */
        public int stages() {
            return 1 + sharpness.length;
        }

        /** The steps per stage. */
        public int stepsPerStage() {
            return stepsPerStage;
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
