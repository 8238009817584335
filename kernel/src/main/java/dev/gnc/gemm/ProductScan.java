package dev.gnc.gemm;

import dev.gnc.core.FloatMatrix;
import dev.gnc.internal.Simd;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Objects;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * A selection pass over the products {@code A B^T} that never materialises them: tiles of
 * {@code blockRows x tileColumns} products are computed by the GEMM backend into one buffer that
 * stays in cache, and a Vector API sweep hands every entry above its row's threshold to a
 * {@link Visitor}. The neighbour searches and certificate checks of the GNC metrics are such
 * selections over a Gram matrix {@code W W^T} of millions of rows.
 *
 * <p>One call runs on the calling thread (callers parallelise over blocks of A's rows, each with
 * its own visitor state). Within a row the visitor sees columns in ascending order, so a selection
 * whose ties go to the first column seen is deterministic. The threshold is asked again after each
 * accepted entry, so a top-m selection may raise it as it fills.
 */
public final class ProductScan {
    private static final VectorSpecies<Float> S = Simd.FLOATS;
    private static final int L = S.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    /** Where the entries of one scan go. Row indices count from A's first row. */
    public interface Visitor {
        /** Entries of row {@code r} strictly above this value are accepted; NaN accepts nothing. */
        float threshold(int r);

        /** Called for the product {@code value = <a_r, b_j>} when it exceeds {@code threshold(r)}. */
        void accept(int r, long j, float value);

        /** A column row {@code r} skips (its own class in a Gram matrix), or -1 for none. */
        long skipped(int r);
    }

    private final Gemm gemm;
    private final int blockRows;
    private final int tileColumns;

    /**
     * @param blockRows   rows of A per tile ({@code >= 1})
     * @param tileColumns rows of B per tile ({@code >= 1}); a tile of {@code blockRows x tileColumns}
     *                    floats should fit the core's L2 cache
     */
    public ProductScan(Gemm gemm, int blockRows, int tileColumns) {
        this.gemm = Objects.requireNonNull(gemm, "gemm");
        if (blockRows < 1 || tileColumns < 1) {
            throw new IllegalArgumentException("blockRows and tileColumns must be >= 1, got " + blockRows + " and "
                    + tileColumns);
        }
        this.blockRows = blockRows;
        this.tileColumns = tileColumns;
    }

    /** A scan with the {@link Backend}'s GEMM and a 256 x 512 tile (512 KiB, within a Zen or Xeon L2). */
    public static ProductScan withDefaults() {
        return new ProductScan(Backend.get().gemm(), 256, 512);
    }

    /**
     * Visits every entry of {@code a b^T} above its row's threshold.
     *
     * @param a       {@code m x d}
     * @param b       {@code n x d}
     * @param arena   where the one tile buffer is allocated (the caller's per-task arena)
     */
    public void scan(FloatMatrix a, FloatMatrix b, Visitor visitor, Arena arena) {
        if (a.cols() != b.cols()) {
            throw new IllegalArgumentException("a has " + a.cols() + " columns but b has " + b.cols());
        }
        long m = a.rows();
        long n = b.rows();
        if (m > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a scan visits rows by int index: a has " + m + " rows");
        }
        if (m == 0 || n == 0) {
            return;
        }
        int rowsPerTile = (int) Math.min(blockRows, m);
        int columnsPerTile = (int) Math.min(tileColumns, n);
        FloatMatrix tile = FloatMatrix.allocate(arena, rowsPerTile, columnsPerTile);
        MemorySegment ts = tile.segment();
        for (long r0 = 0; r0 < m; r0 += rowsPerTile) {
            int rows = (int) Math.min(rowsPerTile, m - r0);
            FloatMatrix aBlock = a.rows(r0, r0 + rows);
            for (long j0 = 0; j0 < n; j0 += columnsPerTile) {
                int cols = (int) Math.min(columnsPerTile, n - j0);
                gemm.abt(1f, aBlock, b.rows(j0, j0 + cols), 0f, tile.block(0, 0, rows, cols));
                for (int r = 0; r < rows; r++) {
                    int row = (int) (r0 + r);
                    long skip = visitor.skipped(row) - j0;
                    if (skip >= 0 && skip < cols) {
                        tile.set(r, (int) skip, Float.NEGATIVE_INFINITY);
                    }
                    sweep(ts, tile.byteOffset(r, 0), cols, row, j0, visitor);
                }
            }
        }
    }

    /** One tile row: whole vectors compared at once, the rare lanes above the threshold visited one by one. */
    private static void sweep(MemorySegment tile, long at, int cols, int row, long j0, Visitor visitor) {
        float threshold = visitor.threshold(row);
        for (int i = 0; i < cols; i += L) {
            FloatVector v = i + L <= cols
                    ? FloatVector.fromMemorySegment(S, tile, at + (long) i * Float.BYTES, ORDER)
                    : FloatVector.fromMemorySegment(S, tile, at + (long) i * Float.BYTES, ORDER, S.indexInRange(i, cols));
            long above = v.compare(VectorOperators.GT, threshold).toLong() & laneMask(cols - i);
            if (above != 0) {
                threshold = visitLanes(tile, at + (long) i * Float.BYTES, above, row, j0 + i, threshold, visitor);
            }
        }
    }

    /** The lanes of a vector of which only the first {@code remaining} hold entries. */
    private static long laneMask(int remaining) {
        return remaining >= L ? -1L : (1L << remaining) - 1;
    }

    /**
     * Visits the set lanes of {@code above} in order, each against the threshold as the visitor has
     * raised it. Values are read again from the tile: a vector passed to a call is boxed.
     */
    private static float visitLanes(MemorySegment tile, long at, long above, int row, long j, float threshold,
            Visitor visitor) {
        for (long lanes = above; lanes != 0; lanes &= lanes - 1) {
            int lane = Long.numberOfTrailingZeros(lanes);
            float value = tile.get(FloatMatrix.FLOAT, at + (long) lane * Float.BYTES);
            if (value > threshold) {
                visitor.accept(row, j + lane, value);
                threshold = visitor.threshold(row);
            }
        }
        return threshold;
    }
}
