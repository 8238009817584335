package dev.gnc.optim;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.WorkPool;
import dev.gnc.internal.MatrixChecks;
import dev.gnc.internal.RowBlockChecks;
import dev.gnc.internal.RowChunks;
import dev.gnc.sphere.Manifold;
import dev.gnc.sphere.Oblique;
import dev.gnc.sphere.RowManifold;
import dev.gnc.sphere.SphereBlock;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * The fused pass of one optimiser step, shared by the optimisers: checks the arguments once,
 * counts steps, says which steps stabilize, and hands the rows to the optimiser in blocks of
 * {@value SphereBlock#ROWS}, with a scratch row of its chunk (one row of float32, which stays in
 * cache for the whole chunk). On an {@link Oblique} manifold the pass gathers each block's
 * {@link SphereBlock} sweep, the optimiser plans its rows (or steps them row by row), and the pass
 * writes the planned rows; then, on stabilizing steps, it stabilizes the block.
 */
final class OptimiserPass {
    /** An optimiser's step on a block of rows. */
    @FunctionalInterface
    interface Rows {
        /**
         * Steps rows {@code [from, from + count)}: each row either {@linkplain SphereBlock#plan
         * planned} on {@code block}, which the pass then writes, or stepped through the
         * {@link RowManifold}. {@code block} is null on a manifold whose rows are not unit
         * spheres (see {@link SphereBlock#forRows}).
         */
        void step(long from, int count, SphereBlock block, MemorySegment scratch);
    }

    private final Manifold manifold;
    private final long rows;
    private final int cols;
    private final int stabilizeEvery;
    private long steps;

    /** For {@code rows x cols} points on {@code manifold}, stabilizing every {@code stabilizeEvery} steps (0: never). */
    OptimiserPass(Manifold manifold, long rows, int cols, int stabilizeEvery) {
        this.manifold = Objects.requireNonNull(manifold, "manifold");
        if (rows < 0 || cols < 1) {
            throw new IllegalArgumentException("an optimiser needs rows >= 0 and cols >= 1, got " + rows + " x " + cols);
        }
        this.rows = rows;
        this.cols = cols;
        this.stabilizeEvery = requireStabilize(stabilizeEvery);
    }

    static int requireStabilize(int every) {
        if (every < 0) {
            throw new IllegalArgumentException("stabilize must be >= 0 steps (0 for never), got " + every);
        }
        return every;
    }

    long steps() {
        return steps;
    }

    void restoreSteps(long steps) {
        if (steps < 0) {
            throw new IllegalArgumentException("a step count must be >= 0, got " + steps);
        }
        this.steps = steps;
    }

    /** A zeroed {@code rows x cols} state matrix in {@code arena}, which the pool's threads must be able to use. */
    FloatMatrix allocateState(Arena arena, int stateCols, String what) {
        Objects.requireNonNull(arena, "arena");
        FloatMatrix state = FloatMatrix.allocate(arena, rows, stateCols);
        MatrixChecks.requireShared(manifold.pool(), state, what);
        return state;
    }

    /**
     * Checks the step's arguments, counts the step, then runs {@code body} over all rows;
     * {@code state} is the optimiser's {@code K x d} tangent state, or null.
     */
    void run(FloatMatrix x, FloatMatrix gradient, FloatMatrix state, double lr, Rows body) {
        WorkPool pool = manifold.pool();
        RowBlockChecks.requirePoints(x, "x", pool);
        if (x.rows() != rows || x.cols() != cols) {
            throw new IllegalArgumentException("x is " + x.rows() + " x " + x.cols() + " but this optimiser holds state"
                    + " for " + rows + " x " + cols);
        }
        RowBlockChecks.requireShape(x, "x", gradient, "the Euclidean gradient", pool);
        RowBlockChecks.requireApart(x, "x", gradient, "the Euclidean gradient");
        if (!(lr >= 0 && lr < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + lr);
        }
        steps++;
        boolean stabilizing = stabilizeEvery > 0 && steps % stabilizeEvery == 0;
        RowChunks.run(pool, rows, cols, (c, from, to) -> {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment scratch = arena.allocate((long) cols * Float.BYTES, FloatMatrix.ALIGNMENT);
                SphereBlock block = SphereBlock.forRows(manifold.row());
                for (long at = from; at < to; at += SphereBlock.ROWS) {
                    int count = (int) Math.min(SphereBlock.ROWS, to - at);
                    if (block != null) {
                        block.gather(x, gradient, state, at, count);
                    }
                    body.step(at, count, block, scratch);
                    if (block != null) {
                        block.write();
                    }
                    if (stabilizing) {
                        stabilize(x, state, at, count);
                    }
                }
            }
        });
    }

    /**
     * geoopt's stabilize for rows {@code [from, from + count)}: x back onto the manifold, then the
     * state (unless null) back into the tangent space at x. A row that cannot be projected (only a
     * non-finite gradient makes one) is left as it is.
     */
    private void stabilize(FloatMatrix x, FloatMatrix state, long from, int count) {
        RowManifold row = manifold.row();
        for (long i = from; i < from + count; i++) {
            long xAt = x.byteOffset(i, 0);
            if (row.projx(x.segment(), xAt, cols) && state != null) {
                long vAt = state.byteOffset(i, 0);
                row.proj(x.segment(), xAt, state.segment(), vAt, state.segment(), vAt, cols);
            }
        }
    }
}
