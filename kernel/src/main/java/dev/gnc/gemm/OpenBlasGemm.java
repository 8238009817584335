package dev.gnc.gemm;

import dev.gnc.blas.OpenBlas;
import dev.gnc.core.WorkPool;
import java.lang.foreign.MemorySegment;

/** {@link Gemm} by OpenBLAS's {@code cblas_sgemm}, one call per product, on the calling thread. */
final class OpenBlasGemm extends CheckedGemm {
    private final OpenBlas blas;

    /** Binds to {@code blas} and makes it single-threaded: gnc's {@link WorkPool} is the only parallelism. */
    OpenBlasGemm(OpenBlas blas) {
        this.blas = blas;
        blas.openblas_set_num_threads(1);
    }

    @Override
    protected void kernel(GemmShape shape, int m, int n, int k, float alpha, MemorySegment a, int lda,
            MemorySegment b, int ldb, float beta, MemorySegment c, int ldc) {
        int transA = shape == GemmShape.AT_B ? OpenBlas.CblasTrans : OpenBlas.CblasNoTrans;
        int transB = shape == GemmShape.A_BT ? OpenBlas.CblasTrans : OpenBlas.CblasNoTrans;
        blas.cblas_sgemm(OpenBlas.CblasRowMajor, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
    }

    @Override
    public String name() {
        return "openblas";
    }
}
