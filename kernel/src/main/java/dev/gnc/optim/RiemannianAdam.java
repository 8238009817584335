package dev.gnc.optim;

import dev.gnc.core.FloatMatrix;
import dev.gnc.internal.RowVectors;
import dev.gnc.sphere.Manifold;
import dev.gnc.sphere.Oblique;
import dev.gnc.sphere.RowManifold;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Objects;

/**
 * Riemannian Adam (Bécigneul and Ganea, "Riemannian Adaptive Optimization Methods", ICLR 2019),
 * as geoopt's {@code RiemannianAdam} runs it on a sphere. Per row i at step n, with the
 * Riemannian gradient {@code r = proj_x(g)}:
 * <pre>
 *   m   = beta1 m + (1 - beta1) r                        (tangent, K x d)
 *   v_i = beta2 v_i + (1 - beta2) ||r||^2                 (one scalar per row)
 *   x'  = R_x(-lr / (1 - beta1^n) * m / (sqrt(v_i / (1 - beta2^n)) + eps))
 *   m'  = transp_{x→x'}(m)
 * </pre>
 * The second moment is per row, not per element: the factors of the product manifold are the
 * rows, and geoopt's {@code component_inner} for a sphere is the row's inner product. Coordinates
 * of the ambient space mean nothing intrinsic on a sphere, and dividing a tangent vector by
 * per-element scales would take it out of the tangent space; a per-row scale keeps the step a
 * multiple of m, tangent as it is, and costs K floats of state instead of K x d (one matrix less
 * to stream per step). There is no weight decay: on the sphere the radial direction it acts on is
 * projected away. No AMSGrad.
 *
 * <p>State: m ({@code K x d}) and v ({@code K x 1}), float32, in the caller's arena, starting at
 * zero. Optionally every {@code stabilize} steps the step also puts each point back on the
 * manifold and m back into its tangent space (geoopt's {@code stabilize}).
 *
 * <p>A step is one pass over the rows. On an {@link Oblique} manifold a row is two sweeps in
 * cache, its inner products gathered in one and the new point and state written in the other
 * (docs/SPHERE.md); on other manifolds, and for the few rows whose inner products would cancel,
 * it is the {@link RowManifold} operations.
 */
public final class RiemannianAdam implements RiemannianOptimiser {
    private final RowManifold row;
    private final double beta1;
    private final double beta2;
    private final double eps;
    private final FloatMatrix firstMoment;
    private final FloatMatrix secondMoment;
    private final OptimiserPass pass;

    private RiemannianAdam(Builder b, Arena arena, long rows, int cols) {
        this.row = b.manifold.row();
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.eps = b.eps;
        this.pass = new OptimiserPass(b.manifold, rows, cols, b.stabilize);
        this.firstMoment = pass.allocateState(arena, cols, "the first moment");
        this.secondMoment = pass.allocateState(arena, 1, "the second moment");
    }

    /** A builder with PyTorch's defaults: betas (0.9, 0.999), eps 1e-8. */
    public static Builder builder(Manifold manifold) {
        return new Builder(manifold);
    }

    /** m, {@code K x d}. */
    FloatMatrix firstMoment() {
        return firstMoment;
    }

    /** v, {@code K x 1}. */
    FloatMatrix secondMoment() {
        return secondMoment;
    }

    @Override
    public long steps() {
        return pass.steps();
    }

    @Override
    public List<FloatMatrix> state() {
        return List.of(firstMoment, secondMoment);
    }

    @Override
    public void restoreSteps(long steps) {
        pass.restoreSteps(steps);
    }

