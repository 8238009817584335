/**
 * The generalized-neural-collapse measurements: exact, certified one-vs-rest distances
 * ({@link dev.gnc.metrics.OneVsRestDistance}), GNC1, GNC3 and the accuracies
 * ({@link dev.gnc.metrics.CollapseMetrics}), the maximal cosine, and the small float64 solvers
 * they need. Uses {@link dev.gnc.loss}, {@link dev.gnc.gemm} and {@link dev.gnc.core}.
 */
package dev.gnc.metrics;
