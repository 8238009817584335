package dev.gnc.loss;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.Labels;
import dev.gnc.core.WorkPool;
import dev.gnc.gemm.Backend;
import dev.gnc.gemm.Gemm;
import java.lang.foreign.Arena;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Fused softmax cross-entropy over an extreme number of classes, never materialising the
 * {@code N x K} logits.
 *
 * <p>Inputs: classifier W ({@code K x d}), optional bias b (K values), features H ({@code N x d}),
 * labels y (N values in {@code [0, K)} or the ignore index). Logits are
 * {@code z_ik = tau <h_i, w_k> + b_k}. For a sample that is not ignored, with {@code lse_i = log
 * sum_k exp z_ik} and class weights c (all 1 by default), the per-sample loss is
 * <pre>
 *   l_i = (1 - eps) c_y (lse_i - z_iy) + (eps / K) sum_k c_k (lse_i - z_ik) + zeta lse_i^2
 * </pre>
 * with label smoothing eps and z-loss coefficient zeta, reduced as {@link Reduction} says. These
 * are PyTorch's {@code F.cross_entropy} conventions plus a z-loss term.
 *
 * <p>Work is tiled: a block of features against a tile of classes, the logits tile computed by
 * the GEMM backend into a per-thread buffer and consumed at once by a Vector API epilogue. Class
 * tiles are split among the {@link WorkPool}'s threads, each owning its classes' gradient rows;
 * per-thread partial statistics are merged in a fixed order, so results repeat bitwise for a
 * given thread count. Memory beyond the inputs and outputs is one {@code Nb x Kb} tile and one
 * {@code N x d} partial per thread, independent of {@code N * K}.
 *
 * <p>Precision: log-sum-exp form throughout; the target is left out of each tile's sum so that a
 * confident sample's loss {@code log1p(sum_{j != y} exp(z_j - z_y))} and its target gradient
 * {@code p_y - 1} keep their relative accuracy even near 1e-20. Per-sample statistics and sums
 * over samples are float64.
 *
 * <p>Instances are immutable and thread-safe; build one with {@link #builder(double)}.
 */
public final class CrossEntropy {
    final double tau;
    final Reduction reduction;
    final int ignoreIndex;
    final double labelSmoothing;
    final double zLoss;
    final FloatMatrix classWeights;
    final int topK;
    final boolean checkFinite;
    final Gemm gemm;
    final WorkPool pool;
    final int blockRows;
    final int tileClasses;
    final Supplier<Arena> workspace;

    private CrossEntropy(Builder b) {
        this.tau = b.tau;
        this.reduction = b.reduction;
        this.ignoreIndex = b.ignoreIndex;
        this.labelSmoothing = b.labelSmoothing;
        this.zLoss = b.zLoss;
        this.classWeights = b.classWeights;
        this.topK = b.topK;
        this.checkFinite = b.checkFinite;
        this.gemm = b.gemm != null ? b.gemm : Backend.get().gemm();
        this.pool = Objects.requireNonNull(b.pool, "a WorkPool is required: builder.pool(...)");
        this.blockRows = b.blockRows;
        this.tileClasses = b.tileClasses;
        this.workspace = b.workspace;
    }

    /** The logit scale tau. */
    public double tau() {
        return tau;
    }

    /** Features per block (Nb) of the logits tile. */
    public int blockRows() {
        return blockRows;
    }

    /** Classes per tile (Kb) of the logits tile. */
    public int tileClasses() {
        return tileClasses;
    }

    /** A builder for logits {@code tau * H W^T (+ b)}; tau must be finite. */
    public static Builder builder(double tau) {
        return new Builder(tau);
    }

    /** The loss (and, as {@code out} asks, lse and per-sample losses) without gradients, no bias. */
    public CrossEntropyResult forward(FloatMatrix w, FloatMatrix h, Labels y) {
        return forward(w, null, h, y, CrossEntropyOutputs.create());
    }

    /**
     * The loss, and lse and per-sample losses when {@code out} asks for them.
     *
     * @param w    classifier, K x d
     * @param bias K values, or null
     * @param h    features, N x d
     * @param y    N labels
     * @throws IllegalArgumentException naming the offending value, before any work, for
     *                                  mismatched shapes, labels out of range, non-finite inputs
     *                                  (when checked) or gradient outputs (use forwardBackward)
     */
    public CrossEntropyResult forward(FloatMatrix w, FloatMatrix bias, FloatMatrix h, Labels y,
            CrossEntropyOutputs out) {
        if (out.wantsGradients()) {
            throw new IllegalArgumentException("forward() computes no gradients; call forwardBackward() for them");
        }
        CrossEntropyValidation.check(this, w, bias, h, y, out);
        return new FusedCrossEntropy(this, w, bias, h, y, out, false).run(false);
    }

    /**
     * The loss and the gradients {@code out} asks for (dW, dH, db), plus lse and per-sample
     * losses when asked. Same arguments and errors as {@link #forward(FloatMatrix, FloatMatrix,
     * FloatMatrix, Labels, CrossEntropyOutputs)}.
     */
    public CrossEntropyResult forwardBackward(FloatMatrix w, FloatMatrix bias, FloatMatrix h, Labels y,
            CrossEntropyOutputs out) {
        CrossEntropyValidation.check(this, w, bias, h, y, out);
        return new FusedCrossEntropy(this, w, bias, h, y, out, false).run(true);
    }

    /**
     * The roofline of {@link #forwardBackward}: exactly the GEMMs it runs, on the same tiles and
     * threads, with no epilogue. Gradient buffers in {@code out} receive meaningless values; with
     * none, only the forward products run. Benchmarks compare the kernel with this.
     */
    public void roofline(FloatMatrix w, FloatMatrix h, Labels y, CrossEntropyOutputs out) {
        CrossEntropyValidation.check(this, w, null, h, y, out);
        new FusedCrossEntropy(this, w, null, h, y, out, true).run(true);
    }

    /** Options of the loss and of the execution. */
    public static final class Builder {
        private final double tau;
        private Reduction reduction = Reduction.MEAN;
        private int ignoreIndex = -100;
        private double labelSmoothing;
        private double zLoss;
        private FloatMatrix classWeights;
        private int topK;
        private boolean checkFinite = true;
        private Gemm gemm;
        private WorkPool pool;
        private int blockRows = 256;
        private int tileClasses = 512;
        private Supplier<Arena> workspace = Arena::ofShared;

        private Builder(double tau) {
            if (!Double.isFinite(tau)) {
                throw new IllegalArgumentException("tau must be finite, got " + tau);
            }
            this.tau = tau;
        }

        public Builder reduction(Reduction reduction) {
            this.reduction = Objects.requireNonNull(reduction, "reduction");
            return this;
        }

        /** Samples with this label contribute nothing (default -100, as in PyTorch). */
        public Builder ignoreIndex(int ignoreIndex) {
            this.ignoreIndex = ignoreIndex;
            return this;
        }

        /** Label smoothing eps in [0, 1]. */
        public Builder labelSmoothing(double eps) {
            if (!(eps >= 0 && eps <= 1)) {
                throw new IllegalArgumentException("label smoothing must be in [0, 1], got " + eps);
            }
            this.labelSmoothing = eps;
            return this;
        }

        /** z-loss coefficient zeta >= 0: adds zeta * lse^2 per sample. */
        public Builder zLoss(double zeta) {
            if (!(zeta >= 0 && Double.isFinite(zeta))) {
                throw new IllegalArgumentException("z-loss coefficient must be finite and >= 0, got " + zeta);
            }
            this.zLoss = zeta;
            return this;
        }

        /** One finite, non-negative weight per class (K values), or null for none. */
        public Builder classWeights(FloatMatrix weights) {
            this.classWeights = weights;
            return this;
        }

        /** Count top-1 and top-k hits in the forward pass (0, the default, counts nothing). */
        public Builder topK(int k) {
            if (k < 0) {
                throw new IllegalArgumentException("top-k must be >= 0, got " + k);
            }
            this.topK = k;
            return this;
        }

        /** Scan inputs for NaN and infinities before the work (default true; off saves one pass). */
        public Builder checkFinite(boolean check) {
            this.checkFinite = check;
            return this;
        }

        /** The single-threaded GEMM to use (default: {@link Backend#get()}). */
        public Builder gemm(Gemm gemm) {
            this.gemm = gemm;
            return this;
        }

        /** The pool to compute on (required). */
        public Builder pool(WorkPool pool) {
            this.pool = pool;
            return this;
        }

        /** Features per block (Nb) and classes per tile (Kb) of the logits tile. */
        public Builder tile(int blockRows, int tileClasses) {
            if (blockRows < 1 || tileClasses < 1) {
                throw new IllegalArgumentException("tile sizes must be >= 1, got " + blockRows + " x " + tileClasses);
            }
            this.blockRows = blockRows;
            this.tileClasses = tileClasses;
            return this;
        }

        /** Where each call allocates its per-thread workspace; a shared arena closed when the call ends. */
        Builder workspace(Supplier<Arena> workspace) {
            this.workspace = workspace;
            return this;
        }

        public CrossEntropy build() {
            return new CrossEntropy(this);
        }
    }
}
