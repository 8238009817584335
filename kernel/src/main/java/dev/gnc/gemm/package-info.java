/**
 * Single-precision matrix products and the one place that chooses who computes them:
 * {@link dev.gnc.gemm.Backend} (OpenBLAS through FFM, or the pure Vector API), the
 * {@link dev.gnc.gemm.Gemm} contract with both implementations, its parallel split and
 * self-check, and {@link dev.gnc.gemm.ProductScan}, a selection pass over {@code A B^T} that never
 * stores the product. Uses {@link dev.gnc.core} and the native bindings.
 */
package dev.gnc.gemm;
