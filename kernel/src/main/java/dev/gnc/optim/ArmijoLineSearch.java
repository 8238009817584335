package dev.gnc.optim;

import dev.gnc.core.FloatMatrix;
import dev.gnc.internal.MatrixChecks;
import dev.gnc.internal.RowBlockChecks;
import dev.gnc.internal.RowChunks;
import dev.gnc.internal.RowVectors;
import dev.gnc.sphere.Manifold;
import java.lang.foreign.Arena;
import java.util.List;
import java.util.Objects;

/**
 * Riemannian gradient descent with a backtracking (Armijo) line search, for full-batch problems
 * on any {@link Manifold}; Manopt's and Pymanopt's steepest descent with their backtracking
 * search, simplified, and optionally their conjugate gradient. One {@link #step} from the points
 * x, with {@code g = proj_x(grad f(x))} and a descent direction {@code v}:
 * <pre>
 *   t = the trial step
 *   repeat at most 1 + maxBacktracks times:
 *     if f(R_x(t v)) &lt;= f(x) + c t &lt;g, v&gt;:  x = R_x(t v); next trial step = grow t; done
 *     t = shrink t
 *   none passed: x stays; next trial step = t
 * </pre>
 * with {@code R} the manifold's retraction, so the sufficient decrease is tested along the very
 * curve the points move on. Growing after each success lets the step follow a problem whose
 * curvature changes by orders of magnitude, as the spherical UFM's does at a large scale tau,
 * where any fixed step is either unstable early or crawls late.
 *
 * <p>The direction is {@code v = -g} (steepest descent), or with {@link Builder#conjugate} the
 * Polak-Ribiere+ conjugate direction {@code v = -g + beta P(v_prev)}, {@code beta = max(0, <g, g -
 * P(g_prev)> / ||g_prev||^2)}, the previous direction and gradient transported by projection onto
 * the tangent space at x; it falls back to {@code -g} when that is not a descent direction, and a
 * conjugate step that finds no decrease is retried along {@code -g} within the same call. On
 * ill-conditioned problems such as the tied UFM near a softmax code, this converges in a fraction
 * of steepest descent's steps (docs/CODES.md).
 *
 * <p>Where {@link Objective#valueRounding} says the value test's two sides are closer than their
 * rounding, the trial is decided on slopes instead (Hager and Zhang's approximate Wolfe
 * condition): with {@code phi(s) = f(R_x(s v))}, the decrease {@code phi(t) - phi(0)} is taken
 * as the trapezoid {@code t (phi'(0) + phi'(t)) / 2}, exact for a quadratic, so the test {@code
 * phi(t) <= phi(0) + c t phi'(0)} becomes {@code phi'(t) <= (2c - 1) phi'(0)}, and the float32
 * value need only stay within its rounding of the test. Slopes are inner products of gradients,
 * whose rounding is relative to the gradient, not to the value, so a minimum is approached to
 * the precision of the gradient rather than stopping where the value's rounding hides the
 * decrease. The trial's gradient is the next step's when the trial passes, so such a trial costs
 * one gradient evaluation, which the next step would have made anyway. A step of 0 with a
 * non-zero gradient means the search can make no more progress from x.
 *
 * <p>Buffers: the gradient, the candidate point and its gradient, and for the conjugate direction
 * the direction and the previous gradient, {@code K x d} float32 each, in the caller's arena. The objective is
 * the caller's; the rest runs on the manifold's pool.
 */
