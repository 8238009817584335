package dev.gnc.metrics;

import dev.gnc.kernel.FloatMatrix;
import dev.gnc.kernel.Labels;
import dev.gnc.kernel.WorkPool;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/** The checks the collapse metrics make before any work, each naming the offending value. */
final class CollapseInputs {
    /** A thread that owns nothing: memory of a confined arena is not accessible by it. */
    private static final Thread ANOTHER_THREAD = Thread.ofVirtual().unstarted(() -> { });

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
        requireShared(pool, h.segment(), "features H");
        requireShared(pool, y.segment(), "labels y");
        LabelCensus census = LabelCensus.of(y, (int) classes);
        requireFinite(h, "features H");
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
        requireShared(pool, w.segment(), "classifier W");
        requireFinite(w, "classifier W");
    }

    /**
     * Throws naming the first NaN or infinity of {@code m}. A scalar scan: it costs N d reads,
     * against the N d^2 / 2 of the scatter and the 2 N K d of the argmax passes that follow.
     */
    static void requireFinite(FloatMatrix m, String what) {
        MemorySegment s = m.segment();
        for (long i = 0; i < m.rows(); i++) {
            long at = m.byteOffset(i, 0);
            for (int j = 0; j < m.cols(); j++) {
                float v = s.get(ValueLayout.JAVA_FLOAT_UNALIGNED, at + (long) j * Float.BYTES);
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException(what + " has a non-finite value " + v + " at (" + i + ", " + j
                            + ")");
                }
            }
        }
    }

    /** Throws when the other threads of a multi-threaded {@code pool} cannot read {@code segment}. */
    static void requireShared(WorkPool pool, MemorySegment segment, String what) {
        if (pool.threads() > 1 && !segment.isAccessibleBy(ANOTHER_THREAD)) {
            throw new IllegalArgumentException(what + " lives in a confined arena, which the other threads of a "
                    + pool.threads() + "-thread pool cannot read; allocate it in Arena.ofShared(), ofAuto() or"
                    + " global()");
        }
    }
}
