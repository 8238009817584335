package dev.gnc.bench;

import dev.gnc.kernel.FloatMatrix;
import dev.gnc.kernel.Gemm;
import dev.gnc.kernel.WorkPool;
import java.lang.foreign.Arena;

/**
 * The GEMMs of the fused cross-entropy and nothing else: class tiles split among the threads,
 * each tile against every block of features, into a per-thread tile buffer. Forward is the logits
 * product; with gradients, the logits again plus {@code dZ^T H} and {@code dZ W}. This is the
 * roofline the kernel is compared with.
 */
final class TiledGemms {
    private final Gemm gemm;
    private final WorkPool pool;
    private final int nb;
    private final int kb;
    private final FloatMatrix[] tiles;
    private final FloatMatrix[] dhPartials;
    private final Arena arena;

    TiledGemms(Gemm gemm, WorkPool pool, Arena arena, int nb, int kb) {
        this.gemm = gemm;
        this.pool = pool;
        this.nb = nb;
        this.kb = kb;
        this.tiles = new FloatMatrix[pool.threads()];
        this.dhPartials = new FloatMatrix[pool.threads()];
        for (int t = 0; t < tiles.length; t++) {
            tiles[t] = FloatMatrix.allocate(arena, nb, kb);
        }
        this.arena = arena;
    }

    /** Runs the products for W (K x d) and H (N x d); with dw and dh, the backward ones too. */
    FloatMatrix run(float tau, FloatMatrix w, FloatMatrix h, FloatMatrix dw, FloatMatrix dh) {
        int k = (int) w.rows();
        int n = (int) h.rows();
        int tileCount = (k + kb - 1) / kb;
        int tasks = Math.min(pool.threads(), tileCount);
        pool.run(tasks, task -> {
            FloatMatrix tile = tiles[task];
            if (dh != null && dhPartials[task] == null) {
                dhPartials[task] = FloatMatrix.allocate(arena, n, w.cols());
            }
            for (int t = (int) ((long) task * tileCount / tasks); t < (int) ((long) (task + 1) * tileCount / tasks); t++) {
                int k0 = t * kb;
                int kt = Math.min(kb, k - k0);
                FloatMatrix wTile = w.rows(k0, k0 + kt);
                for (int b0 = 0; b0 < n; b0 += nb) {
                    int rows = Math.min(nb, n - b0);
                    FloatMatrix z = tile.block(0, 0, rows, kt);
                    FloatMatrix hBlock = h.rows(b0, b0 + rows);
                    gemm.abt(tau, hBlock, wTile, 0f, z);
                    if (dw != null) {
                        gemm.abt(tau, hBlock, wTile, 0f, z);
                        gemm.atb(tau, z, hBlock, 1f, dw.rows(k0, k0 + kt));
                        gemm.ab(tau, z, wTile, 1f, dhPartials[task].rows(b0, b0 + rows));
                    }
                }
            }
        });
        return tiles[0];
    }
}
