package dev.gnc.bench;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.Labels;
import dev.gnc.core.WorkPool;
import dev.gnc.gemm.Gemm;
import dev.gnc.gemm.ParallelGemm;
import java.lang.foreign.Arena;

/**
 * Cross-entropy the way a framework without fusion does it: the N x K logits materialised by one
 * big GEMM, softmax row by row in place (scalar Java, float64 sums), then dW = tau dZ^T H and
 * dH = tau dZ W as two big GEMMs. Memory O(N K): the baseline the fused kernel exists to beat.
 */
final class NaiveCrossEntropy {
    private final Gemm gemm;
    private final FloatMatrix logits;
    private final WorkPool pool;

    NaiveCrossEntropy(Gemm gemm, WorkPool pool, Arena arena, int k, int n, int d) {
        this.gemm = new ParallelGemm(gemm, pool);
        this.pool = pool;
        this.logits = FloatMatrix.allocate(arena, n, k);
    }

    /** Mean loss; dW and dH overwritten. */
    double forwardBackward(float tau, FloatMatrix w, FloatMatrix h, Labels y, FloatMatrix dw, FloatMatrix dh) {
        int n = (int) h.rows();
        int k = (int) w.rows();
        gemm.abt(tau, h, w, 0f, logits);
        double[] losses = new double[n];
        pool.run(n, i -> {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                max = Math.max(max, logits.get(i, c));
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(logits.get(i, c) - max);
            }
            double lse = max + Math.log(sum);
            int label = y.get(i);
            losses[i] = lse - logits.get(i, label);
            for (int c = 0; c < k; c++) {
                logits.set(i, c, (float) (Math.exp(logits.get(i, c) - lse) / n));
            }
            logits.set(i, label, logits.get(i, label) - 1f / n);
        });
        gemm.atb(tau, logits, h, 0f, dw);
        gemm.ab(tau, logits, w, 0f, dh);
        double loss = 0;
        for (double l : losses) {
            loss += l;
        }
        return loss / n;
    }
}
