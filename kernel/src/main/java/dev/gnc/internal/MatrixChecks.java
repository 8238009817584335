package dev.gnc.internal;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.WorkPool;

/** Argument checks that several kernels share, each naming the offending argument. */
public final class MatrixChecks {
    private MatrixChecks() {
    }

    /** Throws unless {@code v} is null or holds {@code length} values in one contiguous row or column. */
    public static void requireVector(FloatMatrix v, long length, String what) {
        if (v != null && !(v.size() == length && (v.rows() == 1 || v.cols() == 1) && v.isContiguous())) {
            throw new IllegalArgumentException(what + " must hold " + length + " values in one contiguous row or column, is "
                    + v);
        }
    }

    /** Throws when {@code m} is not null and the other threads of a multi-threaded {@code pool} cannot read it. */
    public static void requireShared(WorkPool pool, FloatMatrix m, String what) {
        if (m != null) {
            pool.requireShared(m.segment(), what);
        }
    }
}
