package dev.gnc.ufm;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.Labels;
import dev.gnc.loss.CrossEntropy;
import dev.gnc.loss.CrossEntropyOutputs;
import dev.gnc.optim.RiemannianOptimiser;
import dev.gnc.optim.RiemannianSgd;
import dev.gnc.sphere.Oblique;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * One mini-batch step: B features drawn by {@link BatchSampler}, their loss against all K
 * classes through the fused kernel, then W moved by the run's optimiser with dW and the B
 * feature rows by plain RGD with their rows of dH, both from the same point. Features outside
 * the batch do not move; a tied run (H = W) adds the batch rows' dH into dW instead. The learning
 * rate follows the {@link LearningRateSchedule} over the whole run.
 *
 * <p>Why plain RGD for the features: each feature row is in one batch in N / B steps on average,
 * so per-row momentum or Adam moments would be stale by then, and they would cost N x d floats.
 */
final class MiniBatchStep {
    private final UfmLayout layout;
    private final BatchSampler sampler;
    private final LearningRateSchedule schedule;
    private final double learningRate;
    private final RiemannianOptimiser classifierStep; // null for a fixed classifier
    private final RiemannianSgd featureStep;
    private final FloatMatrix batch;
    private final FloatMatrix batchGradient;
    private final Labels batchLabels;
    private final FloatMatrix classifierGradient;

    MiniBatchStep(UfmLayout layout, int size, long seed, LearningRateSchedule schedule, double learningRate,
            RiemannianOptimiser classifierStep, Oblique sphere, Arena arena) {
        int d = layout.ufm.dim();
        this.layout = layout;
        this.sampler = new BatchSampler(seed, UfmLayout.population(layout.ufm, layout.variant), size);
        this.schedule = schedule;
        this.learningRate = learningRate;
        this.classifierStep = classifierStep;
        this.featureStep = RiemannianSgd.builder(sphere).build(arena, size, d);
        this.batch = FloatMatrix.allocate(arena, size, d);
        this.batchGradient = FloatMatrix.allocate(arena, size, d);
        this.batchLabels = Labels.allocate(arena, size);
        this.classifierGradient = layout.variant == UfmVariant.FIXED_CLASSIFIER
                || layout.variant == UfmVariant.CLASS_MEANS ? null
                : FloatMatrix.allocate(arena, layout.ufm.classes(), d);
    }

    /** Step {@code step} of {@code total} on the points; returns the learning rate it took. */
    double step(FloatMatrix points, CrossEntropy ce, long step, long total) {
        int[] rows = sampler.rows(step);
        FloatMatrix w = layout.classifier(points), h = layout.features(points);
        for (int b = 0; b < rows.length; b++) {
            copyRow(h, rows[b], batch, b);
            batchLabels.set(b, layout.variant == UfmVariant.TIED ? rows[b] : rows[b] / layout.ufm.perClass());
        }
        CrossEntropyOutputs out = CrossEntropyOutputs.create().featureGradient(batchGradient);
        if (classifierGradient != null) {
            out.classifierGradient(classifierGradient);
        }
        ce.forwardBackward(w, null, batch, batchLabels, out);
        double lr = schedule.at(learningRate, step, total);
        switch (layout.variant) {
            case JOINT, FIXED_CLASSIFIER, CLASS_MEANS -> {
                if (classifierStep != null) {
                    classifierStep.step(w, classifierGradient, lr);
                }
                featureStep.step(batch, batchGradient, lr);
                for (int b = 0; b < rows.length; b++) {
                    copyRow(batch, b, h, rows[b]);
                }
            }
            case TIED -> {
                for (int b = 0; b < rows.length; b++) {
                    for (int c = 0; c < w.cols(); c++) {
                        classifierGradient.set(rows[b], c, classifierGradient.get(rows[b], c) + batchGradient.get(b, c));
                    }
                }
                classifierStep.step(w, classifierGradient, lr);
            }
        }
        return lr;
    }

    private static void copyRow(FloatMatrix from, long i, FloatMatrix to, long j) {
        MemorySegment.copy(from.segment(), from.byteOffset(i, 0), to.segment(), to.byteOffset(j, 0),
                (long) from.cols() * Float.BYTES);
    }
}
