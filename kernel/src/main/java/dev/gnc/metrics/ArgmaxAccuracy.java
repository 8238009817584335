package dev.gnc.metrics;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.Labels;
import dev.gnc.core.WorkPool;
import dev.gnc.internal.FiniteScan;
import dev.gnc.loss.CrossEntropy;
import dev.gnc.loss.CrossEntropyOutputs;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * Top-1 accuracies from the fused cross-entropy's forward pass, which counts the samples whose
 * label has the largest logit (ties go to the smaller class index) without storing the
 * {@code N x K} logits; {@code N K d} multiply-adds each. The features may be any rows with labels
 * in {@code [0, K)}, a sample of the features the statistics came from included: that is how a
 * training run too large to measure whole estimates its accuracies.
 */
public final class ArgmaxAccuracy {
    private ArgmaxAccuracy() {
    }

    /**
     * The fraction of samples with {@code argmax_k <h_i, w_k> = y_i}.
     *
     * @throws IllegalArgumentException before any work, naming the offending value: W and H of
     *                                  different widths, {@code y.length() != h.rows()}, a label
     *                                  outside {@code [0, K)}, a non-finite entry of W or H, or
     *                                  inputs in a confined arena with a multi-threaded pool
     */
    public static double classifier(FloatMatrix w, FloatMatrix h, Labels y, WorkPool pool) {
        CollapseInputs.classifier(w, h, pool);
        FiniteScan.require(h, "features H");
        return top1(w, null, h, y, pool);
    }

    /**
     * The fraction of samples of {@code h} whose nearest class mean of {@code stats} is their own
     * (see {@link #nearestCentre}).
     *
     * @throws IllegalArgumentException as {@link #classifier}, and for features of another width
     *                                  than the statistics'
     */
    public static double nearestClassCentre(ClassStatistics stats, FloatMatrix h, Labels y, WorkPool pool) {
        Objects.requireNonNull(stats, "class statistics");
        Objects.requireNonNull(h, "features H");
        if (h.cols() != stats.dimensions()) {
            throw new IllegalArgumentException("features H are " + h.rows() + " x " + h.cols() + " but " + stats
                    + " have " + stats.dimensions() + " dimensions");
        }
        Objects.requireNonNull(pool, "pool");
        pool.requireShared(h.segment(), "features H");
        FiniteScan.require(h, "features H");
        return nearestCentre(stats, h, y, pool);
    }

    /**
     * The fraction of samples whose nearest class mean (Euclidean) is their own, inputs checked by
     * the caller. With
     * {@code c_k = mu_k - mu_G},
     * <pre>
     *   argmin_k ||h - mu_k||^2 = argmax_k <h, c_k> - (<mu_G, c_k> + ||c_k||^2 / 2)
     * </pre>
     * a classifier {@code c_k} with a bias. The centred form is the same argmax as
     * {@code <h, mu_k> - ||mu_k||^2 / 2} but its float32 logits are of size
     * {@code ||h|| ||c_k||} rather than {@code ||h|| ||mu_k||}: when features sit far from the
     * origin, the gaps between classes are not lost in the rounding of the common part.
     */
    static double nearestCentre(ClassStatistics stats, FloatMatrix h, Labels y, WorkPool pool) {
        int k = stats.classes();
        int d = stats.dimensions();
        MemorySegment means = stats.means();
        double[] global = stats.globalMean();
        try (Arena arena = Arena.ofShared()) {
            FloatMatrix centres = FloatMatrix.allocate(arena, k, d);
            FloatMatrix bias = FloatMatrix.allocate(arena, 1, k);
            for (int c = 0; c < k; c++) {
                double offset = 0;
                double norm2 = 0;
                for (int p = 0; p < d; p++) {
                    // the rounded centre, so that the bias belongs to the centre the pass uses
                    float centred = (float) (means.getAtIndex(ValueLayout.JAVA_DOUBLE, (long) c * d + p) - global[p]);
                    centres.set(c, p, centred);
                    offset += global[p] * centred;
                    norm2 += (double) centred * centred;
                }
                bias.set(0, c, (float) -(offset + norm2 / 2));
            }
            return top1(centres, bias, h, y, pool);
        }
    }

    /** The fraction of samples whose largest logit {@code <h_i, w_k> + bias_k} is their label's, inputs checked by the caller. */
    static double top1(FloatMatrix w, FloatMatrix bias, FloatMatrix h, Labels y, WorkPool pool) {
        CrossEntropy ce = CrossEntropy.builder(1).topK(1).checkFinite(false).pool(pool).build();
        return ce.forward(w, bias, h, y, CrossEntropyOutputs.create()).accuracy();
    }
}
