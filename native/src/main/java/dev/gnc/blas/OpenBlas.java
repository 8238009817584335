package dev.gnc.blas;

import java.lang.foreign.AddressLayout;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * FFM bindings to one loaded OpenBLAS library, in jextract's style: one downcall handle per
 * symbol, a method per symbol named and typed as in C. Written by hand from
 * {@code native/src/main/headers/gnc_openblas.h} (jextract cannot be installed here; the header
 * says how to regenerate them).
 *
 * <p>Pointers are {@link MemorySegment}s of native memory; integers are the 32-bit {@code blasint}
 * of the bundled build. The methods do not validate their arguments: callers (the kernel's
 * backends) check shapes once at their edge. Obtain an instance from {@link OpenBlasLoader}.
 */
public final class OpenBlas {
    public static final int CblasRowMajor = 101;
    public static final int CblasColMajor = 102;
    public static final int CblasNoTrans = 111;
    public static final int CblasTrans = 112;
    public static final int LAPACK_ROW_MAJOR = 101;
    public static final int LAPACK_COL_MAJOR = 102;

    private static final ValueLayout.OfInt C_INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfFloat C_FLOAT = ValueLayout.JAVA_FLOAT;
    private static final ValueLayout.OfDouble C_DOUBLE = ValueLayout.JAVA_DOUBLE;
    private static final ValueLayout.OfByte C_CHAR = ValueLayout.JAVA_BYTE;
    private static final AddressLayout C_POINTER = ValueLayout.ADDRESS;

    private static final FunctionDescriptor openblas_set_num_threads$DESC = FunctionDescriptor.ofVoid(C_INT);
    private static final FunctionDescriptor openblas_get_num_threads$DESC = FunctionDescriptor.of(C_INT);
    private static final FunctionDescriptor openblas_get_config$DESC = FunctionDescriptor.of(C_POINTER);
    private static final FunctionDescriptor openblas_get_corename$DESC = FunctionDescriptor.of(C_POINTER);
    private static final FunctionDescriptor cblas_sdot$DESC =
            FunctionDescriptor.of(C_FLOAT, C_INT, C_POINTER, C_INT, C_POINTER, C_INT);
    private static final FunctionDescriptor cblas_saxpy$DESC =
            FunctionDescriptor.ofVoid(C_INT, C_FLOAT, C_POINTER, C_INT, C_POINTER, C_INT);
    private static final FunctionDescriptor cblas_snrm2$DESC = FunctionDescriptor.of(C_FLOAT, C_INT, C_POINTER, C_INT);
    private static final FunctionDescriptor cblas_sscal$DESC = FunctionDescriptor.ofVoid(C_INT, C_FLOAT, C_POINTER, C_INT);
    private static final FunctionDescriptor cblas_sgemv$DESC = FunctionDescriptor.ofVoid(C_INT, C_INT, C_INT, C_INT,
            C_FLOAT, C_POINTER, C_INT, C_POINTER, C_INT, C_FLOAT, C_POINTER, C_INT);
    private static final FunctionDescriptor cblas_sgemm$DESC = FunctionDescriptor.ofVoid(C_INT, C_INT, C_INT, C_INT,
            C_INT, C_INT, C_FLOAT, C_POINTER, C_INT, C_POINTER, C_INT, C_FLOAT, C_POINTER, C_INT);
    private static final FunctionDescriptor cblas_dgemm$DESC = FunctionDescriptor.ofVoid(C_INT, C_INT, C_INT, C_INT,
            C_INT, C_INT, C_DOUBLE, C_POINTER, C_INT, C_POINTER, C_INT, C_DOUBLE, C_POINTER, C_INT);
    private static final FunctionDescriptor LAPACKE_ssyevd$DESC =
            FunctionDescriptor.of(C_INT, C_INT, C_CHAR, C_CHAR, C_INT, C_POINTER, C_INT, C_POINTER);
    private static final FunctionDescriptor LAPACKE_dsyevd$DESC =
            FunctionDescriptor.of(C_INT, C_INT, C_CHAR, C_CHAR, C_INT, C_POINTER, C_INT, C_POINTER);

