package dev.gnc.sphere;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.WorkPool;

/**
 * A Riemannian manifold whose points are {@code K x d} {@link FloatMatrix} blocks, one factor per
 * row, with the operations first-order optimisers need, named as in Manopt and geoopt. Optimisers
 * are written against this interface, so a new retraction is a new manifold object, not a new
 * optimiser.
 *
 * <p>Tangent vectors are {@code K x d} matrices in ambient coordinates. Every operation writes an
 * out-parameter of the shape it documents; an output may be the same matrix as an input (in
 * place) but not a partial overlap of one. Work is split over row chunks on {@link #pool()};
 * results do not depend on its thread count. Arguments are checked once, before any work, with
 * an {@link IllegalArgumentException} naming the offending one; with a pool of several threads,
 * every matrix must live in an arena other threads can use.
 */
public interface Manifold {
    /** {@code out = proj_x(u)}: the tangent part at the points {@code x} of the ambient {@code u}. */
    void proj(FloatMatrix x, FloatMatrix u, FloatMatrix out);

    /** {@code out = R_x(t u)}: this manifold's retraction of the tangent step {@code t u}; {@code t = 0} copies {@code x}. */
    void retr(FloatMatrix x, FloatMatrix u, double t, FloatMatrix out);

    /** {@code out = Exp_x(t u)}: the exponential map, whatever {@link #retr} is. */
    void expmap(FloatMatrix x, FloatMatrix u, double t, FloatMatrix out);

    /** {@code out}: the tangent vectors {@code v} at {@code x} transported to the points {@code y}. */
    void transp(FloatMatrix x, FloatMatrix y, FloatMatrix v, FloatMatrix out);

    /** Writes the geodesic distance between row i of {@code x} and of {@code y} (radians) to element i of {@code out}, a vector of K values. */
    void dist(FloatMatrix x, FloatMatrix y, FloatMatrix out);

    /** The Riemannian inner product {@code <u, v>_x}, summed over all rows. */
    double inner(FloatMatrix x, FloatMatrix u, FloatMatrix v);

    /** {@code out}: the closest points of the manifold to the ambient {@code x}. */
    void projx(FloatMatrix x, FloatMatrix out);

    /** The manifold of one row, with this manifold's retraction, for fused passes. */
    RowManifold row();

    /** The threads the operations, and the optimisers written against this manifold, run on. */
    WorkPool pool();
}
