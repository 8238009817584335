package dev.gnc.metrics;

import java.util.Arrays;

/**
 * For each of a block of rows, the {@code capacity} largest values offered so far and their
 * indices: one binary min-heap per row in flat arrays, so that a full heap's smallest value is the
 * threshold a scan must beat. A value equal to that threshold does not enter, so among ties the
 * first offered stay.
 */
final class TopCandidates {
    private final int capacity;
    private final double[] values;
    private final int[] indices;
    private final int[] sizes;

    TopCandidates(int rows, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        }
        this.capacity = capacity;
        this.values = new double[Math.multiplyExact(rows, capacity)];
        this.indices = new int[values.length];
        this.sizes = new int[rows];
    }

    /** What an offer to row r must exceed: -inf until the row is full. */
    double threshold(int r) {
        return sizes[r] < capacity ? Double.NEGATIVE_INFINITY : values[r * capacity];
    }

    void offer(int r, int index, double value) {
        int base = r * capacity;
        int size = sizes[r];
        if (size < capacity) {
            int at = size; // sift up
            while (at > 0) {
                int parent = (at - 1) / 2;
                if (values[base + parent] <= value) {
                    break;
                }
                values[base + at] = values[base + parent];
                indices[base + at] = indices[base + parent];
                at = parent;
            }
            values[base + at] = value;
            indices[base + at] = index;
            sizes[r] = size + 1;
        } else if (value > values[base]) {
            int at = 0; // replace the root, sift down
            while (true) {
                int child = 2 * at + 1;
                if (child >= capacity) {
                    break;
                }
                if (child + 1 < capacity && values[base + child + 1] < values[base + child]) {
                    child++;
                }
                if (values[base + child] >= value) {
                    break;
                }
                values[base + at] = values[base + child];
                indices[base + at] = indices[base + child];
                at = child;
            }
            values[base + at] = value;
            indices[base + at] = index;
        }
    }

    int size(int r) {
        return sizes[r];
    }

    /** The indices held for row r, largest value first (ties: smaller index first). */
    int[] indicesByValue(int r) {
        int base = r * capacity;
        return java.util.stream.IntStream.range(0, sizes[r]).boxed()
                .sorted((a, b) -> values[base + a] != values[base + b]
                        ? Double.compare(values[base + b], values[base + a])
                        : Integer.compare(indices[base + a], indices[base + b]))
                .mapToInt(i -> indices[base + i]).toArray();
    }

    /** The indices held for row r, in ascending order. */
    int[] indices(int r) {
        int[] held = Arrays.copyOfRange(indices, r * capacity, r * capacity + sizes[r]);
        Arrays.sort(held);
        return held;
    }
}