    private final MethodHandle openblas_set_num_threads$MH;
    private final MethodHandle openblas_get_num_threads$MH;
    private final MethodHandle openblas_get_config$MH;
    private final MethodHandle openblas_get_corename$MH;
    private final MethodHandle cblas_sdot$MH;
    private final MethodHandle cblas_saxpy$MH;
    private final MethodHandle cblas_snrm2$MH;
    private final MethodHandle cblas_sscal$MH;
    private final MethodHandle cblas_sgemv$MH;
    private final MethodHandle cblas_sgemm$MH;
    private final MethodHandle cblas_dgemm$MH;
    private final MethodHandle LAPACKE_ssyevd$MH;
    private final MethodHandle LAPACKE_dsyevd$MH;

    private final String source;

    /**
     * Binds every symbol from {@code lookup}.
     *
     * @param source where the library came from, for reports (a path or a library name)
     * @throws java.util.NoSuchElementException naming the first symbol the library lacks
     */
    OpenBlas(SymbolLookup lookup, String source) {
        this.source = source;
        openblas_set_num_threads$MH = bind(lookup, "openblas_set_num_threads", openblas_set_num_threads$DESC);
        openblas_get_num_threads$MH = bind(lookup, "openblas_get_num_threads", openblas_get_num_threads$DESC);
        openblas_get_config$MH = bind(lookup, "openblas_get_config", openblas_get_config$DESC);
        openblas_get_corename$MH = bind(lookup, "openblas_get_corename", openblas_get_corename$DESC);
        cblas_sdot$MH = bind(lookup, "cblas_sdot", cblas_sdot$DESC);
        cblas_saxpy$MH = bind(lookup, "cblas_saxpy", cblas_saxpy$DESC);
        cblas_snrm2$MH = bind(lookup, "cblas_snrm2", cblas_snrm2$DESC);
        cblas_sscal$MH = bind(lookup, "cblas_sscal", cblas_sscal$DESC);
        cblas_sgemv$MH = bind(lookup, "cblas_sgemv", cblas_sgemv$DESC);
        cblas_sgemm$MH = bind(lookup, "cblas_sgemm", cblas_sgemm$DESC);
        cblas_dgemm$MH = bind(lookup, "cblas_dgemm", cblas_dgemm$DESC);
        // Debian's libopenblas0 leaves LAPACKE to liblapacke: BLAS alone is still a usable library
        LAPACKE_ssyevd$MH = bindOptional(lookup, "LAPACKE_ssyevd", LAPACKE_ssyevd$DESC);
        LAPACKE_dsyevd$MH = bindOptional(lookup, "LAPACKE_dsyevd", LAPACKE_dsyevd$DESC);
    }

    private static MethodHandle bind(SymbolLookup lookup, String name, FunctionDescriptor descriptor) {
        return Linker.nativeLinker().downcallHandle(lookup.findOrThrow(name), descriptor);
    }

    private static MethodHandle bindOptional(SymbolLookup lookup, String name, FunctionDescriptor descriptor) {
        return lookup.find(name).map(symbol -> Linker.nativeLinker().downcallHandle(symbol, descriptor)).orElse(null);
    }

    /** Whether this library exports the LAPACKE routines (the bundled build does; Debian's libopenblas0 does not). */
    public boolean hasLapacke() {
        return LAPACKE_ssyevd$MH != null && LAPACKE_dsyevd$MH != null;
    }

    private void requireLapacke(String name) {
        if (!hasLapacke()) {
            throw new UnsupportedOperationException(name + " is not exported by " + source
                    + "; use the bundled OpenBLAS or a build with LAPACKE");
        }
    }

    /** Where this library was loaded from: a file path or a library name. */
    public String source() {
        return source;
    }

    public void openblas_set_num_threads(int num_threads) {
        try {
            openblas_set_num_threads$MH.invokeExact(num_threads);
        } catch (Throwable t) {
            throw unreachable(t);
        }
    }

    public int openblas_get_num_threads() {
        try {
            return (int) openblas_get_num_threads$MH.invokeExact();
        } catch (Throwable t) {
            throw unreachable(t);
        }
    }

    /** The build configuration string, e.g. {@code OpenBLAS 0.3.31 DYNAMIC_ARCH NO_AFFINITY Haswell MAX_THREADS=64}. */
    public String openblas_get_config() {
        try {
            return cString((MemorySegment) openblas_get_config$MH.invokeExact());
        } catch (Throwable t) {
            throw unreachable(t);
        }
    }

