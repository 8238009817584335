package dev.gnc.examples;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.RandomMatrices;
import dev.gnc.core.WorkPool;
import dev.gnc.optim.ArmijoLineSearch;
import dev.gnc.optim.LineSearchStep;
import dev.gnc.optim.Objective;
import dev.gnc.optim.RiemannianAdam;
import dev.gnc.optim.RiemannianOptimiser;
import dev.gnc.sphere.Manifold;
import dev.gnc.sphere.Oblique;
import java.lang.foreign.Arena;

/** Unit rows pulled towards e_0 on the sphere: Riemannian Adam, then a line search. */
public final class SphereExample {
    /** f(W) = sum_k (1 - w_k0): zero when every row is e_0; its Euclidean gradient is -e_0 in every row. */
    static final class TowardsE0 implements Objective {
        @Override
        public double value(FloatMatrix w) {
            double sum = 0;
            for (long k = 0; k < w.rows(); k++) {
                sum += 1 - w.get(k, 0);
            }
            return sum;
        }

        @Override
        public double valueAndGradient(FloatMatrix w, FloatMatrix gradient) {
            gradient.fill(0f);
            gradient.block(0, 0, w.rows(), 1).fill(-1f); // column 0, a strided view
            return value(w);
        }
    }

    /** The largest geodesic distance from a row of {@code w} to e_0. */
    static double largestAngle(Manifold manifold, FloatMatrix w, FloatMatrix e0, FloatMatrix angles) {
        manifold.dist(w, e0, angles);
        double largest = 0;
        for (long k = 0; k < angles.rows(); k++) {
            largest = Math.max(largest, angles.get(k, 0));
        }
        return largest;
    }

    public static void main(String[] args) {
        int classes = 10_000, dim = 16;
        try (Arena arena = Arena.ofShared(); WorkPool pool = WorkPool.create(WorkPool.defaultThreads())) {
            FloatMatrix w = RandomMatrices.unitRows(arena, classes, dim, 1, pool); // K x d, rows on S^15
            FloatMatrix gradient = FloatMatrix.allocate(arena, classes, dim);
            FloatMatrix e0 = FloatMatrix.allocate(arena, classes, dim), angles = FloatMatrix.allocate(arena, classes, 1);
            e0.block(0, 0, classes, 1).fill(1f);
            Oblique sphere = Oblique.normalising(pool);            // retraction (x + t u)/||x + t u||
            TowardsE0 f = new TowardsE0();
            double start = largestAngle(sphere, w, e0, angles);

            // a stochastic-style optimiser: one fused pass per step, state off-heap in the arena
            RiemannianOptimiser adam = RiemannianAdam.builder(sphere).stabilize(100).build(arena, classes, dim);
            for (int step = 0; step < 100; step++) {
                f.valueAndGradient(w, gradient);
                adam.step(w, gradient, 0.05);
            }
            double afterAdam = largestAngle(sphere, w, e0, angles);

            // full batch: Armijo backtracking along the manifold's retraction
            Manifold geodesic = Oblique.exponential(pool);          // a new retraction is a new object
            ArmijoLineSearch search = ArmijoLineSearch.builder(geodesic).build(arena, classes, dim);
            int evaluations = 0;
            for (int step = 0; step < 20; step++) {
                LineSearchStep done = search.step(f, w);
                evaluations += done.evaluations();
            }
            System.out.printf("largest angle to e_0: %.2f rad, %.3g after Adam, %.3g after the line search"
                    + " (%d evaluations); on the sphere: %s%n", start, afterAdam, largestAngle(sphere, w, e0, angles),
                    evaluations, sphere.check(w, 1e-6).onSphere());
        }
    }
}
