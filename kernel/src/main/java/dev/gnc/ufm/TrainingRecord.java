package dev.gnc.ufm;

/**
 * What a training run measures every few steps: one row of metrics.csv and one line of
 * metrics.jsonl. Metrics not measured at this step are NaN.
 *
 * @param step          steps taken so far over all stages (0 before the first)
 * @param stage         index of the tau stage
 * @param tau           the scale of this stage
 * @param loss          mean cross-entropy over all features
 * @param accuracy      fraction of features whose argmax class is their own
 * @param nccAccuracy   the same for the nearest class centre
 * @param margin        min_k rho_k of W: exact and certified when {@code marginExact}, otherwise
 *                      the lower bound 1 - max cos (NaN when not measured)
 * @param marginExact   whether {@code margin} is the certified exact value
 * @param maxCosine     max_{j != k} cos(w_j, w_k)
 * @param gnc1          tr(Sigma_W Sigma_B^+)/K
 * @param gnc3          (1/K) sum_k (1 - cos(w_k, mu_k - mu_G))
 * @param stepSize      the step the last update took (the line search's accepted step, or the
 *                      learning rate)
 * @param gradientNorm  norm of the Riemannian gradient at the last update
 * @param seconds       wall time since the run (or its first part, before a resume) started
 */
public record TrainingRecord(long step, int stage, double tau, double loss, double accuracy, double nccAccuracy,
        double margin, boolean marginExact, double maxCosine, double gnc1, double gnc3, double stepSize,
        double gradientNorm, double seconds) {

    /** Column names, in the order of {@link #values()}: the header of metrics.csv and the keys of metrics.jsonl. */
    public static final String[] COLUMNS = {"step", "stage", "tau", "loss", "accuracy", "ncc_accuracy", "margin",
        "margin_exact", "max_cosine", "gnc1", "gnc3", "step_size", "gradient_norm", "seconds"};

    /** The fields as objects, in the order of {@link #COLUMNS}. */
    public Object[] values() {
        return new Object[] {step, stage, tau, loss, accuracy, nccAccuracy, margin, marginExact, maxCosine, gnc1, gnc3,
            stepSize, gradientNorm, seconds};
    }
}
