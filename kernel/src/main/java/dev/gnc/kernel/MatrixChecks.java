package dev.gnc.kernel;

import java.lang.foreign.MemorySegment;

/** Argument checks that several kernels share, each naming the offending argument. */
final class MatrixChecks {
    /** A thread that owns nothing: confined memory is not accessible by it. */
    private static final Thread ANOTHER_THREAD = Thread.ofVirtual().unstarted(() -> { });

    private MatrixChecks() {
    }

    /** Throws unless {@code v} is null or holds {@code length} values in one contiguous row or column. */
    static void requireVector(FloatMatrix v, long length, String what) {
        if (v != null && !(v.size() == length && (v.rows() == 1 || v.cols() == 1) && v.isContiguous())) {
            throw new IllegalArgumentException(what + " must hold " + length + " values in one contiguous row or column, is "
                    + v);
        }
    }

    /** Throws when {@code m} is not null and the other threads of a multi-threaded {@code pool} cannot read it. */
    static void requireShared(WorkPool pool, FloatMatrix m, String what) {
        if (m != null) {
            requireShared(pool, m.segment(), what);
        }
    }

    /** Throws when the other threads of a multi-threaded {@code pool} cannot read {@code segment}. */
    static void requireShared(WorkPool pool, MemorySegment segment, String what) {
        if (pool.threads() > 1 && !segment.isAccessibleBy(ANOTHER_THREAD)) {
            throw new IllegalArgumentException(what + " lives in a confined arena, which the other threads of a "
                    + pool.threads() + "-thread pool cannot read; allocate it in Arena.ofShared(), ofAuto() or global()");
        }
    }
}
