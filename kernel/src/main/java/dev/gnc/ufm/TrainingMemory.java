package dev.gnc.ufm;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a training run holds in memory at its peak, estimated from its settings before anything
 * is allocated, so that a run too large for the machine is refused with the figure it needs
 * instead of failing an hour in. Off-heap float32 arrays of the shapes the run allocates, plus
 * the transient workspaces of a step or a measurement (whichever is larger; they never overlap);
 * the heap's per-sample arrays of the fused loss are counted at 40 bytes a feature.
 */
final class TrainingMemory {
    private static final double FLOAT = Float.BYTES, DOUBLE = Double.BYTES;
    /** The fused loss's heap arrays per feature of a call: per-sample sums, scales and labels. */
    private static final double HEAP_PER_FEATURE = 40;

    private TrainingMemory() {
    }

    /**
     * The parts, in bytes, by what they hold; {@code measureSample} is the features a measurement
     * takes the loss and accuracies over (the population for all of them).
     */
    static Map<String, Long> parts(SphericalUfm ufm, UfmVariant variant, TrainingMethod method, int batch,
            int measureSample, int threads) {
        // in double: at absurd sizes a long product would wrap and pass the check
        double k = ufm.classes(), d = ufm.dim();
        double population = UfmLayout.population(ufm, variant);
        double rows = UfmLayout.rows(ufm, variant);
        double points = rows * d * FLOAT;
        boolean classifierApart = variant == UfmVariant.FIXED_CLASSIFIER || variant == UfmVariant.CLASS_MEANS;
        Map<String, Long> parts = new LinkedHashMap<>();
        parts.put("W and H", bytes(points + (classifierApart ? k * d * FLOAT : 0) + population * Integer.BYTES));
        boolean measuresAll = measureSample >= population;
        if ((batch == 0 && method != TrainingMethod.LINE_SEARCH) || measuresAll) {
            parts.put("the gradient", bytes(points)); // the fixed-step methods' and a whole measurement's, one buffer
        }
        if (method == TrainingMethod.LINE_SEARCH) {
            parts.put("the line search's gradient, trial point and its gradient", bytes(3 * points));
        }
        double moving = batch == 0 ? rows
                : variant == UfmVariant.FIXED_CLASSIFIER || variant == UfmVariant.CLASS_MEANS ? 0 : k;
        double state = switch (method) {
            case LINE_SEARCH, RGD -> 0;
            case MOMENTUM -> moving * d * FLOAT;
            case ADAM -> moving * (d + 1) * FLOAT;
        };
        if (state > 0) {
            parts.put("the optimiser's state", bytes(state));
        }
        if (variant == UfmVariant.TIED) {
            parts.put("the tied features' scratch", bytes(k * d * FLOAT));
        }
        if (batch > 0) {
            parts.put("the batch and dW", bytes(2.0 * batch * d * FLOAT + k * d * FLOAT));
        }
        double stepFeatures = batch == 0 ? population : batch;
        double lossWorkspace = threads * stepFeatures * d * FLOAT + stepFeatures * HEAP_PER_FEATURE;
        double measureWorkspace = (threads + 1.0) * k * d * DOUBLE + (measuresAll ? 0 : measureSample * d * FLOAT);
        parts.put("a step's or a measurement's workspace", bytes(Math.max(lossWorkspace, measureWorkspace)));
        return parts;
    }

    /** Bytes as a long, saturating at Long.MAX_VALUE (a Java cast does). */
    private static long bytes(double b) {
        return (long) b;
    }
}
