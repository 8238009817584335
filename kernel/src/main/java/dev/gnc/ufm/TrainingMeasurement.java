package dev.gnc.ufm;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.Labels;
import dev.gnc.core.WorkPool;
import dev.gnc.gemm.Gemm;
import dev.gnc.gemm.ProductScan;
import dev.gnc.loss.CrossEntropy;
import dev.gnc.loss.CrossEntropyResult;
import dev.gnc.metrics.ArgmaxAccuracy;
import dev.gnc.metrics.ClassStatistics;
import dev.gnc.metrics.CollapseGeometry;
import dev.gnc.metrics.MaxCosine;
import dev.gnc.metrics.OneVsRestDistance;
import dev.gnc.metrics.OneVsRestResult;
import dev.gnc.metrics.SymmetricEigensolver;
import dev.gnc.metrics.WilsonInterval;
import dev.gnc.sphere.Oblique;
import java.lang.foreign.Arena;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * What {@link UfmTraining#measure} reports, apart from the stepping. GNC1 and GNC3 come from the
 * class statistics of every feature at any size ({@code O(N d^2 + K d^2)}); the max cosine and
 * its bound, or the certified margin, from W alone. The loss and the accuracies cost a pass of
 * {@code N K d} each, so a run too large for that measures them on a fixed sample of features and
 * says so, with 95% Wilson intervals. A fixed classifier's margin is measured once per mode, since
 * it never changes.
 */
final class TrainingMeasurement {
    /** Where the run stands when it is measured: the fields of a {@link TrainingRecord} the run itself knows. */
    record Position(long step, int stage, double tau, double stepSize) {
    }

    private record Margin(double value, double maxCosine, boolean exact, double seconds) {
        static final Margin NONE = new Margin(Double.NaN, Double.NaN, false, 0);
    }

    private final SphericalUfm ufm;
    private final UfmLayout layout;
    private final Labels labels;
    private final MarginMode margin;
    private final WorkPool pool;
    private final Gemm gemm;
    private final Oblique sphere;
    private final SymmetricEigensolver solver;
    private final int[] sampleRows; // null when every feature is measured
    private final FloatMatrix sample;
    private final Labels sampleLabels;
    private MarginMode fixedMarginMode; // a fixed classifier's margin, measured once per mode
    private Margin fixedMargin;

    /**
     * @param sampleSize features the loss and accuracies are measured on: the population (every
     *                   feature) or fewer, a fixed sample drawn once
     */
    TrainingMeasurement(UfmLayout layout, Labels labels, MarginMode margin, int sampleSize, WorkPool pool, Gemm gemm,
            Oblique sphere, Arena arena) {
        this.ufm = layout.ufm;
        this.layout = layout;
        this.labels = labels;
        this.margin = margin;
        this.pool = pool;
        this.gemm = gemm;
        this.sphere = sphere;
        this.solver = SymmetricEigensolver.preferred();
        long population = labels.length();
        if (sampleSize < population) {
            sampleRows = new BatchSampler(0, (int) population, sampleSize).rows(0);
            sample = FloatMatrix.allocate(arena, sampleSize, ufm.dim());
            sampleLabels = Labels.allocate(arena, sampleSize);
            for (int b = 0; b < sampleSize; b++) {
                sampleLabels.set(b, labels.get(sampleRows[b]));
            }
        } else {
            sampleRows = null;
            sample = null;
            sampleLabels = null;
        }
    }

    /**
     * The record of {@code points} at {@code at}, the margin measured as {@code last} asks (see
     * {@link MarginMode}): the loss and gradient norm through {@code objective} and a
     * points-shaped {@code gradient} buffer (asked for only when every feature is measured).
     * An exact margin tells {@code classesCertified} the classes it has certified, as it goes.
     */
    TrainingRecord measure(FloatMatrix points, UfmObjective objective, Supplier<FloatMatrix> gradient, Position at,
            double seconds, boolean last, LongConsumer classesCertified) {
        FloatMatrix w = layout.classifier(points), h = layout.features(points);
        try (Arena scratch = Arena.ofShared()) {
            ClassStatistics stats = ClassStatistics.compute(h, labels, ufm.classes(), pool, scratch);
            CollapseGeometry geometry = CollapseGeometry.of(w, stats, solver);
            double loss, accuracy, ncc, gradientNorm;
            long measured;
            if (sampleRows == null) {
                FloatMatrix g = gradient.get();
                loss = objective.valueAndGradient(points, g);
                sphere.proj(points, g, g);
                gradientNorm = Math.sqrt(sphere.inner(points, g, g));
                accuracy = ArgmaxAccuracy.classifier(w, h, labels, pool);
                ncc = ArgmaxAccuracy.nearestClassCentre(stats, h, labels, pool);
                measured = h.rows();
            } else {
                for (int b = 0; b < sampleRows.length; b++) {
                    sample.rows(b, b + 1).copyFrom(h.rows(sampleRows[b], sampleRows[b] + 1));
                }
                CrossEntropyResult r = CrossEntropy.builder(at.tau()).pool(pool).gemm(gemm).checkFinite(false).topK(1)
                        .build().forward(w, sample, sampleLabels);
                loss = r.loss();
                accuracy = r.accuracy();
                ncc = ArgmaxAccuracy.nearestClassCentre(stats, sample, sampleLabels, pool);
                gradientNorm = Double.NaN;
                measured = sampleRows.length;
            }
            boolean sampled = sampleRows != null;
            WilsonInterval accuracyInterval = interval(accuracy, measured, sampled);
            WilsonInterval nccInterval = interval(ncc, measured, sampled);
            Margin m = margin(w, last ? margin.atEnd(ufm.classes()) : margin.atLog(ufm.classes()), classesCertified);
            return new TrainingRecord(at.step(), at.stage(), at.tau(), loss, accuracy, accuracyInterval.low(),
                    accuracyInterval.high(), ncc, nccInterval.low(), nccInterval.high(), measured, sampled, m.value(),
                    m.exact(), m.seconds(), m.maxCosine(), geometry.gnc1(), geometry.gnc3(), geometry.gnc3Uncentred(),
                    at.stepSize(), gradientNorm, seconds);
        }
    }

    private static WilsonInterval interval(double proportion, long measured, boolean sampled) {
        return sampled ? WilsonInterval.of(proportion, measured) : WilsonInterval.exact(proportion);
    }

    private Margin margin(FloatMatrix w, MarginMode mode, LongConsumer classesCertified) {
        if (layout.variant == UfmVariant.FIXED_CLASSIFIER && mode == fixedMarginMode) {
            return fixedMargin;
        }
        long start = System.nanoTime();
        Margin result = switch (mode) {
            case EXACT -> {
                OneVsRestResult rho = OneVsRestDistance.builder(pool).scan(new ProductScan(gemm, 256, 512))
                        .progress(classesCertified).build().compute(w);
                yield new Margin(rho.min(), rho.maxCosine(), true, (System.nanoTime() - start) / 1e9);
            }
            case BOUND -> {
                double maxCosine = MaxCosine.of(w, new ProductScan(gemm, 256, 512), pool);
                yield new Margin(1 - maxCosine, maxCosine, false, (System.nanoTime() - start) / 1e9);
            }
            case NONE, AUTO -> Margin.NONE;
        };
        fixedMarginMode = mode;
        fixedMargin = result;
        return result;
    }
}
