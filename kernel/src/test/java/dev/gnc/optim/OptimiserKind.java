package dev.gnc.optim;

import dev.gnc.core.FloatMatrix;
import dev.gnc.sphere.Manifold;
import java.lang.foreign.Arena;

/** The optimisers under test, each with the settings the tests use and its float64 reference step. */
enum OptimiserKind {
    PLAIN, HEAVY_BALL, NESTEROV, ADAM;

    static final double MOMENTUM = 0.9;
    static final double BETA1 = 0.8;
    static final double BETA2 = 0.99;
    static final double EPS = 1e-8;

    RiemannianOptimiser build(Manifold manifold, Arena arena, long k, int d, int stabilize) {
        return switch (this) {
            case PLAIN -> RiemannianSgd.builder(manifold).stabilize(stabilize).build(arena, k, d);
            case HEAVY_BALL -> RiemannianSgd.builder(manifold).momentum(MOMENTUM).stabilize(stabilize)
                    .build(arena, k, d);
            case NESTEROV -> RiemannianSgd.builder(manifold).momentum(MOMENTUM).nesterov(true).stabilize(stabilize)
                    .build(arena, k, d);
            case ADAM -> RiemannianAdam.builder(manifold).betas(BETA1, BETA2).eps(EPS).stabilize(stabilize)
                    .build(arena, k, d);
        };
    }

    /** The optimiser's K x d tangent state (momentum or first moment), null for plain SGD. */
    static FloatMatrix tangentState(RiemannianOptimiser optimiser) {
        return optimiser instanceof RiemannianAdam adam ? adam.firstMoment() : ((RiemannianSgd) optimiser).velocity();
    }

    /** The reference step on one row; {@code m} and {@code v} as {@link OptimiserReference} takes them. */
    void referenceStep(boolean exponential, double[] x, double[] g, double[] m, double[] v, long n, double lr,
            boolean stabilize) {
        switch (this) {
            case PLAIN -> OptimiserReference.sgd(exponential, x, g, null, 0, false, lr, stabilize);
            case HEAVY_BALL -> OptimiserReference.sgd(exponential, x, g, m, MOMENTUM, false, lr, stabilize);
            case NESTEROV -> OptimiserReference.sgd(exponential, x, g, m, MOMENTUM, true, lr, stabilize);
            case ADAM -> OptimiserReference.adam(exponential, x, g, m, v, BETA1, BETA2, EPS, n, lr, stabilize);
        }
    }
}
