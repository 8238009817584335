package dev.gnc.kernel;

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
}
