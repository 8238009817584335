package dev.gnc.ufm;

/**
 * How a training run measures the margin min_k rho_k of W: at every log, and once more at the end
 * of the run ({@link UfmTraining#measureFinal}).
 */
public enum MarginMode {
    /** Certified exact distances ({@link dev.gnc.metrics.OneVsRestDistance}) at every log and at the end. */
    EXACT,
    /**
     * The lower bound 1 - max cos from one Gram pass at every log, flagged as a bound; exact at the
     * end up to {@value UfmTraining#FINAL_EXACT_MARGIN_CLASSES} classes.
     */
    BOUND,
    /** Not measured (NaN). */
    NONE,
    /**
     * EXACT at every log up to {@value UfmTraining#EXACT_MARGIN_CLASSES} classes, BOUND above; at
     * the end exact up to {@value UfmTraining#FINAL_EXACT_MARGIN_CLASSES} classes, as BOUND is.
     */
    AUTO;

    /** What a log in the middle of a run of {@code classes} classes measures. */
    MarginMode atLog(int classes) {
        return this != AUTO ? this : classes <= UfmTraining.EXACT_MARGIN_CLASSES ? EXACT : BOUND;
    }

    /** What the last measurement of a run of {@code classes} classes measures. */
    MarginMode atEnd(int classes) {
        return this == NONE ? NONE : this == EXACT || classes <= UfmTraining.FINAL_EXACT_MARGIN_CLASSES ? EXACT : BOUND;
    }
}
