package dev.gnc.metrics;

import dev.gnc.core.Labels;

/**
 * What one scan of the labels says before any work: how many samples each class has and the
 * first row of each class, which {@link ClassStatistics} uses as that class's shift.
 *
 * @param counts    samples per class, K values
 * @param firstRows the smallest row index with each label, K values
 */
record LabelCensus(long[] counts, long[] firstRows) {

    /**
     * Scans {@code y}.
     *
     * @throws IllegalArgumentException naming the first label outside {@code [0, classes)} and its
     *                                  position, or the first class without samples (every class
     *                                  needs a mean for GNC1)
     */
    static LabelCensus of(Labels y, int classes) {
        long[] counts = new long[classes];
        long[] firstRows = new long[classes];
        for (long i = 0, n = y.length(); i < n; i++) {
            int label = y.get(i);
            if (label < 0 || label >= classes) {
                throw new IllegalArgumentException("label y[" + i + "] = " + label + " is outside [0, " + classes
                        + ")");
            }
            if (counts[label]++ == 0) {
                firstRows[label] = i;
            }
        }
        for (int k = 0; k < classes; k++) {
            if (counts[k] == 0) {
                throw new IllegalArgumentException("class " + k + " has no samples among the " + y.length()
                        + " labels; the collapse metrics need a mean for every class");
            }
        }
        return new LabelCensus(counts, firstRows);
    }
}