    /** The name of the CPU core kernel set OpenBLAS chose at load time, e.g. {@code Haswell}. */
    public String openblas_get_corename() {
        try {
            return cString((MemorySegment) openblas_get_corename$MH.invokeExact());
        } catch (Throwable t) {
            throw unreachable(t);
        }
    }

    public float cblas_sdot(int n, MemorySegment x, int incx, MemorySegment y, int incy) {
        try {
            return (float) cblas_sdot$MH.invokeExact(n, x, incx, y, incy);
        } catch (Throwable t) {
            throw unreachable(t);
        }
    }

    public void cblas_saxpy(int n, float alpha, MemorySegment x, int incx, MemorySegment y, int incy) {
        try {
            cblas_saxpy$MH.invokeExact(n, alpha, x, incx, y, incy);
        } catch (Throwable t) {
            throw unreachable(t);
        }
    }

    public float cblas_snrm2(int n, MemorySegment x, int incx) {
        try {
            return (float) cblas_snrm2$MH.invokeExact(n, x, incx);
        } catch (Throwable t) {
            throw unreachable(t);
        }
    }

    public void cblas_sscal(int n, float alpha, MemorySegment x, int incx) {
        try {
            cblas_sscal$MH.invokeExact(n, alpha, x, incx);
        } catch (Throwable t) {
            throw unreachable(t);
        }
    }

    public void cblas_sgemv(int order, int trans, int m, int n, float alpha, MemorySegment a, int lda,
            MemorySegment x, int incx, float beta, MemorySegment y, int incy) {
        try {
            cblas_sgemv$MH.invokeExact(order, trans, m, n, alpha, a, lda, x, incx, beta, y, incy);
        } catch (Throwable t) {
            throw unreachable(t);
        }
    }

    public void cblas_sgemm(int order, int transA, int transB, int m, int n, int k, float alpha, MemorySegment a,
            int lda, MemorySegment b, int ldb, float beta, MemorySegment c, int ldc) {
        try {
            cblas_sgemm$MH.invokeExact(order, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        } catch (Throwable t) {
            throw unreachable(t);
        }
    }

    public void cblas_dgemm(int order, int transA, int transB, int m, int n, int k, double alpha, MemorySegment a,
            int lda, MemorySegment b, int ldb, double beta, MemorySegment c, int ldc) {
        try {
            cblas_dgemm$MH.invokeExact(order, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
        } catch (Throwable t) {
            throw unreachable(t);
        }
    }

    /**
     * Eigenvalues (ascending, into w) and, for jobz 'V', eigenvectors (into a) of a symmetric
     * matrix; 0 on success. Throws {@link UnsupportedOperationException} when the library has no
     * LAPACKE ({@link #hasLapacke()}).
     */
    public int LAPACKE_ssyevd(int matrix_layout, byte jobz, byte uplo, int n, MemorySegment a, int lda,
            MemorySegment w) {
        requireLapacke("LAPACKE_ssyevd");
        try {
            return (int) LAPACKE_ssyevd$MH.invokeExact(matrix_layout, jobz, uplo, n, a, lda, w);
        } catch (Throwable t) {
            throw unreachable(t);
        }
    }

    /** Double-precision {@link #LAPACKE_ssyevd}. */
    public int LAPACKE_dsyevd(int matrix_layout, byte jobz, byte uplo, int n, MemorySegment a, int lda,
            MemorySegment w) {
        requireLapacke("LAPACKE_dsyevd");
        try {
            return (int) LAPACKE_dsyevd$MH.invokeExact(matrix_layout, jobz, uplo, n, a, lda, w);
        } catch (Throwable t) {
            throw unreachable(t);
        }
    }

    private static String cString(MemorySegment pointer) {
        return pointer.equals(MemorySegment.NULL) ? "" : pointer.reinterpret(4096).getString(0).strip();
    }

    /** Rethrows what the linker raises before the call (wrong thread, closed arena); nothing else can come. */
    private static RuntimeException unreachable(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("unexpected checked exception from a downcall", t);
    }

    @Override
    public String toString() {
        return "OpenBlas[" + source + "]";
    }
}
