package dev.gnc.gemm;

/**
 * What the loaded OpenBLAS says of itself, for reports: callers outside the kernel get it from
 * {@link Backend#openBlasBuild()} without touching the native bindings.
 *
 * @param config  {@code openblas_get_config()}, e.g. {@code OpenBLAS 0.3.31 DYNAMIC_ARCH NO_AFFINITY Cooperlake MAX_THREADS=64}
 * @param core    {@code openblas_get_corename()}: the kernels it runs, e.g. {@code Cooperlake}
 * @param lapacke whether the library also exports the LAPACKE routines gnc uses
 */
public record OpenBlasBuild(String config, String core, boolean lapacke) {
}
