package dev.gnc.kernel;

import java.lang.foreign.MemorySegment;

/** Placeholder until the Vector API kernel lands. */
final class VectorGemm extends CheckedGemm {
    @Override
    protected void kernel(GemmShape shape, int m, int n, int k, float alpha, MemorySegment a, int lda,
            MemorySegment b, int ldb, float beta, MemorySegment c, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float sum = 0;
                for (int p = 0; p < k; p++) {
                    long ai = shape == GemmShape.AT_B ? (long) p * lda + i : (long) i * lda + p;
                    long bi = shape == GemmShape.A_BT ? (long) j * ldb + p : (long) p * ldb + j;
                    sum += a.getAtIndex(FloatMatrix.FLOAT, ai) * b.getAtIndex(FloatMatrix.FLOAT, bi);
                }
                long ci = (long) i * ldc + j;
                float old = beta == 0 ? 0 : beta * c.getAtIndex(FloatMatrix.FLOAT, ci);
                c.setAtIndex(FloatMatrix.FLOAT, ci, alpha * sum + old);
            }
        }
    }

    @Override
    public String name() {
        return "vector";
    }
}
