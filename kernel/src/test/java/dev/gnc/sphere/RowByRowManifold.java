package dev.gnc.sphere;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.WorkPool;
import java.lang.foreign.MemorySegment;

/**
 * An {@link Oblique} manifold whose {@link #row()} is not a {@link UnitSphere}, as a manifold of a
 * user's own would be: the optimisers then take their {@link RowManifold} path on every row
 * instead of {@link SphereBlock}'s two sweeps.
 */
public final class RowByRowManifold implements Manifold {
    private final Oblique oblique;
    private final RowManifold row;

    public RowByRowManifold(Oblique oblique) {
        this.oblique = oblique;
        RowManifold sphere = oblique.row();
        this.row = new RowManifold() {
            @Override
            public void proj(MemorySegment x, long xAt, MemorySegment u, long uAt, MemorySegment out, long outAt, int d) {
                sphere.proj(x, xAt, u, uAt, out, outAt, d);
            }

            @Override
            public void retrTransp(MemorySegment x, long xAt, MemorySegment u, long uAt, double t, MemorySegment v,
                    long vAt, int d) {
                sphere.retrTransp(x, xAt, u, uAt, t, v, vAt, d);
            }

            @Override
            public boolean projx(MemorySegment x, long xAt, int d) {
                return sphere.projx(x, xAt, d);
            }
        };
    }

    @Override
    public void proj(FloatMatrix x, FloatMatrix u, FloatMatrix out) {
        oblique.proj(x, u, out);
    }

    @Override
    public void retr(FloatMatrix x, FloatMatrix u, double t, FloatMatrix out) {
        oblique.retr(x, u, t, out);
    }

    @Override
    public void expmap(FloatMatrix x, FloatMatrix u, double t, FloatMatrix out) {
        oblique.expmap(x, u, t, out);
    }

    @Override
    public void transp(FloatMatrix x, FloatMatrix y, FloatMatrix v, FloatMatrix out) {
        oblique.transp(x, y, v, out);
    }

    @Override
    public void dist(FloatMatrix x, FloatMatrix y, FloatMatrix out) {
        oblique.dist(x, y, out);
    }

    @Override
    public double inner(FloatMatrix x, FloatMatrix u, FloatMatrix v) {
        return oblique.inner(x, u, v);
    }

    @Override
    public void projx(FloatMatrix x, FloatMatrix out) {
        oblique.projx(x, out);
    }

    @Override
    public RowManifold row() {
        return row;
    }

    @Override
    public WorkPool pool() {
        return oblique.pool();
    }

    @Override
    public String toString() {
        return "RowByRow[" + oblique + "]";
    }
}
