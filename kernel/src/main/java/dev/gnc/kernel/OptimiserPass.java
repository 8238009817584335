package dev.gnc.kernel;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * The fused pass of one optimiser step, shared by the optimisers: checks the arguments once,
 * counts steps, says which steps stabilize, and hands each row chunk to the optimiser with a
 * scratch row of its own (one row of float32, which stays in cache for the whole chunk) and, on
 * an {@link Oblique} manifold, a {@link SphereStep} for the two-sweep path.
 */
final class OptimiserPass {
    /**
     * One chunk of an optimiser's step: rows {@code [from, to)}; {@code sphere} is null when the
     * manifold's rows are not {@link UnitSphere}s, and then every row takes the {@link RowManifold} path.
     */
    @FunctionalInterface
    interface Rows {
        void step(long from, long to, MemorySegment scratch, SphereStep sphere, boolean stabilizing);
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

    /** A zeroed {@code rows x cols} state matrix in {@code arena}, which the pool's threads must be able to use. */
    FloatMatrix allocateState(Arena arena, int stateCols, String what) {
        Objects.requireNonNull(arena, "arena");
        FloatMatrix state = FloatMatrix.allocate(arena, rows, stateCols);
        MatrixChecks.requireShared(manifold.pool(), state, what);
        return state;
    }

    /** Checks the step's arguments, counts the step, then runs {@code body} over all rows. */
    void run(FloatMatrix x, FloatMatrix gradient, double lr, Rows body) {
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
        SphereRetraction retraction = manifold.row() instanceof UnitSphere sphere ? sphere.retraction() : null;
        RowChunks.run(pool, rows, cols, (c, from, to) -> {
            try (Arena scratch = Arena.ofConfined()) {
                body.step(from, to, scratch.allocate((long) cols * Float.BYTES, FloatMatrix.ALIGNMENT),
                        retraction == null ? null : new SphereStep(retraction), stabilizing);
            }
        });
    }

    /**
     * geoopt's stabilize for one row: {@code x} back onto the manifold, then {@code v} (unless null)
     * back into the tangent space at {@code x}. A row that cannot be projected (only a non-finite
     * gradient makes one) is left as it is.
     */
    static void stabilize(RowManifold row, MemorySegment x, long xAt, MemorySegment v, long vAt, int d) {
        if (row.projx(x, xAt, d) && v != null) {
            row.proj(x, xAt, v, vAt, v, vAt, d);
        }
    }
}
