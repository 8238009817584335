/**
 * Manifolds of points on spheres: the {@link dev.gnc.sphere.Manifold} operations optimisers are
 * written against, the oblique manifold ({@link dev.gnc.sphere.Oblique}) with its retractions,
 * the row-level sphere, and {@link dev.gnc.sphere.SphereBlock}, the block sweeps an optimiser
 * step plans its rows on. Uses {@link dev.gnc.core}.
 */
package dev.gnc.sphere;
