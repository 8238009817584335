package dev.gnc.optim;

import dev.gnc.core.FloatMatrix;
import dev.gnc.internal.MatrixChecks;
import dev.gnc.internal.RowBlockChecks;
import dev.gnc.sphere.Manifold;
import java.lang.foreign.Arena;
import java.util.Objects;

/**
 * Riemannian gradient descent with a backtracking (Armijo) line search, for full-batch problems
 * on any {@link Manifold}; Manopt's and Pymanopt's steepest descent with their backtracking
 * search, simplified. One {@link #step} from the points x, with {@code r = proj_x(grad f(x))}:
 * <pre>
 *   t = the trial step
 *   repeat at most 1 + maxBacktracks times:
 *     if f(R_x(-t r)) &lt;= f(x) - c t ||r||^2:  x = R_x(-t r); next trial step = grow t; done
 *     t = shrink t
 *   none passed: x stays; next trial step = t
 * </pre>
 * with {@code R} the manifold's retraction, so the sufficient decrease is tested along the very
 * curve the points move on. Growing after each success lets the step follow a problem whose
 * curvature changes by orders of magnitude, as the spherical UFM's does at a large scale tau,
 * where any fixed step is either unstable early or crawls late.
 *
 * <p>Buffers: the gradient and the candidate point, {@code K x d} float32 each, in the caller's
 * arena. The objective is the caller's; the rest runs on the manifold's pool.
 */
public final class ArmijoLineSearch {
    private final Manifold manifold;
    private final double sufficientDecrease;
    private final double grow;
    private final double shrink;
    private final int maxBacktracks;
    private final FloatMatrix gradient;
    private final FloatMatrix candidate;
    private double trialStep;

    private ArmijoLineSearch(Builder b, Arena arena, long rows, int cols) {
        this.manifold = b.manifold;
        this.sufficientDecrease = b.sufficientDecrease;
        this.grow = b.grow;
        this.shrink = b.shrink;
        this.maxBacktracks = b.maxBacktracks;
        this.trialStep = b.initialStep;
        Objects.requireNonNull(arena, "arena");
        if (rows < 0 || cols < 1) {
            throw new IllegalArgumentException("a line search needs rows >= 0 and cols >= 1, got " + rows + " x "
                    + cols);
        }
        this.gradient = FloatMatrix.allocate(arena, rows, cols);
        this.candidate = FloatMatrix.allocate(arena, rows, cols);
        MatrixChecks.requireShared(manifold.pool(), gradient, "the line search's buffers");
    }

    /** A builder with initial step 1, c = 1e-4, grow 2, shrink 0.5 and at most 30 backtracks. */
    public static Builder builder(Manifold manifold) {
        return new Builder(manifold);
    }

    /** The step the next call tries first. */
    public double trialStep() {
        return trialStep;
    }

    /**
     * One step of descent on {@code f} from the points {@code x}, moved in place when a trial
     * passes the sufficient-decrease test.
     *
     * @throws IllegalArgumentException for points of another shape than the buffers', memory the
     *                                  pool cannot read, or a non-finite {@code f(x)} or gradient
     */
    public LineSearchStep step(Objective f, FloatMatrix x) {
        Objects.requireNonNull(f, "objective");
        RowBlockChecks.requirePoints(x, "x", manifold.pool());
        if (x.rows() != gradient.rows() || x.cols() != gradient.cols()) {
            throw new IllegalArgumentException("x is " + x.rows() + " x " + x.cols() + " but this line search holds"
                    + " buffers for " + gradient.rows() + " x " + gradient.cols());
        }
        double value = f.valueAndGradient(x, gradient);
        manifold.proj(x, gradient, gradient);
        double squaredNorm = manifold.inner(x, gradient, gradient);
        if (!Double.isFinite(value) || !Double.isFinite(squaredNorm)) {
            throw new IllegalArgumentException("the objective is " + value + " with a squared gradient norm of "
                    + squaredNorm + " at x; a line search needs both finite");
        }
        if (squaredNorm == 0) {
            return new LineSearchStep(0, value, 0, 1);
        }
        int evaluations = 1;
        double t = trialStep;
        for (int trial = 0; trial <= maxBacktracks; trial++, t *= shrink) {
            manifold.retr(x, gradient, -t, candidate);
            double trialValue = f.value(candidate);
            evaluations++;
            if (trialValue <= value - sufficientDecrease * t * squaredNorm) {
                x.copyFrom(candidate);
                trialStep = t * grow;
                return new LineSearchStep(t, trialValue, Math.sqrt(squaredNorm), evaluations);
            }
        }
        trialStep = t;
        return new LineSearchStep(0, value, Math.sqrt(squaredNorm), evaluations);
    }

    @Override
    public String toString() {
        return "ArmijoLineSearch[c " + sufficientDecrease + ", grow " + grow + ", shrink " + shrink + ", at most "
                + maxBacktracks + " backtracks, next step " + trialStep + "]";
    }

    /** Options; {@link #build} allocates the buffers. */
    public static final class Builder {
        private final Manifold manifold;
        private double initialStep = 1;
        private double sufficientDecrease = 1e-4;
        private double grow = 2;
        private double shrink = 0.5;
        private int maxBacktracks = 30;

        private Builder(Manifold manifold) {
            this.manifold = Objects.requireNonNull(manifold, "manifold");
        }

        /** The first call's trial step, finite and > 0. */
        public Builder initialStep(double t) {
            if (!(t > 0 && t < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("initial step must be finite and > 0, got " + t);
            }
            this.initialStep = t;
            return this;
        }

        /** Armijo's constant c in (0, 1): the fraction of the first-order decrease a step must achieve. */
        public Builder sufficientDecrease(double c) {
            if (!(c > 0 && c < 1)) {
                throw new IllegalArgumentException("sufficient decrease c must be in (0, 1), got " + c);
            }
            this.sufficientDecrease = c;
            return this;
        }

        /** Factor >= 1 on the step after a success. */
        public Builder grow(double factor) {
            if (!(factor >= 1 && factor < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("grow factor must be finite and >= 1, got " + factor);
            }
            this.grow = factor;
            return this;
        }

        /** Factor in (0, 1) on the step after a failed trial. */
        public Builder shrink(double factor) {
            if (!(factor > 0 && factor < 1)) {
                throw new IllegalArgumentException("shrink factor must be in (0, 1), got " + factor);
            }
            this.shrink = factor;
            return this;
        }

        /** Failed trials allowed per call before it gives up, leaving the points where they are (>= 0). */
        public Builder maxBacktracks(int count) {
            if (count < 0) {
                throw new IllegalArgumentException("max backtracks must be >= 0, got " + count);
            }
            this.maxBacktracks = count;
            return this;
        }

        /** The line search for {@code rows x cols} points, its buffers allocated in {@code arena}. */
        public ArmijoLineSearch build(Arena arena, long rows, int cols) {
            return new ArmijoLineSearch(this, arena, rows, cols);
        }
    }
}
