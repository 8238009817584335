package dev.gnc.ufm;

/** The learning rate of fixed-step methods over the steps of a run, {@code lr(t)} for t in [0, total). */
public enum LearningRateSchedule {
    /** lr. */
    CONSTANT,
    /** lr (1 + cos(pi t / total)) / 2: from lr down to 0 at the end. */
    COSINE,
    /** lr, then lr / 10 from half of the run, lr / 100 from three quarters. */
    STEP;

    /** The rate at step {@code t} of {@code total}. */
    public double at(double lr, long t, long total) {
        double progress = total <= 0 ? 0 : (double) t / total;
        return switch (this) {
            case CONSTANT -> lr;
            case COSINE -> lr * (1 + Math.cos(Math.PI * progress)) / 2;
            case STEP -> progress < 0.5 ? lr : progress < 0.75 ? lr / 10 : lr / 100;
        };
    }
}
