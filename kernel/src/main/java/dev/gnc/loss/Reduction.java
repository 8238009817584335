package dev.gnc.loss;

/** How per-sample losses become the loss that gradients are taken of. */
public enum Reduction {
    /** Sum of per-sample losses divided by the summed class weight of the samples not ignored (their count without weights). */
    MEAN,
    /** Plain sum of per-sample losses. */
    SUM,
    /** Per-sample losses; gradients take one upstream weight per sample. */
    NONE
}
