package dev.gnc.loss;

/**
 * What one fused cross-entropy call measured.
 *
 * @param loss      the reduced loss (for {@link Reduction#NONE}, the plain sum of per-sample losses)
 * @param lseMean   mean log-sum-exp over the samples not ignored (0 when there are none)
 * @param weightSum summed class weight of the samples not ignored: the MEAN divisor
 * @param samples   samples not ignored
 * @param top1      samples whose label has the largest logit (ties go to the smaller index);
 *                  counted only when top-k counting is on, else -1
 * @param topK      samples whose label ranks among the k largest logits; -1 when not counted
 */
public record CrossEntropyResult(double loss, double lseMean, double weightSum, long samples, long top1, long topK) {

    /** Fraction of counted samples classified correctly, or NaN when hits were not counted or none were counted. */
    public double accuracy() {
        return top1 < 0 || samples == 0 ? Double.NaN : (double) top1 / samples;
    }
}
