package dev.gnc.optim;

import dev.gnc.core.FloatMatrix;
import dev.gnc.sphere.Manifold;
import java.util.List;

/**
 * A first-order optimiser on a {@link Manifold}. A step turns the Euclidean gradient into the
 * Riemannian one ({@code proj}), updates the optimiser's state, moves the points along the
 * manifold's retraction and transports the state to the new points: one fused pass over the
 * rows, each row read and written once. State lives off-heap, allocated at construction for one
 * {@code K x d} shape; results repeat bitwise run to run and for any thread count.
 */
public interface RiemannianOptimiser {
    /**
     * One step, in place.
     *
     * @param x                 the {@code K x d} points, moved in place
     * @param euclideanGradient {@code K x d}, the gradient of the objective in ambient
     *                          coordinates; read only, and apart from {@code x}
     * @param lr                the learning rate, finite and {@code >= 0}
     * @throws IllegalArgumentException naming the argument, before any work, for a shape other
     *                                  than the optimiser's, overlapping memory, memory other
     *                                  threads cannot read, or a bad learning rate
     */
    void step(FloatMatrix x, FloatMatrix euclideanGradient, double lr);

    /** The number of steps taken so far. */
    long steps();

    /**
     * The optimiser's state, in a fixed order, as live views (empty for plain SGD; the momentum
     * for heavy-ball and Nesterov; the first and second moments for Adam): a checkpoint saves
     * them, and a resumed run copies them back in before {@link #restoreSteps}.
     */
    List<FloatMatrix> state();

    /**
     * Continues from a checkpoint taken after {@code steps} steps: the step count drives Adam's
     * bias correction and the stabilize period, so a resumed run repeats an uninterrupted one.
     */
    void restoreSteps(long steps);
}
