package dev.gnc.kernel;

/**
 * Splits one product over a {@link WorkPool}: C is cut into column panels (rows of B for
 * {@code A * B^T}), each computed by the single-threaded backend. The split depends only on the
 * thread count, never on scheduling, so results repeat bitwise for a given thread count.
 */
public final class ParallelGemm implements Gemm {
    /** Columns of C per task; a multiple of every register block width the backends use. */
    static final int PANEL = 256;

    private final Gemm backend;
    private final WorkPool pool;

    public ParallelGemm(Gemm backend, WorkPool pool) {
        this.backend = backend;
        this.pool = pool;
    }

    @Override
    public void multiply(GemmShape shape, float alpha, FloatMatrix a, FloatMatrix b, float beta, FloatMatrix c) {
        long n = c.cols();
        int panels = (int) Math.max(1, Math.min(pool.threads() * 4L, (n + PANEL - 1) / PANEL));
        if (panels == 1 || c.rows() != shape.m(a) || shape.n(b) != n) {
            backend.multiply(shape, alpha, a, b, beta, c); // one call; the backend reports any shape error
            return;
        }
        long width = ((n + panels - 1) / panels + PANEL - 1) / PANEL * PANEL;
        int tasks = (int) ((n + width - 1) / width);
        pool.run(tasks, t -> {
            int from = (int) (t * width);
            int cols = (int) Math.min(width, n - from);
            FloatMatrix bPanel = shape == GemmShape.A_BT ? b.rows(from, from + cols) : b.block(0, from, b.rows(), cols);
            backend.multiply(shape, alpha, a, bPanel, beta, c.block(0, from, c.rows(), cols));
        });
    }

    @Override
    public String name() {
        return backend.name();
    }
}