public final class ArmijoLineSearch {
    private final Manifold manifold;
    private final double sufficientDecrease;
    private final double grow;
    private final double shrink;
    private final int maxBacktracks;
    private FloatMatrix gradient;          // the Riemannian gradient at x
    private FloatMatrix candidateGradient; // the Riemannian gradient at the candidate, when a slope test took it
    private final FloatMatrix candidate;
    private final FloatMatrix direction;        // the conjugate direction, or null for steepest descent
    private final FloatMatrix previousGradient; // the last step's Riemannian gradient, for beta
    private double previousSquaredNorm;         // its squared norm; 0 when the next direction is -g
    private double trialStep;
    private Objective knownFor; // the objective whose value and gradient at x the last call left in place, or null
    private double knownValue;

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
        this.candidateGradient = FloatMatrix.allocate(arena, rows, cols);
        this.candidate = FloatMatrix.allocate(arena, rows, cols);
        this.direction = b.conjugate ? FloatMatrix.allocate(arena, rows, cols) : null;
        this.previousGradient = b.conjugate ? FloatMatrix.allocate(arena, rows, cols) : null;
        MatrixChecks.requireShared(manifold.pool(), gradient, "the line search's buffers");
    }

    /** A builder with initial step 1, c = 1e-4, grow 2, shrink 0.5, at most 30 backtracks and steepest descent. */
    public static Builder builder(Manifold manifold) {
        return new Builder(manifold);
    }

    /** The step the next call tries first. */
    public double trialStep() {
        return trialStep;
    }

    /**
     * Starts afresh from {@code initialStep}, forgetting the conjugate direction: for a new
     * objective (a new tau), where the last one's step and direction mean nothing.
     *
     * @throws IllegalArgumentException for a step that is not finite and > 0
     */
    public void restart(double initialStep) {
        this.trialStep = Builder.requireStep(initialStep);
        this.previousSquaredNorm = 0;
        this.knownFor = null;
    }

    /**
     * The conjugate direction's state as live views, in a fixed order (the last direction, the
     * last Riemannian gradient), or none for steepest descent: a checkpoint saves them with
     * {@link #trialStep} and {@link #previousSquaredNorm}, and {@link #resume} takes them back.
     */
    public List<FloatMatrix> state() {
        return direction == null ? List.of() : List.of(direction, previousGradient);
    }

    /** The squared norm of the last gradient the next direction builds on; 0 when it will be {@code -g}. */
    public double previousSquaredNorm() {
        return previousSquaredNorm;
    }

    /**
     * Continues from a checkpoint: the points and {@link #state} already hold the saved ones, and
     * the next call repeats what the uninterrupted search would have done (its gradient at x is
     * computed afresh, to the same bits).
     *
     * @throws IllegalArgumentException for a trial step that is not finite and > 0, or a squared
     *                                  norm that is negative, not finite, or non-zero for steepest descent
     */
    public void resume(double trialStep, double previousSquaredNorm) {
        if (!(previousSquaredNorm >= 0 && previousSquaredNorm < Double.POSITIVE_INFINITY)
                || (direction == null && previousSquaredNorm != 0)) {
            throw new IllegalArgumentException("a previous squared gradient norm of " + previousSquaredNorm
                    + " cannot resume a " + (direction != null ? "conjugate" : "steepest-descent") + " line search");
        }
        this.trialStep = Builder.requireStep(trialStep);
        this.previousSquaredNorm = previousSquaredNorm;
        this.knownFor = null;
    }

    /**
     * One step of descent on {@code f} from the points {@code x}, moved in place when a trial
     * passes the sufficient-decrease test. The points must not change between calls except
     * through this line search (or a {@link #restart}): a call reuses the gradient at x that
     * the last one computed for the same objective.
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
        double value;
        if (knownFor == f) {
            value = knownValue;
        } else {
            value = f.valueAndGradient(x, gradient);
            manifold.proj(x, gradient, gradient);
        }
        knownFor = null;
        double squaredNorm = manifold.inner(x, gradient, gradient);
        if (!Double.isFinite(value) || !Double.isFinite(squaredNorm)) {
            throw new IllegalArgumentException("the objective is " + value + " with a squared gradient norm of "
                    + squaredNorm + " at x; a line search needs both finite");
        }
        if (squaredNorm == 0) {
            previousSquaredNorm = 0;
            return new LineSearchStep(0, value, 0, 1);
        }
        Trials trials = new Trials(f, x, value);
        double t = trialStep;
        if (direction != null) {
            double slope = conjugateSlope(x, squaredNorm);
            if (slope < 0) {
                LineSearchStep s = search(trials, x, direction, 1, slope, t, squaredNorm);
                if (s.moved()) {
                    return s;
                }
            }
            previousSquaredNorm = 0;
        }
        LineSearchStep s = search(trials, x, gradient, -1, -squaredNorm, t, squaredNorm);
        if (direction != null && s.moved()) {
            // the direction taken, -g, is what the next step's conjugate direction builds on
            RowChunks.run(manifold.pool(), x.rows(), x.cols(), (c, from, to) -> {
                for (long r = from; r < to; r++) {
                    RowVectors.scale(-1, gradient.segment(), gradient.byteOffset(r, 0), direction.segment(),
                            direction.byteOffset(r, 0), x.cols());
                }
            });
            previousSquaredNorm = squaredNorm;
        }
        return s;
    }

    /**
     * Writes the Polak-Ribiere+ direction at x to {@code direction} and keeps the gradient in
     * {@code previousGradient} for the next call; returns its slope {@code <g, v>}, or 0 when there
     * is no previous direction or the result is not a descent direction, so the caller takes
     * {@code -g}.
     */
    private double conjugateSlope(FloatMatrix x, double squaredNorm) {
        double slope = 0;
        if (previousSquaredNorm > 0) {
            manifold.proj(x, direction, direction);
            manifold.proj(x, previousGradient, previousGradient);
            double beta = Math.max(0, (squaredNorm - manifold.inner(x, gradient, previousGradient))
                    / previousSquaredNorm);
            RowChunks.run(manifold.pool(), x.rows(), x.cols(), (c, from, to) -> {
                for (long r = from; r < to; r++) {
                    RowVectors.combine((float) beta, direction.segment(), direction.byteOffset(r, 0), -1,
                            gradient.segment(), gradient.byteOffset(r, 0), direction.segment(),
                            direction.byteOffset(r, 0), x.cols());
                }
            });
            slope = Math.min(0, manifold.inner(x, gradient, direction));
        }
        previousGradient.copyFrom(gradient);
        previousSquaredNorm = slope < 0 ? squaredNorm : 0;
        return slope;
    }

    /** Backtracking along {@code sign v} with slope {@code <g, sign v> < 0}; moves x on success. */
    private LineSearchStep search(Trials trials, FloatMatrix x, FloatMatrix v, double sign, double slope, double t,
            double squaredNorm) {
        for (int trial = 0; trial <= maxBacktracks && !trials.undecidable(t * slope); trial++, t *= shrink) {
            manifold.retr(x, v, sign * t, candidate);
            double trialValue = trials.passes(candidate, sign, v, slope, t);
            if (!Double.isNaN(trialValue)) {
                x.copyFrom(candidate);
                if (trials.candidateGradientTaken) {
                    FloatMatrix atX = candidateGradient;
                    candidateGradient = gradient;
                    gradient = atX;
                    knownFor = trials.f;
                    knownValue = trialValue;
                }
                trialStep = t * grow;
                return new LineSearchStep(t, trialValue, Math.sqrt(squaredNorm), trials.evaluations);
            }
        }
        trialStep = t;
        return new LineSearchStep(0, trials.value, Math.sqrt(squaredNorm), trials.evaluations);
    }

    /**
     * The sufficient-decrease tests of one call: on the objective's value where its rounding
     * cannot change the outcome, on slopes where it can. When even the first-order prediction of
     * the decrease is below the rounding, the value could only reject (an overshoot) and would be
     * an evaluation spent for nothing in most trials, so the test goes straight to the slopes.
     */
    private final class Trials {
        final Objective f;
        final FloatMatrix x;
        final double value;
        final double rounding;
        int evaluations = 1;
        boolean candidateGradientTaken;
        /**
         * The relative resolution of a float64 sum of up to millions of terms, about 13 digits:
         * a smaller predicted change could pass or fail on rounding alone.
         */
        static final double RESOLUTION = 1e-13;

        Trials(Objective f, FloatMatrix x, double value) {
            this.f = f;
            this.x = x;
            this.value = value;
            this.rounding = f.valueRounding(value);
        }

        /**
         * Whether a step with first-order change {@code predicted} (and any shorter one) is
         * below the resolution of the value, so that accepting it would follow rounding noise:
         * the search then stops, and x is as close to a minimum as the gradient can tell.
         */
        boolean undecidable(double predicted) {
            return rounding > 0 && -predicted < RESOLUTION * Math.abs(value);
        }

        /**
         * The candidate {@code R_x(sign t v)}'s value when it passes the test, else NaN; {@code
         * slope} is {@code phi'(0) = <g, sign v> < 0}. A pass on slopes leaves the candidate's
         * Riemannian gradient in {@code candidateGradient}.
         */
        double passes(FloatMatrix candidate, double sign, FloatMatrix v, double slope, double t) {
            double predicted = t * slope;
            double needed = value + sufficientDecrease * predicted;
            if (-predicted >= rounding) {
                double trial = f.value(candidate);
                evaluations++;
                if (trial <= needed - 2 * rounding) {
                    return trial;
                }
                if (trial > needed + 2 * rounding || Double.isNaN(trial)) {
                    return Double.NaN;
                }
            }
            double trial = f.valueAndGradient(candidate, candidateGradient);
            evaluations++;
            if (!(trial <= needed + 2 * rounding)) {
                return Double.NaN;
            }
            // phi'(t) = <grad f(y), d/dt R_x(t sign v)>, the curve's velocity taken as the
            // projection of sign v onto the tangent space at y (exact to second order in t |v|)
            manifold.proj(candidate, candidateGradient, candidateGradient);
            double endSlope = sign * manifold.inner(candidate, candidateGradient, v);
            if (endSlope <= (2 * sufficientDecrease - 1) * slope) {
                candidateGradientTaken = true;
                return trial;
            }
            return Double.NaN;
        }
    }

    @Override
    public String toString() {
        return "ArmijoLineSearch[" + (direction != null ? "conjugate" : "steepest") + ", c " + sufficientDecrease + ", grow " + grow + ", shrink " + shrink + ", at most "
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
        private boolean conjugate;

        private Builder(Manifold manifold) {
            this.manifold = Objects.requireNonNull(manifold, "manifold");
        }

        /** The first call's trial step, finite and > 0. */
        public Builder initialStep(double t) {
            this.initialStep = requireStep(t);
            return this;
        }

        private static double requireStep(double t) {
            if (!(t > 0 && t < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("initial step must be finite and > 0, got " + t);
            }
            return t;
        }

        /** Polak-Ribiere+ conjugate directions instead of steepest descent (two more buffers). */
        public Builder conjugate(boolean conjugate) {
            this.conjugate = conjugate;
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
