package dev.gnc.sphere;

import java.lang.foreign.MemorySegment;

/**
 * The manifold one row of a {@link Manifold} lives on, as the row-level operations a fused pass
 * needs: an optimiser step does all of a row's work with these while the row is in cache, so a
 * {@code K x d} block is read and written once per step instead of once per operation.
 *
 * <p>A row is {@code d} float32 values starting at a byte offset of a segment. The methods trust
 * their arguments: the matrix-level caller checks shapes, arenas and aliasing once, before the
 * pass. An output row may be the same memory as an input row, never a partial overlap of one.
 */
public interface RowManifold {
    /** Writes {@code proj_x(u)}, the tangent part of {@code u} at {@code x}, to {@code out}. */
    void proj(MemorySegment x, long xAt, MemorySegment u, long uAt, MemorySegment out, long outAt, int d);

    /**
     * Moves {@code x} to {@code R_x(t u)} in place, with this manifold's retraction, then, unless
     * {@code v} is null, replaces {@code v} by its transport to the new {@code x}. {@code u} and
     * {@code v} may be the same row; {@code t = 0} leaves {@code x} unchanged bitwise.
     */
    void retrTransp(MemorySegment x, long xAt, MemorySegment u, long uAt, double t, MemorySegment v, long vAt, int d);

    /**
     * Moves {@code x} to its closest point on the manifold in place. Returns false, leaving
     * {@code x} as it was, when there is no such point (a zero or non-finite row on the sphere).
     */
    boolean projx(MemorySegment x, long xAt, int d);
}
