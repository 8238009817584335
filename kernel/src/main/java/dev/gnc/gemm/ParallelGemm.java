package dev.gnc.gemm;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.WorkPool;
import dev.gnc.internal.MatrixChecks;

/**
 * Splits one product over a {@link WorkPool}: C is cut along its longer side into bands, each
 * computed by the single-threaded backend (rows of A, or columns of B, go with their band). The
 * split depends only on the shape and the thread count, never on scheduling, so results repeat
 * bitwise for a given thread count.
 */
public final class ParallelGemm implements Gemm {
    /** Smallest band, in rows or columns of C: a multiple of every register block the backends use. */
    static final int GRAIN = 64;

    private final Gemm backend;
    private final WorkPool pool;

    public ParallelGemm(Gemm backend, WorkPool pool) {
        this.backend = backend;
        this.pool = pool;
    }

    @Override
    public void multiply(GemmShape shape, float alpha, FloatMatrix a, FloatMatrix b, float beta, FloatMatrix c) {
        boolean byRows = c.rows() >= c.cols();
        long extent = byRows ? c.rows() : c.cols();
        long grains = (extent + GRAIN - 1) / GRAIN;
        int bands = (int) Math.min(grains, pool.threads() * 4L); // a few bands per thread evens out the tail
        boolean consistent = shape.m(a) == c.rows() && shape.n(b) == c.cols();
        MatrixChecks.requireShared(pool, a, "A");
        MatrixChecks.requireShared(pool, b, "B");
        MatrixChecks.requireShared(pool, c, "C");
        if (bands <= 1 || pool.threads() == 1 || !consistent) {
            backend.multiply(shape, alpha, a, b, beta, c); // one call; the backend reports any shape error
            return;
        }
        long width = (grains + bands - 1) / bands * GRAIN;
        int tasks = (int) ((extent + width - 1) / width);
        pool.run(tasks, t -> {
            long from = t * width;
            long to = Math.min(extent, from + width);
            if (byRows) {
                FloatMatrix aBand = shape == GemmShape.AT_B ? a.block(0, (int) from, a.rows(), (int) (to - from))
                        : a.rows(from, to);
                backend.multiply(shape, alpha, aBand, b, beta, c.rows(from, to));
            } else {
                FloatMatrix bBand = shape == GemmShape.A_BT ? b.rows(from, to)
                        : b.block(0, (int) from, b.rows(), (int) (to - from));
                backend.multiply(shape, alpha, a, bBand, beta, c.block(0, (int) from, c.rows(), (int) (to - from)));
            }
        });
    }

    @Override
    public String name() {
        return backend.name();
    }
}
