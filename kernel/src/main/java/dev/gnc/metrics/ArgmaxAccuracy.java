package dev.gnc.metrics;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.Labels;
import dev.gnc.core.WorkPool;
import dev.gnc.loss.CrossEntropy;
import dev.gnc.loss.CrossEntropyOutputs;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Top-1 accuracies from the fused cross-entropy's forward pass, which counts the samples whose
 * label has the largest logit (ties go to the smaller class index) without storing the
 * {@code N x K} logits. The loss it also computes is discarded; inputs were checked for
 * finiteness by the caller, so the pass does not scan them again.
 */
final class ArgmaxAccuracy {
    private ArgmaxAccuracy() {
    }

    /** The fraction of samples with {@code argmax_k <h_i, w_k> = y_i}. */
    static double classifier(FloatMatrix w, FloatMatrix h, Labels y, WorkPool pool) {
        return top1(w, null, h, y, pool);
    }

    /**
     * The fraction of samples whose nearest class mean (Euclidean) is their own. With
     * {@code c_k = mu_k - mu_G},
     * <pre>
     *   argmin_k ||h - mu_k||^2 = argmax_k <h, c_k> - (<mu_G, c_k> + ||c_k||^2 / 2)
     * </pre>
     * a classifier {@code c_k} with a bias. The centred form is the same argmax as
     * {@code <h, mu_k> - ||mu_k||^2 / 2} but its float32 logits are of size
     * {@code ||h|| ||c_k||} rather than {@code ||h|| ||mu_k||}: when features sit far from the
     * origin, the gaps between classes are not lost in the rounding of the common part.
     */
    static double nearestClassCentre(ClassStatistics stats, FloatMatrix h, Labels y, WorkPool pool) {
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

    private static double top1(FloatMatrix w, FloatMatrix bias, FloatMatrix h, Labels y, WorkPool pool) {
        CrossEntropy ce = CrossEntropy.builder(1).topK(1).checkFinite(false).pool(pool).build();
        return ce.forward(w, bias, h, y, CrossEntropyOutputs.create()).accuracy();
    }
}
