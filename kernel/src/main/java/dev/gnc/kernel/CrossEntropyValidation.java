package dev.gnc.kernel;

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
        requireVector(bias, k, "bias b");
        requireVector(ce.classWeights, k, "class weights");
        requireMatrix(out.classifierGradient, k, d, "classifier gradient dW");
        requireMatrix(out.featureGradient, n, d, "feature gradient dH");
        requireVector(out.biasGradient, k, "bias gradient db");
        requireVector(out.lse, n, "lse output");
        requireVector(out.perSampleLoss, n, "per-sample loss output");
        requireVector(out.upstreamPerSample, n, "per-sample upstream gradient");
        if (out.upstreamPerSample != null && ce.reduction != Reduction.NONE) {
            throw new IllegalArgumentException("per-sample upstream gradients need reduction NONE, not "
                    + ce.reduction + "; use upstream(double) for a scalar");
        }
        if (!Double.isFinite(out.upstream)) {
            throw new IllegalArgumentException("upstream gradient must be finite, got " + out.upstream);
        }
        if (ce.pool.threads() > 1) {
            requireShared(ce.pool, w, "classifier W");
            requireShared(ce.pool, bias, "bias b");
            requireShared(ce.pool, h, "features H");
            requireShared(ce.pool, ce.classWeights, "class weights");
            requireShared(ce.pool, out.classifierGradient, "classifier gradient dW");
            requireShared(ce.pool, out.featureGradient, "feature gradient dH");
            requireShared(ce.pool, out.biasGradient, "bias gradient db");
            if (!y.segment().isAccessibleBy(ANOTHER_THREAD)) {
                throw confined("labels y", ce.pool);
            }
        }
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

    private static void requireVector(FloatMatrix v, long length, String what) {
        if (v != null && !(v.size() == length && (v.rows() == 1 || v.cols() == 1) && v.isContiguous())) {
            throw new IllegalArgumentException(what + " must hold " + length + " values in one contiguous row or column, is "
                    + v);
        }
    }

    private static void requireMatrix(FloatMatrix m, long rows, int cols, String what) {
        if (m != null && (m.rows() != rows || m.cols() != cols)) {
            throw new IllegalArgumentException(what + " must be " + rows + " x " + cols + ", is " + m.rows() + " x "
                    + m.cols());
        }
    }

    /** A thread that owns nothing: confined memory is not accessible by it. */
    private static final Thread ANOTHER_THREAD = Thread.ofVirtual().unstarted(() -> { });

    private static void requireShared(WorkPool pool, FloatMatrix m, String what) {
        if (m != null && !m.segment().isAccessibleBy(ANOTHER_THREAD)) {
            throw confined(what, pool);
        }
    }

    private static IllegalArgumentException confined(String what, WorkPool pool) {
        return new IllegalArgumentException(what + " lives in a confined arena, which the other threads of a "
                + pool.threads() + "-thread pool cannot read; allocate it in Arena.ofShared(), ofAuto() or global()");
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
