package dev.gnc.ufm;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.Labels;
import dev.gnc.core.RandomMatrices;
import dev.gnc.core.WorkPool;
import dev.gnc.gemm.Backend;
import dev.gnc.gemm.Gemm;
import dev.gnc.loss.CrossEntropy;
import dev.gnc.optim.ArmijoLineSearch;
import dev.gnc.optim.LineSearchStep;
import dev.gnc.optim.RiemannianAdam;
import dev.gnc.optim.RiemannianOptimiser;
import dev.gnc.optim.RiemannianSgd;
import dev.gnc.sphere.Oblique;
import dev.gnc.sphere.OnSphereCheck;
import java.lang.foreign.Arena;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * A full-batch training run of the spherical UFM: the points (W and H as {@link UfmLayout} places
 * them), the method that moves them, and where the run stands in its tau schedule. A schedule of
 * S values of tau runs {@code stepsPerStage} steps at each, every stage starting where the last
 * stopped (tau continuation). The caller drives it: {@link #step()} until {@link #done()},
 * {@link #measure} when it wants a {@link TrainingRecord}; the command line adds logs, checkpoints
 * and plots around that loop.
 *
 * <p>Everything that moves is float32 off-heap; for a given seed and thread count two runs are
 * bitwise equal, since every kernel underneath is.
 */
public final class UfmTraining {
    /** Up to this many classes, {@link MarginMode#AUTO} certifies the margin exactly. */
    public static final int EXACT_MARGIN_CLASSES = 20_000;
    /** Up to this many classes, the last measurement certifies the margin exactly (unless {@link MarginMode#NONE}). */
    public static final int FINAL_EXACT_MARGIN_CLASSES = 1_000_000;
    /**
     * Up to this many multiply-adds ({@code K N d}), measuring every feature takes a few seconds at
     * most, and {@link #measureSampleFor} does not sample whatever the cadence.
     */
    private static final double SMALL_MEASURE = 1e9;
    private static final double MOMENTUM = 0.9;

    private final SphericalUfm ufm;
    private final UfmLayout layout;
    private final double[] taus;
    private final int stepsPerStage;
    private final TrainingMethod method;
    private final double learningRate;
    private final WorkPool pool;
    private final Gemm gemm;
    private final Oblique sphere;
    private final Labels labels;
    private final FloatMatrix points;
    private FloatMatrix gradient; // points-shaped, allocated when first needed (a mini-batch run may never)
    private final FloatMatrix tiedScratch;
    private final Arena arena;
    private ArmijoLineSearch lineSearch;
    private final RiemannianOptimiser optimiser;
    private final MiniBatchStep miniBatch; // null for full-batch runs
    private UfmObjective objective;
    private int objectiveStage = -1;
    private long step;
    private double lastStepSize = Double.NaN;
    private final TrainingMeasurement measurement;

    private UfmTraining(Builder b, Arena arena, UfmLayout layout, FloatMatrix points) {
        this.ufm = b.ufm;
        this.layout = layout;
        this.taus = b.taus.clone();
        this.stepsPerStage = b.stepsPerStage;
        this.method = b.method;
        this.learningRate = b.learningRate;
        this.pool = b.pool;
        this.gemm = b.gemm != null ? b.gemm : Backend.get().gemm();
        this.sphere = Oblique.normalising(pool);
        this.arena = arena;
        this.points = points;
        this.labels = b.variant == UfmVariant.TIED ? identityLabels(arena, ufm.classes()) : ufm.labels(arena);
        this.tiedScratch = b.variant == UfmVariant.TIED ? FloatMatrix.allocate(arena, ufm.classes(), ufm.dim()) : null;
        this.lineSearch = method == TrainingMethod.LINE_SEARCH
                ? ArmijoLineSearch.builder(sphere).initialStep(b.learningRate).build(arena, points.rows(), ufm.dim())
                : null;
        // a mini-batch run's optimiser moves W alone (the batch's features take plain RGD steps)
        long moving = b.batch == 0 ? points.rows()
                : b.variant == UfmVariant.FIXED_CLASSIFIER || b.variant == UfmVariant.CLASS_MEANS ? 0 : ufm.classes();
        this.optimiser = moving == 0 ? null : switch (method) {
            case LINE_SEARCH -> null;
            case RGD -> RiemannianSgd.builder(sphere).build(arena, moving, ufm.dim());
            case MOMENTUM -> RiemannianSgd.builder(sphere).momentum(MOMENTUM).build(arena, moving, ufm.dim());
            case ADAM -> RiemannianAdam.builder(sphere).build(arena, moving, ufm.dim());
        };
        this.miniBatch = b.batch == 0 ? null
                : new MiniBatchStep(layout, b.batch, b.seed, b.schedule, b.learningRate, optimiser, sphere, arena);
        int population = (int) labels.length();
        this.measurement = new TrainingMeasurement(layout, labels, b.margin,
                b.measureSample == 0 ? population : b.measureSample, pool, gemm, sphere, arena);
    }

    /** Labels 0, 1, ..., K - 1: the tied variant's, each class its own feature. */
    static Labels identityLabels(Arena arena, int classes) {
        Labels y = Labels.allocate(arena, classes);
        for (int k = 0; k < classes; k++) {
            y.set(k, k);
        }
        return y;
    }

    /** Options; {@link Builder#start} allocates the run. */
    public static Builder builder(SphericalUfm ufm, WorkPool pool) {
        return new Builder(ufm, pool);
    }

    /** Steps taken over all stages. */
    public long steps() {
        return step;
    }

    /** Total steps of the schedule. */
    public long totalSteps() {
        return (long) stepsPerStage * taus.length;
    }

    public boolean done() {
        return step >= totalSteps();
    }

    /** The stage the next step belongs to (the last one once done). */
    public int stage() {
        return (int) Math.min(taus.length - 1, step / stepsPerStage);
    }

    public double tau() {
        return taus[stage()];
    }

    /** The classifier W, K x d (a view of the points, or the fixed classifier). */
    public FloatMatrix classifier() {
        return layout.classifier(points);
    }

    /** The features H, nK x d (for the tied variant, W itself). */
    public FloatMatrix features() {
        return layout.features(points);
    }

    /** The label of every feature row: {@code r / n}, or {@code r} for the tied variant (H = W). */
    public Labels labels() {
        return labels;
    }

    public SphericalUfm ufm() {
        return ufm;
    }

    /** The step the line search tries next, or NaN for the fixed-step methods: part of a checkpoint. */
    public double trialStep() {
        return lineSearch == null ? Double.NaN : lineSearch.trialStep();
    }

    /** The optimiser's state as live views (see {@link RiemannianOptimiser#state()}): what a checkpoint saves. */
    public List<FloatMatrix> optimiserState() {
        return optimiser == null ? List.of() : optimiser.state();
    }

    /** The optimiser's own step count (0 for the line search): part of a checkpoint. */
    public long optimiserSteps() {
        return optimiser == null ? 0 : optimiser.steps();
    }

    /**
     * Continues a run from a checkpoint: the points must already hold the checkpoint's W and H
     * (through {@link Builder#start(Arena, FloatMatrix, FloatMatrix)}); the optimiser's state is
     * copied in from {@code savedState} (as {@link #optimiserState()} listed it).
     *
     * @throws IllegalArgumentException for a step beyond the schedule, or saved state of another
     *                                  count or shape than this run's optimiser holds
     */
    public void resumeAt(long stepsTaken, double trialStep, List<FloatMatrix> savedState, long optimiserSteps) {
        if (stepsTaken < 0 || stepsTaken > totalSteps()) {
            throw new IllegalArgumentException("a checkpoint at step " + stepsTaken + " lies outside this schedule of "
                    + totalSteps() + " steps");
        }
        List<FloatMatrix> state = optimiserState();
        if (savedState.size() != state.size()) {
            throw new IllegalArgumentException("the checkpoint holds " + savedState.size() + " optimiser state arrays, "
                    + method.name().toLowerCase(java.util.Locale.ROOT) + " needs " + state.size());
        }
        for (int i = 0; i < state.size(); i++) {
            FloatMatrix from = savedState.get(i), to = state.get(i);
            if (from.rows() != to.rows() || from.cols() != to.cols()) {
                throw new IllegalArgumentException("optimiser state " + i + " of the checkpoint is " + from.rows() + " x "
                        + from.cols() + ", expected " + to.rows() + " x " + to.cols());
            }
            to.copyFrom(from);
        }
        if (optimiser != null) {
            optimiser.restoreSteps(optimiserSteps);
        }
        if (lineSearch != null) {
            lineSearch.restart(trialStep);
        }
        this.step = stepsTaken;
    }

    /**
     * One update of the points; the first step of a stage switches tau. When the line search can
     * make no more progress (no trial passes, on the loss or on slopes, or the gradient is 0), the
     * stage ends there: {@link #steps()} jumps to the next stage's first step and the call
     * returns true.
     */
    public boolean step() {
        if (done()) {
            throw new IllegalStateException("the schedule's " + totalSteps() + " steps are done");
        }
        refreshClassMeans();
        if (lineSearch != null && step > 0 && step % stepsPerStage == 0) {
            // a new tau is a new objective: a trial step that rounding shrank towards 0 on the last one would stay there
            lineSearch.restart(learningRate);
        }
        UfmObjective f = objective();
        boolean stalled = false;
        if (miniBatch != null) {
            lastStepSize = miniBatch.step(points, f.crossEntropy(), step, totalSteps());
        } else if (lineSearch != null) {
            LineSearchStep s = lineSearch.step(f, points);
            lastStepSize = s.step();
            stalled = !s.moved();
        } else {
            f.valueAndGradient(points, gradient());
            optimiser.step(points, gradient, learningRate);
            lastStepSize = learningRate;
        }
        step = stalled ? (step / stepsPerStage + 1) * stepsPerStage : step + 1;
        return stalled;
    }

    /** For {@link UfmVariant#CLASS_MEANS}: W = the normalised class means of H, from the current H. */
    private void refreshClassMeans() {
        if (layout.variant == UfmVariant.CLASS_MEANS) {
            ClassMeans.write(layout.features(points), ufm.perClass(), layout.classifier(points), pool);
        }
    }

    private FloatMatrix gradient() {
        if (gradient == null) {
            gradient = FloatMatrix.allocate(arena, points.rows(), ufm.dim());
        }
        return gradient;
    }

    private UfmObjective objective() {
        int stage = stage();
        if (stage != objectiveStage) {
            CrossEntropy ce = CrossEntropy.builder(taus[stage]).pool(pool).gemm(gemm).checkFinite(false).build();
            objective = new UfmObjective(layout, ce, labels, tiedScratch);
            objectiveStage = stage;
        }
        return objective;
    }

    /**
     * The metrics at the current points: GNC1 and GNC3 over every feature and class, the max
     * cosine and the margin as {@link MarginMode} says for a log in the middle of the run, and
     * the loss and the accuracies at the current tau, over every feature or over the fixed sample
     * {@link Builder#measureSample} asked for (then with 95% Wilson intervals, and no gradient
     * norm).
     *
     * @param seconds wall time to report, the caller's clock
     */
    public TrainingRecord measure(double seconds) {
        return measure(seconds, false, done -> {
        });
    }

    /**
     * {@link #measure}, with the margin as {@link MarginMode} says for the end of the run: exact
     * and certified up to {@value #FINAL_EXACT_MARGIN_CLASSES} classes. That can take minutes at
     * large K, so {@code classesCertified} is told, from any thread, how many more classes each
     * part of the certificate has done.
     */
    public TrainingRecord measureFinal(double seconds, LongConsumer classesCertified) {
        return measure(seconds, true, Objects.requireNonNull(classesCertified, "progress"));
    }

    private TrainingRecord measure(double seconds, boolean last, LongConsumer classesCertified) {
        refreshClassMeans();
        var at = new TrainingMeasurement.Position(step, stage(), tau(), lastStepSize);
        return measurement.measure(points, objective(), this::gradient, at, seconds, last, classesCertified);
    }

    /**
     * The sample a run should measure its loss and accuracies on, so that a log costs about a
     * tenth of the {@code logEvery} steps before it: {@code population} (every feature) when
     * that fits or costs at most a few seconds, else {@code 0.15 logEvery B} features, at least
     * 1024. A step of B features costs about three passes of {@code B K d} (the forward and the
     * backward's two products), a sampled measurement two of {@code S K d} (the classifier's and
     * the nearest centre's argmax), a whole one five of {@code N K d}.
     *
     * @param population the features of the UFM (K for the tied variant)
     * @param batch      features a step, 0 for full batch
     */
    public static int measureSampleFor(int classes, int dim, int population, int batch, int logEvery) {
        double stepFeatures = batch == 0 ? population : batch;
        double budget = 0.1 * logEvery * 3 * stepFeatures; // feature passes a log may spend
        if ((double) classes * population * dim <= SMALL_MEASURE || 5.0 * population <= budget) {
            return population;
        }
        return (int) Math.min(population, Math.max(1024, budget / 2));
    }

    /** The objective at the current stage, for the tests of the layouts. */
    UfmObjective objectiveForTest() {
        return objective();
    }

    /** The moving points, for the tests. */
    FloatMatrix pointsForTest() {
        return points;
    }

    @Override
    public String toString() {
        return "UfmTraining[" + ufm + ", " + layout.variant + ", " + method + ", tau " + Arrays.toString(taus) + " x "
                + stepsPerStage + " steps, at step " + step + "]";
    }

    /** Settings of a run; every one but the UFM and the pool has a default. */
    public static final class Builder {
        private final SphericalUfm ufm;
        private final WorkPool pool;
        private UfmVariant variant = UfmVariant.JOINT;
        private FloatMatrix fixedClassifier;
        private double[] taus = {30};
        private int stepsPerStage = 1000;
        private TrainingMethod method = TrainingMethod.LINE_SEARCH;
        private double learningRate = 1;
        private MarginMode margin = MarginMode.AUTO;
        private Gemm gemm;
        private int batch;
        private long seed = 1;
        private LearningRateSchedule schedule = LearningRateSchedule.CONSTANT;
        private int measureSample;

        private Builder(SphericalUfm ufm, WorkPool pool) {
            this.ufm = Objects.requireNonNull(ufm, "ufm");
            this.pool = Objects.requireNonNull(pool, "pool");
        }

        /** Which of W and H move (default {@link UfmVariant#JOINT}). */
        public Builder variant(UfmVariant variant) {
            this.variant = Objects.requireNonNull(variant, "variant");
            return this;
        }

        /** The W a {@link UfmVariant#FIXED_CLASSIFIER} run trains against: K x d unit rows, read, never written. */
        public Builder fixedClassifier(FloatMatrix w) {
            this.fixedClassifier = w;
            return this;
        }

        /** The tau schedule: one stage per value, each finite and > 0 (default 30). */
        public Builder taus(double... taus) {
            if (taus.length == 0) {
                throw new IllegalArgumentException("the tau schedule needs at least one value");
            }
            for (double t : taus) {
                if (!(t > 0 && t < Double.POSITIVE_INFINITY)) {
                    throw new IllegalArgumentException("tau must be finite and > 0, got " + t);
                }
            }
            this.taus = taus.clone();
            return this;
        }

        /** Steps at each tau (default 1000). */
        public Builder stepsPerStage(int steps) {
            if (steps < 1) {
                throw new IllegalArgumentException("steps per stage must be >= 1, got " + steps);
            }
            this.stepsPerStage = steps;
            return this;
        }

        /** How steps move the points (default {@link TrainingMethod#LINE_SEARCH}). */
        public Builder method(TrainingMethod method) {
            this.method = Objects.requireNonNull(method, "method");
            return this;
        }

        /** The fixed step of RGD, momentum and Adam, or the line search's first trial step (default 1). */
        public Builder learningRate(double lr) {
            if (!(lr > 0 && lr < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("the learning rate must be finite and > 0, got " + lr);
            }
            this.learningRate = lr;
            return this;
        }

        /** How {@link #measure} gets the margin (default {@link MarginMode#AUTO}). */
        public Builder margin(MarginMode mode) {
            this.margin = Objects.requireNonNull(mode, "margin");
            return this;
        }

        /**
         * Mini-batch training with B features a step (default 0: full batch). Needs a fixed-step
         * method: a line search needs the full objective.
         */
        public Builder batch(int features) {
            if (features < 0) {
                throw new IllegalArgumentException("the batch must be >= 1 features (or 0 for full batch), got "
                        + features);
            }
            this.batch = features;
            return this;
        }

        /** The seed of the random start and of the batches (default 1). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** The learning rate over the run, for mini-batch training (default constant). */
        public Builder schedule(LearningRateSchedule schedule) {
            this.schedule = Objects.requireNonNull(schedule, "schedule");
            return this;
        }

        /**
         * Features the loss and accuracies of {@link #measure} are taken over: a fixed sample,
         * drawn once, of this many, or 0 (the default) for every feature. GNC1, GNC3 and the
         * margin always take every feature and class. See {@link #measureSampleFor} for a size
         * that keeps measuring cheap.
         */
        public Builder measureSample(int features) {
            if (features < 0) {
                throw new IllegalArgumentException("the measurement sample must be >= 1 features (or 0 for all), got "
                        + features);
            }
            this.measureSample = features;
            return this;
        }

        /**
         * The memory the run will hold at its peak, by part (bytes, in the order they are listed),
         * estimated from the settings alone: the arrays {@link #start} allocates and the largest
         * workspace of a step or a measurement. A caller compares its sum with the machine
         * before starting a run that would not fit.
         */
        public java.util.Map<String, Long> estimatedMemory() {
            return TrainingMemory.parts(ufm, variant, method, batch, measureSample == 0 ? population() : measureSample,
                    pool.threads());
        }

        /** The GEMM backend (default {@link Backend#get()}'s). */
        public Builder gemm(Gemm gemm) {
            this.gemm = Objects.requireNonNull(gemm, "gemm");
            return this;
        }

        /** A run from uniformly random unit rows drawn from {@code seed} (the same for any thread count). */
        public UfmTraining start(Arena arena, long seed) {
            seed(seed);
            checkFixedClassifier();
            checkSizes();
            UfmLayout layout = layout(arena); // allocates: after the checks
            return new UfmTraining(this, arena, layout, RandomMatrices.unitRows(arena, layout.rows(), ufm.dim(), seed,
                    pool));
        }

        /**
         * A run from given points: W0 (K x d; only for {@link UfmVariant#JOINT} and {@link UfmVariant#TIED}) and
         * H0 (nK x d; not for {@link UfmVariant#TIED}), copied, each row within 1e-4 of unit norm.
         */
        public UfmTraining start(Arena arena, FloatMatrix w0, FloatMatrix h0) {
            checkFixedClassifier();
            checkSizes();
            UfmLayout layout = layout(arena); // allocates: after the checks
            FloatMatrix points = FloatMatrix.allocate(arena, layout.rows(), ufm.dim());
            if (variant == UfmVariant.JOINT || variant == UfmVariant.TIED) {
                copyInitial(w0, "initial classifier", ufm.classes(), layout.classifier(points));
            }
            if (variant != UfmVariant.TIED) {
                copyInitial(h0, "initial features", ufm.features(), layout.features(points));
            }
            return new UfmTraining(this, arena, layout, points);
        }

        /** The layout, with the class-means variant's W allocated in {@code arena}. */
        private UfmLayout layout(Arena arena) {
            return new UfmLayout(ufm, variant, variant == UfmVariant.CLASS_MEANS
                    ? FloatMatrix.allocate(arena, ufm.classes(), ufm.dim()) : fixedClassifier);
        }

        private int population() {
            return UfmLayout.population(ufm, variant);
        }

        private void checkSizes() {
            if (measureSample > population()) {
                throw new IllegalArgumentException("a measurement sample of " + measureSample + " features is larger "
                        + "than the " + population() + " features of this UFM");
            }
            if (batch == 0) {
                return;
            }
            if (method == TrainingMethod.LINE_SEARCH) {
                throw new IllegalArgumentException("mini-batch training takes fixed steps: a line search needs the full "
                        + "objective (use --no-line-search, or no --batch)");
            }
            int population = population();
            if (batch > population) {
                throw new IllegalArgumentException("a batch of " + batch + " features is larger than the " + population
                        + " features of this UFM");
            }
        }

        private void checkFixedClassifier() {
            if (fixedClassifier != null) {
                requireShape(fixedClassifier, "fixed classifier", ufm.classes());
                requireUnit(fixedClassifier, "fixed classifier");
            }
        }

        private void copyInitial(FloatMatrix from, String what, long rows, FloatMatrix to) {
            Objects.requireNonNull(from, what);
            requireShape(from, what, rows);
            requireUnit(from, what);
            to.copyFrom(from);
        }

        private void requireShape(FloatMatrix m, String what, long rows) {
            if (m.rows() != rows || m.cols() != ufm.dim()) {
                throw new IllegalArgumentException("the " + what + " is " + m.rows() + " x " + m.cols() + " but this UFM "
                        + "needs " + rows + " x " + ufm.dim());
            }
        }

        private void requireUnit(FloatMatrix m, String what) {
            OnSphereCheck check = Oblique.normalising(pool).check(m, 1e-4);
            if (!check.onSphere()) {
                throw new IllegalArgumentException("row " + check.worstRow() + " of the " + what + " is "
                        + check.deviation() + " away from unit norm (tolerance 1e-4)");
            }
        }
    }
}