    @Override
    public void step(FloatMatrix x, FloatMatrix euclideanGradient, double lr) {
        MemorySegment xs = x.segment(), gs = euclideanGradient.segment();
        MemorySegment ms = firstMoment.segment(), vs = secondMoment.segment();
        int d = x.cols();
        long n = pass.steps() + 1; // the step this call makes, counted by pass.run
        double stepSize = lr / (1 - Math.pow(beta1, n));
        double secondScale = 1 / (1 - Math.pow(beta2, n)); // a product per row, not a division in its chain
        pass.run(x, euclideanGradient, firstMoment, lr, (from, count, block, r) -> {
            if (block != null) {
                // every row's step size first: short independent chains (a root and a division
                // each) that the core overlaps, rather than one more link in each row's plan
                double[] t = block.steps();
                for (int k = 0; k < count; k++) {
                    t[k] = step(stepSize, secondMoment(vs.getAtIndex(FloatMatrix.FLOAT, from + k),
                            block.tangentSquaredNorm(k)), secondScale);
                }
            }
            for (int k = 0; k < count; k++) {
                long i = from + k;
                if (block != null && block.plan(k, beta1, 1 - beta1, 0, 1, block.steps()[k])) {
                    vs.setAtIndex(FloatMatrix.FLOAT, i, secondMoment(vs.getAtIndex(FloatMatrix.FLOAT, i),
                            block.tangentSquaredNorm(k)));
                } else {
                    stepRow(xs, x.byteOffset(i, 0), gs, euclideanGradient.byteOffset(i, 0), ms,
                            firstMoment.byteOffset(i, 0), vs, i, r, d, stepSize, secondScale);
                }
            }
        });
    }

    /** The step on row i through the {@link RowManifold}, with {@code r} a scratch row. */
    private void stepRow(MemorySegment xs, long xAt, MemorySegment gs, long gAt, MemorySegment ms, long mAt,
            MemorySegment vs, long i, MemorySegment r, int d, double stepSize, double secondScale) {
        row.proj(xs, xAt, gs, gAt, r, 0, d);
        float v = secondMoment(vs.getAtIndex(FloatMatrix.FLOAT, i), RowVectors.dot(r, 0, r, 0, d));
        vs.setAtIndex(FloatMatrix.FLOAT, i, v);
        RowVectors.combine((float) beta1, ms, mAt, (float) (1 - beta1), r, 0, ms, mAt, d);
        row.retrTransp(xs, xAt, ms, mAt, step(stepSize, v, secondScale), ms, mAt, d);
    }

    /** {@code v_i} after a step whose Riemannian gradient has squared norm {@code squaredTangentNorm}. */
    private float secondMoment(float v, double squaredTangentNorm) {
        return (float) (beta2 * v + (1 - beta2) * squaredTangentNorm);
    }

    /**
     * The retraction's t for the step: {@code -lr / (1 - beta1^n) / (sqrt(v / (1 - beta2^n)) + eps)},
     * with {@code stepSize = lr / (1 - beta1^n)} and {@code secondScale = 1 / (1 - beta2^n)}.
     */
    private double step(double stepSize, float v, double secondScale) {
        return -stepSize / (Math.sqrt(v * secondScale) + eps);
    }

    @Override
    public String toString() {
        return "RiemannianAdam[betas (" + beta1 + ", " + beta2 + "), eps " + eps + "]";
    }

    /** Options; {@link #build} allocates the state. */
    public static final class Builder {
        private final Manifold manifold;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double eps = 1e-8;
        private int stabilize;

        private Builder(Manifold manifold) {
            this.manifold = Objects.requireNonNull(manifold, "manifold");
        }

        /** Decay rates of the first and second moments, each in [0, 1). */
        public Builder betas(double beta1, double beta2) {
            if (!(beta1 >= 0 && beta1 < 1 && beta2 >= 0 && beta2 < 1)) {
                throw new IllegalArgumentException("betas must be in [0, 1), got (" + beta1 + ", " + beta2 + ")");
            }
            this.beta1 = beta1;
            this.beta2 = beta2;
            return this;
        }

        /** Added to the root of the second moment, finite and > 0. */
        public Builder eps(double eps) {
            if (!(eps > 0 && eps < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("eps must be finite and > 0, got " + eps);
            }
            this.eps = eps;
            return this;
        }

        /** Every this many steps, re-project points and first moment against drift; 0 (the default) never. */
        public Builder stabilize(int every) {
            this.stabilize = OptimiserPass.requireStabilize(every);
            return this;
        }

        /** The optimiser for {@code rows x cols} points, its moments allocated in {@code arena}. */
        public RiemannianAdam build(Arena arena, long rows, int cols) {
            return new RiemannianAdam(this, arena, rows, cols);
        }
    }
}
