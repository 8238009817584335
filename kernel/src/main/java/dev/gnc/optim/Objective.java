package dev.gnc.optim;

import dev.gnc.core.FloatMatrix;

/**
 * A differentiable function of {@code K x d} points, for full-batch optimisation such as
 * {@link ArmijoLineSearch}. Values are float64; the gradient is Euclidean (in ambient
 * coordinates), the optimiser turns it into the Riemannian one.
 */
public interface Objective {
    /** {@code f(x)} for the {@code K x d} points {@code x}, which it must not modify. */
    double value(FloatMatrix x);

    /** {@code f(x)}, with its Euclidean gradient written to {@code euclideanGradient} ({@code K x d}, overwritten). */
    double valueAndGradient(FloatMatrix x, FloatMatrix euclideanGradient);

    /**
     * A bound on {@code |value(x) - f(x)|} for points whose {@link #value} is {@code value}: the
     * rounding of a value computed in float32. 0 (the default) says the values are precise;
     * otherwise {@link ArmijoLineSearch} decides the comparisons it leaves open on slopes.
     */
    default double valueRounding(double value) {
        return 0;
    }
}
