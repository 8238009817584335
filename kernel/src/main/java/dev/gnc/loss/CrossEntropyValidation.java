package dev.gnc.loss;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.Labels;
import dev.gnc.internal.FiniteScan;
import dev.gnc.internal.MatrixChecks;
import java.util.Objects;

/** Every check the fused cross-entropy makes, all before any work, each naming the offending value. */
final class CrossEntropyValidation {
    private CrossEntropyValidation() {
    }

    static void check(CrossEntropy ce, FloatMatrix w, FloatMatrix bias, FloatMatrix h, Labels y,
            CrossEntropyOutputs out) {
        Objects.requireNonNull(w, "classifier W");
        Objects.requireNonNull(h, "features H");
        Objects.requireNonNull(y, "labels y");
        Objects.requireNonNull(out, "outputs");
        long k = w.rows();
        int d = w.cols();
        long n = h.rows();
        if (k < 1 || d < 1) {
            throw new IllegalArgumentException("classifier W must have at least one class and one dimension, is "
                    + k + " x " + d);
        }
        if (k > Integer.MAX_VALUE || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("at most 2^31 - 1 classes and samples per call, got K = " + k
                    + ", N = " + n);
        }
        if (h.cols() != d) {
            throw new IllegalArgumentException("features H are " + n + " x " + h.cols() + " but classifier W is " + k
                    + " x " + d + ": the dimensions differ");
        }
        if (y.length() != n) {
            throw new IllegalArgumentException(y.length() + " labels for " + n + " feature rows");
        }
        MatrixChecks.requireVector(bias, k, "bias b");
        MatrixChecks.requireVector(ce.classWeights, k, "class weights");
        requireMatrix(out.classifierGradient, k, d, "classifier gradient dW");
        requireMatrix(out.featureGradient, n, d, "feature gradient dH");
        MatrixChecks.requireVector(out.biasGradient, k, "bias gradient db");
        MatrixChecks.requireVector(out.lse, n, "lse output");
        MatrixChecks.requireVector(out.perSampleLoss, n, "per-sample loss output");
        MatrixChecks.requireVector(out.upstreamPerSample, n, "per-sample upstream gradient");
        if (out.upstreamPerSample != null && ce.reduction != Reduction.NONE) {
            throw new IllegalArgumentException("per-sample upstream gradients need reduction NONE, not "
                    + ce.reduction + "; use upstream(double) for a scalar");
        }
        if (!Double.isFinite(out.upstream)) {
            throw new IllegalArgumentException("upstream gradient must be finite, got " + out.upstream);
        }
        MatrixChecks.requireShared(ce.pool, w, "classifier W");
        MatrixChecks.requireShared(ce.pool, bias, "bias b");
        MatrixChecks.requireShared(ce.pool, h, "features H");
        MatrixChecks.requireShared(ce.pool, ce.classWeights, "class weights");
        MatrixChecks.requireShared(ce.pool, out.classifierGradient, "classifier gradient dW");
        MatrixChecks.requireShared(ce.pool, out.featureGradient, "feature gradient dH");
        MatrixChecks.requireShared(ce.pool, out.biasGradient, "bias gradient db");
        ce.pool.requireShared(y.segment(), "labels y");
        requireDisjoint(out.classifierGradient, "classifier gradient dW", w, h, bias);
        requireDisjoint(out.featureGradient, "feature gradient dH", w, h, bias);
        requireDisjoint(out.biasGradient, "bias gradient db", w, h, bias);

        for (long i = 0; i < n; i++) {
            int label = y.get(i);
            if ((label < 0 || label >= k) && label != ce.ignoreIndex) {
                throw new IllegalArgumentException("label y[" + i + "] = " + label + " is outside [0, " + k
                        + ") and is not the ignore index " + ce.ignoreIndex);
            }
        }
        if (ce.classWeights != null) {
            for (long c = 0; c < k; c++) {
                float weight = element(ce.classWeights, c);
                if (!(weight >= 0) || Float.isInfinite(weight)) {
                    throw new IllegalArgumentException("class weight [" + c + "] = " + weight
                            + " must be finite and >= 0");
                }
            }
        }
        if (out.upstreamPerSample != null) {
            FiniteScan.require(out.upstreamPerSample, "per-sample upstream gradient");
        }
        if (ce.checkFinite) {
            FiniteScan.require(w, "classifier W");
            FiniteScan.require(h, "features H");
            if (bias != null) {
                FiniteScan.require(bias, "bias b");
            }
        }
    }

    /** Element {@code i} of a vector stored contiguously as one row or one column. */
    static float element(FloatMatrix vector, long i) {
        return vector.segment().getAtIndex(FloatMatrix.FLOAT, i);
    }

    private static void requireMatrix(FloatMatrix m, long rows, int cols, String what) {
        if (m != null && (m.rows() != rows || m.cols() != cols)) {
            throw new IllegalArgumentException(what + " must be " + rows + " x " + cols + ", is " + m.rows() + " x "
                    + m.cols());
        }
    }

    private static void requireDisjoint(FloatMatrix output, String what, FloatMatrix... inputs) {
        if (output == null) {
            return;
        }
        for (FloatMatrix input : inputs) {
            if (input != null && output.segment().asOverlappingSlice(input.segment()).isPresent()) {
                throw new IllegalArgumentException(what + " overlaps an input; gradients need their own memory");
            }
        }
    }
}
