package dev.gnc.ufm;

/**
 * What a training run measures every few steps: one row of metrics.csv and one line of
 * metrics.jsonl. Metrics not measured at this step are NaN (an empty cell).
 *
 * @param step          steps taken so far over all stages (0 before the first)
 * @param stage         index of the tau stage
 * @param tau           the scale of this stage
 * @param loss          mean cross-entropy over the {@code sample} features measured
 * @param accuracy      fraction of the measured features whose argmax class is their own
 * @param accuracyLow   the lower end of its 95% Wilson interval ({@code accuracy} itself when whole)
 * @param accuracyHigh  the upper end
 * @param nccAccuracy   the same for the nearest class centre (the centres always from every feature)
 * @param nccLow        the lower end of its 95% Wilson interval
 * @param nccHigh       the upper end
 * @param sample        features the loss and the accuracies are measured on
 * @param sampled       whether that is a fixed sample rather than every feature
 * @param margin        min_k rho_k of W: exact and certified when {@code marginExact}, otherwise
 *                      the lower bound 1 - max cos (NaN when not measured)
 * @param marginExact   whether {@code margin} is the certified exact value
 * @param marginSeconds the seconds the margin took to measure
 * @param maxCosine     max_{j != k} cos(w_j, w_k)
 * @param gnc1          tr(Sigma_W Sigma_B^+)/K over every feature; NaN, written {@value #UNDEFINED},
 *                      with one feature per class, where there is no within-class scatter
 * @param gnc3          (1/K) sum_k (1 - cos(w_k, mu_k - mu_G)) over every class
 * @param gnc3Uncentred (1/K) sum_k (1 - cos(w_k, mu_k))
 * @param stepSize      the step the last update took (the line search's accepted step, or the
 *                      learning rate)
 * @param gradientNorm  norm of the Riemannian gradient of the whole loss (NaN when sampled)
 * @param seconds       wall time since the run (or its first part, before a resume) started
 */
public record TrainingRecord(long step, int stage, double tau, double loss, double accuracy, double accuracyLow,
        double accuracyHigh, double nccAccuracy, double nccLow, double nccHigh, long sample, boolean sampled,
        double margin, boolean marginExact, double marginSeconds, double maxCosine, double gnc1, double gnc3,
        double gnc3Uncentred, double stepSize, double gradientNorm, double seconds) {

    /** How the log writes a GNC1 that is not defined. */
    public static final String UNDEFINED = "undefined";

    /** Column names, in the order of {@link #values()}: the header of metrics.csv and the keys of metrics.jsonl. */
    public static final String[] COLUMNS = {"step", "stage", "tau", "loss", "accuracy", "accuracy_low",
        "accuracy_high", "ncc_accuracy", "ncc_low", "ncc_high", "sample", "sampled", "margin", "margin_exact",
        "margin_seconds", "max_cosine", "gnc1", "gnc3", "gnc3_uncentred", "step_size", "gradient_norm", "seconds"};

    /** The fields as objects, in the order of {@link #COLUMNS}; an undefined GNC1 as {@value #UNDEFINED}. */
    public Object[] values() {
        return new Object[] {step, stage, tau, loss, accuracy, accuracyLow, accuracyHigh, nccAccuracy, nccLow,
            nccHigh, sample, sampled, margin, marginExact, marginSeconds, maxCosine,
            Double.isNaN(gnc1) ? UNDEFINED : gnc1, gnc3, gnc3Uncentred, stepSize, gradientNorm, seconds};
    }

    /**
     * The record of a row of {@link #values()} as text, as metrics.csv holds it: empty cells and
     * {@value #UNDEFINED} read as NaN.
     *
     * @throws IllegalArgumentException for a row of another length than {@link #COLUMNS}
     */
    public static TrainingRecord parse(String[] cells) {
        if (cells.length != COLUMNS.length) {
            throw new IllegalArgumentException("a metrics row has " + COLUMNS.length + " cells, this one "
                    + cells.length);
        }
        return new TrainingRecord(Long.parseLong(cells[0]), Integer.parseInt(cells[1]), number(cells[2]),
                number(cells[3]), number(cells[4]), number(cells[5]), number(cells[6]), number(cells[7]),
                number(cells[8]), number(cells[9]), Long.parseLong(cells[10]), Boolean.parseBoolean(cells[11]),
                number(cells[12]), Boolean.parseBoolean(cells[13]), number(cells[14]), number(cells[15]),
                number(cells[16]), number(cells[17]), number(cells[18]), number(cells[19]), number(cells[20]),
                number(cells[21]));
    }

    private static double number(String s) {
        return s.isEmpty() || s.equals(UNDEFINED) ? Double.NaN : Double.parseDouble(s);
    }
}
