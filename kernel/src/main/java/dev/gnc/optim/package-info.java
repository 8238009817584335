/**
 * First-order Riemannian optimisers on a {@link dev.gnc.sphere.Manifold}: SGD with or without
 * momentum ({@link dev.gnc.optim.RiemannianSgd}), Adam ({@link dev.gnc.optim.RiemannianAdam}) and
 * a backtracking line search for full-batch objectives ({@link dev.gnc.optim.ArmijoLineSearch}).
 * Uses {@link dev.gnc.sphere} and {@link dev.gnc.core}.
 */
package dev.gnc.optim;
