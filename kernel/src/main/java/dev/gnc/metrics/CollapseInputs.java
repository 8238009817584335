package dev.gnc.metrics;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.Labels;
import dev.gnc.core.WorkPool;
import dev.gnc.internal.FiniteScan;
import java.util.Objects;

/** The checks the collapse metrics make before any work, each naming the offending value. */
final class CollapseInputs {
    private CollapseInputs() {
    }

    /** Features H (N x d) and labels y (N values in [0, classes)) for a pool; returns the label census. */
    static LabelCensus features(FloatMatrix h, Labels y, long classes, WorkPool pool) {
        Objects.requireNonNull(h, "features H");
        Objects.requireNonNull(y, "labels y");
        Objects.requireNonNull(pool, "pool");
        if (classes < 1 || classes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the class count must be in [1, 2^31 - 1], got " + classes);
        }
        if (h.cols() < 1) {
            throw new IllegalArgumentException("features H must have at least one dimension, are " + h.rows() + " x "
                    + h.cols());
        }
        if (h.rows() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("at most 2^31 - 1 samples per call, got N = " + h.rows());
        }
        if (y.length() != h.rows()) {
            throw new IllegalArgumentException(y.length() + " labels for " + h.rows() + " feature rows");
        }
        pool.requireShared(h.segment(), "features H");
        pool.requireShared(y.segment(), "labels y");
        LabelCensus census = LabelCensus.of(y, (int) classes);
        FiniteScan.require(h, "features H");
        return census;
    }

    /** Classifier W (K x d) against features H (N x d). */
    static void classifier(FloatMatrix w, FloatMatrix h, WorkPool pool) {
        Objects.requireNonNull(w, "classifier W");
        Objects.requireNonNull(h, "features H");
        Objects.requireNonNull(pool, "pool");
        if (w.rows() < 1 || w.cols() < 1 || w.rows() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("classifier W must have 1 to 2^31 - 1 classes and at least one"
                    + " dimension, is " + w.rows() + " x " + w.cols());
        }
        if (h.cols() != w.cols()) {
            throw new IllegalArgumentException("features H are " + h.rows() + " x " + h.cols() + " but classifier W is "
                    + w.rows() + " x " + w.cols() + ": the dimensions differ");
        }
        pool.requireShared(w.segment(), "classifier W");
        FiniteScan.require(w, "classifier W");
    }
}
