package dev.gnc.metrics;

/**
 * The 95% Wilson score interval of a proportion measured on a sample: where the population's
 * proportion lies. Unlike the normal approximation p +- 1.96 sqrt(p (1 - p) / n), it stays inside
 * [0, 1] and does not shrink to a point when every sampled feature is right (p = 1), which is the
 * case a collapsing run ends in.
 *
 * @param low  the lower end, in [0, p]
 * @param high the upper end, in [p, 1]
 */
public record WilsonInterval(double low, double high) {
    /** The normal quantile of a two-sided 95% interval. */
    private static final double Z = 1.959963984540054;

    /**
     * The interval of {@code proportion} measured on {@code sample} items.
     *
     * @throws IllegalArgumentException for a proportion outside [0, 1] or a sample below 1
     */
    public static WilsonInterval of(double proportion, long sample) {
        if (!(proportion >= 0 && proportion <= 1)) {
            throw new IllegalArgumentException("a proportion lies in [0, 1], got " + proportion);
        }
        if (sample < 1) {
            throw new IllegalArgumentException("a sample has at least one item, got " + sample);
        }
        double n = sample, z2 = Z * Z;
        double centre = (proportion + z2 / (2 * n)) / (1 + z2 / n);
        double halfWidth = Z / (1 + z2 / n) * Math.sqrt(proportion * (1 - proportion) / n + z2 / (4 * n * n));
        // at p = 0 or 1 one end is p exactly; rounding can put it a few ulps to the wrong side
        return new WilsonInterval(Math.max(0, Math.min(proportion, centre - halfWidth)),
                Math.min(1, Math.max(proportion, centre + halfWidth)));
    }

    /** The interval of a proportion measured on the whole population: the value itself. */
    public static WilsonInterval exact(double proportion) {
        return new WilsonInterval(proportion, proportion);
    }
}
