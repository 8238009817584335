package dev.gnc.optim;

/**
 * What one {@link ArmijoLineSearch#step} did.
 *
 * @param step         the accepted step length t (the points moved to {@code R_x(-t grad)}), or 0
 *                     when they did not move: a zero gradient, or no trial passed the test
 * @param value        the objective at the points after the call
 * @param gradientNorm the norm of the Riemannian gradient at the points before the call
 * @param evaluations  calls to the objective, the one with the gradient included
 */
public record LineSearchStep(double step, double value, double gradientNorm, int evaluations) {
    /** True when the points moved. */
    public boolean moved() {
        return step > 0;
    }
}
