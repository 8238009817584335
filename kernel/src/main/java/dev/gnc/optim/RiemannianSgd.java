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
 * Riemannian stochastic gradient descent, plain or with momentum (heavy-ball or Nesterov), as in
 * geoopt's {@code RiemannianSGD}. Per row, with the Riemannian gradient {@code r = proj_x(g)}:
 * <pre>
 *   plain:      x' = R_x(-lr r)
 *   heavy-ball: m  = beta m + r;  x' = R_x(-lr m);            m' = transp_{x→x'}(m)
 *   Nesterov:   m  = beta m + r;  x' = R_x(-lr (r + beta m)); m' = transp_{x→x'}(m)
 * </pre>
 * with {@code R} the manifold's retraction and {@code transp} its transport (by projection on the
 * oblique manifold). The momentum m starts at zero, so the first step is {@code R_x(-lr r)}
 * (PyTorch's convention). There is no dampening and no weight decay: on the sphere the norm of
 * a row is fixed, so decay towards the origin has nothing to shrink (its radial part is
 * projected away).
 *
 * <p>State: the momentum, a {@code K x d} float32 matrix in the caller's arena (none for plain
 * SGD). Optionally every {@code stabilize} steps the step also puts each point back on the
 * manifold and the momentum back into its tangent space (geoopt's {@code stabilize}).
 *
 * <p>A step is one pass over the rows. On an {@link Oblique} manifold a row is two sweeps in
 * cache, its inner products gathered in one and the new point and state written in the other
 * (docs/SPHERE.md); on other manifolds, and for the few rows whose inner products would cancel,
 * it is the {@link RowManifold} operations.
 */
public final class RiemannianSgd implements RiemannianOptimiser {
    private final RowManifold row;
    private final float momentum;
    private final boolean nesterov;
    private final FloatMatrix velocity;
    private final OptimiserPass pass;

    private RiemannianSgd(Builder b, Arena arena, long rows, int cols) {
        this.row = b.manifold.row();
        this.momentum = (float) b.momentum;
        this.nesterov = b.nesterov;
        this.pass = new OptimiserPass(b.manifold, rows, cols, b.stabilize);
        this.velocity = b.momentum > 0 ? pass.allocateState(arena, cols, "the momentum") : null;
    }

    /** A builder for plain Riemannian SGD on {@code manifold}. */
    public static Builder builder(Manifold manifold) {
        return new Builder(manifold);
    }

    /** The momentum buffer, {@code K x d}, or null for plain SGD. */
    FloatMatrix velocity() {
        return velocity;
    }

    @Override
    public long steps() {
        return pass.steps();
    }

    @Override
    public List<FloatMatrix> state() {
        return velocity == null ? List.of() : List.of(velocity);
    }

    @Override
    public void restoreSteps(long steps) {
        pass.restoreSteps(steps);
    }

    @Override
    public void step(FloatMatrix x, FloatMatrix euclideanGradient, double lr) {
        MemorySegment xs = x.segment(), gs = euclideanGradient.segment();
        MemorySegment ms = velocity == null ? null : velocity.segment();
        int d = x.cols();
        // m' = momentum m + r, u = s r + w m' (heavy-ball: u = m'; Nesterov: u = r + momentum m')
        double s = ms == null || nesterov ? 1 : 0, w = ms == null ? 0 : nesterov ? momentum : 1;
        pass.run(x, euclideanGradient, velocity, lr, (from, count, block, r) -> {
            for (int k = 0; k < count; k++) {
                if (block == null || !block.plan(k, momentum, 1, s, w, -lr)) {
                    long i = from + k;
                    stepRow(xs, x.byteOffset(i, 0), gs, euclideanGradient.byteOffset(i, 0), ms,
                            velocity == null ? 0 : velocity.byteOffset(i, 0), r, lr, d);
                }
            }
        });
    }

    /** The step on one row through the {@link RowManifold}, with {@code r} a scratch row. */
    private void stepRow(MemorySegment xs, long xAt, MemorySegment gs, long gAt, MemorySegment ms, long mAt,
            MemorySegment r, double lr, int d) {
        row.proj(xs, xAt, gs, gAt, r, 0, d);
        if (ms == null) {
            row.retrTransp(xs, xAt, r, 0, -lr, null, 0, d);
            return;
        }
        RowVectors.combine(momentum, ms, mAt, 1f, r, 0, ms, mAt, d);
        if (nesterov) {
            RowVectors.combine(1f, r, 0, momentum, ms, mAt, r, 0, d);
        }
        row.retrTransp(xs, xAt, nesterov ? r : ms, nesterov ? 0 : mAt, -lr, ms, mAt, d);
    }

    @Override
    public String toString() {
        return "RiemannianSgd[" + (velocity == null ? "plain" : (nesterov ? "Nesterov" : "heavy-ball") + " momentum "
                + momentum) + "]";
    }

    /** Options; {@link #build} allocates the state. */
    public static final class Builder {
        private final Manifold manifold;
        private double momentum;
        private boolean nesterov;
        private int stabilize;

        private Builder(Manifold manifold) {
            this.manifold = Objects.requireNonNull(manifold, "manifold");
        }

        /** Momentum factor beta in [0, 1); 0 (the default) is plain SGD. */
        public Builder momentum(double beta) {
            if (!(beta >= 0 && beta < 1)) {
                throw new IllegalArgumentException("momentum must be in [0, 1), got " + beta);
            }
            this.momentum = beta;
            return this;
        }

        /** Nesterov's look-ahead instead of heavy-ball momentum (needs a momentum > 0). */
        public Builder nesterov(boolean nesterov) {
            this.nesterov = nesterov;
            return this;
        }

        /** Every this many steps, re-project points and momentum against drift; 0 (the default) never. */
        public Builder stabilize(int every) {
            this.stabilize = OptimiserPass.requireStabilize(every);
            return this;
        }

        /** The optimiser for {@code rows x cols} points, its momentum allocated in {@code arena}. */
        public RiemannianSgd build(Arena arena, long rows, int cols) {
            if (nesterov && momentum == 0) {
                throw new IllegalArgumentException("Nesterov momentum needs a momentum > 0");
            }
            return new RiemannianSgd(this, arena, rows, cols);
        }
    }
}
