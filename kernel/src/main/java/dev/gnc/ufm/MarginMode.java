package dev.gnc.ufm;

/** How a training run measures the margin min_k rho_k of W when it logs. */
public enum MarginMode {
    /** Certified exact distances ({@link dev.gnc.metrics.OneVsRestDistance}): two Gram passes and a solve per class. */
    EXACT,
    /** The lower bound 1 - max cos from one Gram pass, flagged as a bound. */
    BOUND,
    /** Not measured (NaN). */
    NONE,
    /** EXACT up to {@value UfmTraining#EXACT_MARGIN_CLASSES} classes, BOUND up to {@value UfmTraining#BOUND_MARGIN_CLASSES}, else NONE. */
    AUTO
}
