package dev.gnc.ufm;

/** Which of the classifier W and the features H a run trains. */
public enum UfmVariant {
    /** W and H trained together from the same point each step (the default). */
    JOINT,
    /** H trained against a given W that does not move. */
    FIXED_CLASSIFIER,
    /** H = W with one feature per class: the loss of the code W against itself, the softmax-code search. */
    TIED,
    /**
     * H trained against W = the normalised class means of H, recomputed before every step (the
     * study's class-mean-feature classifier); W is not a trained parameter.
     */
    CLASS_MEANS
}
