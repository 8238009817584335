package dev.gnc.ufm;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.Labels;
import dev.gnc.core.WorkPool;
import dev.gnc.gemm.Gemm;
import dev.gnc.gemm.ProductScan;
import dev.gnc.loss.CrossEntropy;
import dev.gnc.loss.CrossEntropyResult;
import dev.gnc.metrics.CollapseMetrics;
import dev.gnc.metrics.MaxCosine;
import dev.gnc.metrics.OneVsRestDistance;
import dev.gnc.metrics.OneVsRestResult;
import dev.gnc.sphere.Oblique;
import java.lang.foreign.Arena;
import java.util.function.Supplier;

/**
 * What {@link UfmTraining#measure} reports, apart from the stepping: the loss, the gradient norm,
 * the collapse metrics, the accuracies and the margin of the points, whole or from a sample of
 * features as the problem's size allows. A fixed classifier's margin is measured once, since it
 * never changes.
 */
final class TrainingMeasurement {
    /** Above this K N d a measurement samples the features (a whole one costs several passes of K N d). */
    private static final double FULL_MEASURE = 2e10;
    /** Features in a sampled measurement. */
    private static final int SAMPLE = 4096;

    /** Where the run stands when it is measured: the fields of a {@link TrainingRecord} the run itself knows. */
    record Position(long step, int stage, double tau, double stepSize) {
    }

    private final SphericalUfm ufm;
    private final UfmLayout layout;
    private final Labels labels;
    private final MarginMode margin;
    private final WorkPool pool;
    private final Gemm gemm;
    private final Oblique sphere;
    private double fixedMargin = Double.NaN; // a fixed classifier's margin, measured once
    private double fixedMaxCosine = Double.NaN;

    TrainingMeasurement(UfmLayout layout, Labels labels, MarginMode margin, WorkPool pool, Gemm gemm, Oblique sphere) {
        this.ufm = layout.ufm;
        this.layout = layout;
        this.labels = labels;
        this.margin = margin;
        this.pool = pool;
        this.gemm = gemm;
        this.sphere = sphere;
    }

    /**
     * The record of {@code points} at {@code at}: whole, through {@code objective} and a
     * points-shaped {@code gradient} buffer (asked for only then), or sampled once K N d exceeds
     * 2e10.
     */
    TrainingRecord measure(FloatMatrix points, UfmObjective objective, Supplier<FloatMatrix> gradient, Position at,
            double seconds) {
        if ((double) ufm.classes() * layout.features(points).rows() * ufm.dim() > FULL_MEASURE) {
            return measureSample(points, at, seconds);
        }
        FloatMatrix g = gradient.get();
        double loss = objective.valueAndGradient(points, g);
        sphere.proj(points, g, g);
        double gradientNorm = Math.sqrt(sphere.inner(points, g, g));
        FloatMatrix w = layout.classifier(points);
        CollapseMetrics collapse = CollapseMetrics.compute(w, layout.features(points), labels, pool);
        double[] marginAndCosine = margin(w);
        return new TrainingRecord(at.step(), at.stage(), at.tau(), loss, collapse.accuracy(), collapse.nccAccuracy(),
                marginAndCosine[0], marginAndCosine[2] == 1, marginAndCosine[1], collapse.gnc1(), collapse.gnc3(),
                at.stepSize(), gradientNorm, seconds);
    }

    /**
     * For problems too large to measure whole at every log: loss and accuracy over a fixed sample
     * of {@value #SAMPLE} features against all classes, the margin as asked; the rest NaN.
     */
    private TrainingRecord measureSample(FloatMatrix points, Position at, double seconds) {
        FloatMatrix h = layout.features(points), w = layout.classifier(points);
        int[] rows = new BatchSampler(0, (int) h.rows(), (int) Math.min(SAMPLE, h.rows())).rows(0);
        try (Arena scratch = Arena.ofShared()) {
            FloatMatrix sample = FloatMatrix.allocate(scratch, rows.length, ufm.dim());
            Labels sampleLabels = Labels.allocate(scratch, rows.length);
            for (int b = 0; b < rows.length; b++) {
                sample.rows(b, b + 1).copyFrom(h.rows(rows[b], rows[b] + 1));
                sampleLabels.set(b, labels.get(rows[b]));
            }
            CrossEntropyResult r = CrossEntropy.builder(at.tau()).pool(pool).gemm(gemm).checkFinite(false).topK(1)
                    .build().forward(w, sample, sampleLabels);
            double[] marginAndCosine = margin(w);
            return new TrainingRecord(at.step(), at.stage(), at.tau(), r.loss(), r.accuracy(), Double.NaN,
                    marginAndCosine[0], marginAndCosine[2] == 1, marginAndCosine[1], Double.NaN, Double.NaN,
                    at.stepSize(), Double.NaN, seconds);
        }
    }

    /** {margin, max cosine, 1 if exact}. */
    private double[] margin(FloatMatrix w) {
        MarginMode mode = margin != MarginMode.AUTO ? margin
                : ufm.classes() <= UfmTraining.EXACT_MARGIN_CLASSES ? MarginMode.EXACT
                : ufm.classes() <= UfmTraining.BOUND_MARGIN_CLASSES ? MarginMode.BOUND : MarginMode.NONE;
        if (layout.variant == UfmVariant.FIXED_CLASSIFIER && !Double.isNaN(fixedMaxCosine)) {
            return new double[] {fixedMargin, fixedMaxCosine, mode == MarginMode.EXACT ? 1 : 0};
        }
        double[] result = switch (mode) {
            case EXACT -> {
                OneVsRestResult rho = OneVsRestDistance.builder(pool).scan(new ProductScan(gemm, 256, 512)).build()
                        .compute(w);
                yield new double[] {rho.min(), rho.maxCosine(), 1};
            }
            case BOUND -> {
                double maxCosine = MaxCosine.of(w, new ProductScan(gemm, 256, 512), pool);
                yield new double[] {1 - maxCosine, maxCosine, 0};
            }
            case NONE, AUTO -> new double[] {Double.NaN, Double.NaN, 0};
        };
        fixedMargin = result[0];
        fixedMaxCosine = result[1];
        return result;
    }
}
