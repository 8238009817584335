package dev.gnc.ufm;

/** How a training step moves the points. */
public enum TrainingMethod {
    /** Full-batch Riemannian gradient descent with an Armijo line search along the retraction (the default). */
    LINE_SEARCH,
    /** Plain Riemannian gradient descent with a fixed step: {@code X <- normalize(X - lr (G - diag(<G, X>) X))}. */
    RGD,
    /** Riemannian SGD with heavy-ball momentum 0.9, transported by projection. */
    MOMENTUM,
    /** Riemannian Adam (geoopt's), per-row second moment. */
    ADAM
}
