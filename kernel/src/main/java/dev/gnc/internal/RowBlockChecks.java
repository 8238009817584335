package dev.gnc.internal;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.WorkPool;
import java.util.Objects;

/**
 * The checks every matrix-level manifold operation and optimiser step makes before its pass, each
 * naming the offending argument: shapes, arenas the pool's threads can read, and outputs that are
 * either the very memory of an input (in place) or apart from it.
 */
public final class RowBlockChecks {
    private RowBlockChecks() {
    }

    /** {@code x} is a block of points: at least one column. */
    public static void requirePoints(FloatMatrix x, String what, WorkPool pool) {
        Objects.requireNonNull(x, what);
        if (x.cols() < 1) {
            throw new IllegalArgumentException(what + " is " + x.rows() + " x 0, but rows on a sphere need at least"
                    + " one column");
        }
        MatrixChecks.requireShared(pool, x, what);
    }

    /** {@code m} has the shape of the points {@code x}. */
    public static void requireShape(FloatMatrix x, String xName, FloatMatrix m, String what, WorkPool pool) {
        Objects.requireNonNull(m, what);
        if (m.rows() != x.rows() || m.cols() != x.cols()) {
            throw new IllegalArgumentException(what + " is " + m.rows() + " x " + m.cols() + " but " + xName + " is "
                    + x.rows() + " x " + x.cols());
        }
        MatrixChecks.requireShared(pool, m, what);
    }

    /** {@code out}, of the same shape as {@code in}, is either the same elements or shares no byte with them. */
    public static void requireInPlaceOrApart(FloatMatrix out, String outName, FloatMatrix in, String inName) {
        if (out.segment().asOverlappingSlice(in.segment()).isPresent()
                && !(out.ld() == in.ld() && out.segment().address() == in.segment().address()
                        && out.segment().heapBase().equals(in.segment().heapBase()))) {
            throw new IllegalArgumentException(outName + " partly overlaps " + inName
                    + "; pass the same matrix to work in place, or memory of its own");
        }
    }

    /** {@code out} shares no byte with {@code in}. */
    public static void requireApart(FloatMatrix out, String outName, FloatMatrix in, String inName) {
        if (out.segment().asOverlappingSlice(in.segment()).isPresent()) {
            throw new IllegalArgumentException(outName + " overlaps " + inName + "; it needs memory of its own");
        }
    }

    /** A finite step length or rate. */
    public static void requireFinite(double value, String what) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(what + " must be finite, got " + value);
        }
    }
}
