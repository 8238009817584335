package dev.gnc.metrics;

import java.util.Arrays;

/**
 * For each of a block of rows, the {@code capacity} largest values offered and their indices,
 * ordered by value and then by the smaller index, so among ties the first offered (in a scan
 * that offers ascending indices) win.
 *
 * <p>Each row appends to a buffer of twice the capacity and, when it fills, keeps the largest
 * {@code capacity} by a quickselect: amortised O(1) per offer, where a binary heap costs
 * O(log capacity) and dominated the nearest-neighbour scan with a capacity of 1024. The
 * threshold a scan must beat is the smallest value kept at the last compaction, so it lags the
 * exact one a little and lets a few more values in, never fewer.
 */
final class TopCandidates {
    private final int capacity;
    private final double[] values;
    private final int[] indices;
    private final int[] sizes;
    private final double[] thresholds;

    TopCandidates(int rows, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
        this.values = new double[Math.multiplyExact(rows, 2 * capacity)];
        this.indices = new int[values.length];
        this.sizes = new int[rows];
        this.thresholds = new double[rows];
        Arrays.fill(thresholds, Double.NEGATIVE_INFINITY);
    }

    /** What an offer to row r must exceed to be kept. */
    double threshold(int r) {
        return thresholds[r];
    }

    void offer(int r, int index, double value) {
        if (!(value > thresholds[r])) {
            return;
        }
        int at = 2 * r * capacity + sizes[r];
        values[at] = value;
        indices[at] = index;
        if (++sizes[r] == 2 * capacity) {
            compact(r, capacity);
            thresholds[r] = values[2 * r * capacity + capacity - 1];
        }
    }

    int size(int r) {
        return Math.min(sizes[r], capacity);
    }

    /**
     * The indices of row r's {@code count} largest values (at most {@link #size}), in ascending
     * index order. The row keeps only those afterwards: ask for the larger count first.
     */
    int[] indices(int r, int count) {
        int kept = Math.min(count, sizes[r]);
        compact(r, kept);
        int base = 2 * r * capacity;
        int[] held = Arrays.copyOfRange(indices, base, base + kept);
        Arrays.sort(held);
        return held;
    }

    /** The indices of all of row r's largest values, ascending. */
    int[] indices(int r) {
        return indices(r, capacity);
    }

    /**
     * Moves row r's {@code keep} largest entries to the front of its buffer, the smallest of them
     * last, and drops the rest. Entries rank by value, then by the smaller index.
     */
    private void compact(int r, int keep) {
        int base = 2 * r * capacity;
        int size = sizes[r];
        if (keep < size) {
            int lo = base, hi = base + size - 1, target = base + keep - 1;
            while (lo < hi) { // quickselect: everything before target ranks above everything after it
                int p = partition(lo, hi, lo + (hi - lo) / 2);
                if (p == target) {
                    break;
                }
                if (p < target) {
                    lo = p + 1;
                } else {
                    hi = p - 1;
                }
            }
        }
        sizes[r] = Math.min(keep, size);
        int last = base;
        for (int i = base + 1; i < base + sizes[r]; i++) { // the lowest ranked kept entry goes last
            if (above(values[last], indices[last], values[i], indices[i])) {
                last = i;
            }
        }
        if (sizes[r] > 0) {
            swap(last, base + sizes[r] - 1);
        }
    }

    /** Partitions [lo, hi] around the entry at pivot; returns where the pivot lands. */
    private int partition(int lo, int hi, int pivot) {
        double pv = values[pivot];
        int pi = indices[pivot];
        swap(pivot, hi);
        int store = lo;
        for (int i = lo; i < hi; i++) {
            if (above(values[i], indices[i], pv, pi)) {
                swap(i, store++);
            }
        }
        swap(store, hi);
        return store;
    }

    /** Whether (v1, i1) ranks above (v2, i2): a larger value, or an equal value and a smaller index. */
    private static boolean above(double v1, int i1, double v2, int i2) {
        return v1 > v2 || (v1 == v2 && i1 < i2);
    }

    private void swap(int a, int b) {
        double v = values[a];
        values[a] = values[b];
        values[b] = v;
        int i = indices[a];
        indices[a] = indices[b];
        indices[b] = i;
    }
}
