package dev.gnc.internal;

import dev.gnc.core.WorkPool;

/**
 * Cuts the rows of a {@code K x d} pass into chunks and runs them on a {@link WorkPool}. A chunk
 * holds about {@value #FLOATS_PER_CHUNK} floats of each operand, so the cut depends on the shape
 * alone: per-chunk partial results merged in chunk order are bitwise the same for every thread
 * count, and row-by-row results do not depend on the cut at all.
 */
public final class RowChunks {
    /** Floats per operand per chunk: 256 KB, enough rows to amortise a task, small enough to balance threads. */
    public static final int FLOATS_PER_CHUNK = 1 << 16;

    /** The work on rows {@code [from, to)}, which make up chunk {@code chunk}. */
    @FunctionalInterface
    public interface Body {
        void rows(int chunk, long from, long to);
    }

    /** A partial sum over rows {@code [from, to)}. */
    @FunctionalInterface
    public interface PartialSum {
        double rows(long from, long to);
    }

    private RowChunks() {
    }

    public static long rowsPerChunk(int cols) {
        return Math.max(1, FLOATS_PER_CHUNK / Math.max(cols, 1));
    }

    public static int chunks(long rows, int cols) {
        long per = rowsPerChunk(cols);
        return Math.toIntExact((rows + per - 1) / per);
    }

    /** Runs {@code body} on every chunk of {@code rows} rows of {@code cols} columns. */
    public static void run(WorkPool pool, long rows, int cols, Body body) {
        long per = rowsPerChunk(cols);
        pool.run(chunks(rows, cols), c -> body.rows(c, c * per, Math.min(rows, (c + 1) * per)));
    }

    /** The sum of the chunks' partial sums, added in chunk order. */
    public static double sum(WorkPool pool, long rows, int cols, PartialSum partial) {
        double[] partials = new double[chunks(rows, cols)];
        run(pool, rows, cols, (c, from, to) -> partials[c] = partial.rows(from, to));
        double total = 0;
        for (double p : partials) {
            total += p;
        }
        return total;
    }
}
