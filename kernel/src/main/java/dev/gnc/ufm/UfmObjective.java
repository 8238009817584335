package dev.gnc.ufm;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.Labels;
import dev.gnc.loss.CrossEntropy;
import dev.gnc.loss.CrossEntropyOutputs;
import dev.gnc.optim.Objective;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The UFM loss {@code (1/nK) sum CE(tau H W^T, y)} as a function of the moving points, through the
 * fused cross-entropy. The gradient block of W is dW and that of H is dH; for the tied variant
 * (H = W) the gradient is their sum.
 *
 * <p>The value's rounding: a float32 logit of unit rows is off by at most about {@code tau d
 * 2^-24} (a dot product of d terms), so a logit gap {@code z_k - z_y} by twice that, which moves
 * a sample's loss {@code l_i} by at most that gap error times {@code min(1, l_i)} (relative for a
 * confident sample, absolute otherwise), and the mean, {@code min(1, .)} being concave, by at most
 * {@code 2 tau d 2^-24 min(1, mean l)}. {@link #valueRounding} is four times that, for the
 * product with tau, the exponential's own error and the sums; where a line search's test falls
 * within it, the test is decided on slopes ({@link dev.gnc.optim.ArmijoLineSearch}).
 */
final class UfmObjective implements Objective {
    private final UfmLayout layout;
    private final CrossEntropy ce;
    private final Labels labels;
    private final FloatMatrix tiedScratch; // dH of the tied variant, added to dW
    private final double roundingPerUnitLoss;

    UfmObjective(UfmLayout layout, CrossEntropy ce, Labels labels, FloatMatrix tiedScratch) {
        this.layout = layout;
        this.ce = ce;
        this.labels = labels;
        this.tiedScratch = tiedScratch;
        this.roundingPerUnitLoss = 8 * ce.tau() * layout.ufm.dim() * 0x1p-24;
    }

    /** The fused cross-entropy at this objective's tau. */
    CrossEntropy crossEntropy() {
        return ce;
    }

    @Override
    public double value(FloatMatrix points) {
        return ce.forward(layout.classifier(points), layout.features(points), labels).loss();
    }

    @Override
    public double valueRounding(double value) {
        return roundingPerUnitLoss * Math.min(1, Math.abs(value));
    }

    @Override
    public double valueAndGradient(FloatMatrix points, FloatMatrix gradient) {
        FloatMatrix w = layout.classifier(points), h = layout.features(points);
        CrossEntropyOutputs out = CrossEntropyOutputs.create();
        switch (layout.variant) {
            case JOINT -> out.classifierGradient(layout.classifier(gradient)).featureGradient(layout.features(gradient));
            case FIXED_CLASSIFIER, CLASS_MEANS -> out.featureGradient(gradient);
            case TIED -> out.classifierGradient(gradient).featureGradient(tiedScratch);
        }
        double loss = ce.forwardBackward(w, null, h, labels, out).loss();
        if (layout.variant == UfmVariant.TIED) {
            add(tiedScratch, gradient);
        }
        return loss;
    }

    /** {@code into += from}, two contiguous matrices of one shape. */
    private static void add(FloatMatrix from, FloatMatrix into) {
        MemorySegment a = from.segment(), b = into.segment();
        for (long i = 0; i < from.size(); i++) {
            long at = i * Float.BYTES;
            b.set(ValueLayout.JAVA_FLOAT_UNALIGNED, at, b.get(ValueLayout.JAVA_FLOAT_UNALIGNED, at)
                    + a.get(ValueLayout.JAVA_FLOAT_UNALIGNED, at));
        }
    }
}
