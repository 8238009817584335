package dev.gnc.metrics;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.WorkPool;
import dev.gnc.gemm.ProductScan;
import java.lang.foreign.Arena;

/**
 * {@code max_{j != k} <w_k, w_j>} over a unit code, from one {@link ProductScan} pass that keeps
 * each row's largest product: the bound {@code 1 - max cos <= min_k rho_k} at half the cost of
 * the certified distances, for codes too large to certify often. Float32 products, so accurate
 * to a few units of 2^-24.
 */
public final class MaxCosine {
    private static final int BLOCK = 256;

    private MaxCosine() {
    }

    /** The largest inner product between two different rows of {@code w} (K >= 2 rows). */
    public static double of(FloatMatrix w, ProductScan scan, WorkPool pool) {
        long k = w.rows();
        if (k < 2) {
            throw new IllegalArgumentException("a largest cosine needs 2 rows or more, got " + k);
        }
        pool.requireShared(w.segment(), "W");
        int blocks = (int) ((k + BLOCK - 1) / BLOCK);
        float[] best = new float[blocks];
        pool.run(blocks, b -> {
            long r0 = (long) b * BLOCK;
            int rows = (int) Math.min(BLOCK, k - r0);
            float[] threshold = {Float.NEGATIVE_INFINITY}; // one threshold for the block: only its maximum matters
            try (Arena arena = Arena.ofConfined()) {
                scan.scan(w.rows(r0, r0 + rows), w, new ProductScan.Visitor() {
                    @Override
                    public float threshold(int r) {
                        return threshold[0];
                    }

                    @Override
                    public void accept(int r, long j, float value) {
                        threshold[0] = value;
                    }

                    @Override
                    public long skipped(int r) {
                        return r0 + r;
                    }
                }, arena);
            }
            best[b] = threshold[0];
        });
        float max = Float.NEGATIVE_INFINITY;
        for (float v : best) {
            max = Math.max(max, v);
        }
        return max;
    }
}
