package dev.gnc.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The buffered selection keeps exactly what sorting every offer would, ties to the smaller index,
 * although offers are filtered by its lagging threshold as a scan filters them.
 */
class TopCandidatesTest {

    @Test
    void keepsTheLargestWithTiesToTheSmallerIndex() {
        SplittableRandom random = new SplittableRandom(5);
        for (int capacity : new int[] {1, 2, 3, 7, 64}) {
            for (int offers : new int[] {0, 1, capacity, 2 * capacity, 2 * capacity + 1, 1000}) {
                for (int distinct : new int[] {3, 1_000_000}) { // few values: ties everywhere
                    int rows = 3;
                    TopCandidates top = new TopCandidates(rows, capacity);
                    double[][] offered = new double[rows][offers];
                    for (int r = 0; r < rows; r++) {
                        for (int j = 0; j < offers; j++) {
                            offered[r][j] = random.nextInt(distinct);
                        }
                    }
                    for (int j = 0; j < offers; j++) { // rows interleaved, indices ascending, as a scan offers them
                        for (int r = 0; r < rows; r++) {
                            if (offered[r][j] > top.threshold(r)) {
                                top.offer(r, j, offered[r][j]);
                            }
                        }
                    }
                    for (int r = 0; r < rows; r++) {
                        double[] row = offered[r];
                        Integer[] order = IntStream.range(0, offers).boxed().sorted(Comparator
                                .comparingDouble((Integer j) -> -row[j]).thenComparingInt(j -> j)).toArray(Integer[]::new);
                        String what = "capacity " + capacity + ", " + offers + " offers, row " + r;
                        assertEquals(Math.min(capacity, offers), top.size(r), what);
                        int m = Math.max(1, capacity / 2);
                        int[] expectedAll = Arrays.stream(order).limit(capacity).mapToInt(Integer::intValue).sorted().toArray();
                        int[] expectedTop = Arrays.stream(order).limit(m).mapToInt(Integer::intValue).sorted().toArray();
                        assertArrayEquals(expectedAll, top.indices(r), what);
                        assertArrayEquals(expectedTop, top.indices(r, m), what);
                    }
                }
            }
        }
    }
}
