package dev.gnc.loss;

import dev.gnc.core.FloatMatrix;

/**
 * Where a fused cross-entropy call writes what it is asked for; every output is optional.
 *
 * <p>Vectors (one value per class or per sample) are {@link FloatMatrix}es of that many elements
 * in one row or one column. Gradients are of the reduced loss times the upstream weight: a scalar
 * for {@link Reduction#MEAN} and {@link Reduction#SUM}, one value per sample for
 * {@link Reduction#NONE} (folded in before any sum over samples). With {@link #accumulate} they
 * are added to the buffers' contents (micro-batching) instead of overwriting them.
 */
public final class CrossEntropyOutputs {
    FloatMatrix classifierGradient;
    FloatMatrix featureGradient;
    FloatMatrix biasGradient;
    FloatMatrix lse;
    FloatMatrix perSampleLoss;
    FloatMatrix upstreamPerSample;
    double upstream = 1;
    boolean accumulate;

    /** No outputs yet: the loss alone. */
    public static CrossEntropyOutputs create() {
        return new CrossEntropyOutputs();
    }

    /** dL/dW, K x d. */
    public CrossEntropyOutputs classifierGradient(FloatMatrix dW) {
        this.classifierGradient = dW;
        return this;
    }

    /** dL/dH, N x d. */
    public CrossEntropyOutputs featureGradient(FloatMatrix dH) {
        this.featureGradient = dH;
        return this;
    }

    /** dL/db, K values. */
    public CrossEntropyOutputs biasGradient(FloatMatrix db) {
        this.biasGradient = db;
        return this;
    }

    /** log-sum-exp of each sample's logits, N values (computed for ignored samples too). */
    public CrossEntropyOutputs lse(FloatMatrix lse) {
        this.lse = lse;
        return this;
    }

    /** Each sample's loss before reduction, N values (0 for ignored samples). */
    public CrossEntropyOutputs perSampleLoss(FloatMatrix perSampleLoss) {
        this.perSampleLoss = perSampleLoss;
        return this;
    }

    /** The gradient of the caller's objective with respect to the reduced loss (default 1). */
    public CrossEntropyOutputs upstream(double upstream) {
        this.upstream = upstream;
        return this;
    }

    /** With {@link Reduction#NONE}: the gradient with respect to each per-sample loss, N values. */
    public CrossEntropyOutputs upstream(FloatMatrix perSample) {
        this.upstreamPerSample = perSample;
        return this;
    }

    /** Add gradients to the buffers instead of overwriting them. */
    public CrossEntropyOutputs accumulate(boolean accumulate) {
        this.accumulate = accumulate;
        return this;
    }

    boolean wantsGradients() {
        return classifierGradient != null || featureGradient != null || biasGradient != null;
    }
}
