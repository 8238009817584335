package dev.gnc.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gnc.core.FloatMatrix;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link ProductScan} against a brute-force scan. Entries are small integers, so every product is
 * exact in float32 whatever the backend's summation order, and the selected sets must be equal.
 */
class ProductScanTest {

    static List<Gemm> backends() {
        return GemmBackendsTest.backends().toList();
    }

    private static FloatMatrix integers(Arena arena, SplittableRandom random, int rows, int cols) {
        FloatMatrix m = FloatMatrix.allocate(arena, rows, cols);
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < cols; c++) {
                m.set(i, c, random.nextInt(-3, 4));
            }
        }
        return m;
    }

    private static float product(FloatMatrix a, int i, FloatMatrix b, long j) {
        float s = 0;
        for (int c = 0; c < a.cols(); c++) {
            s += a.get(i, c) * b.get(j, c);
        }
        return s;
    }

    /** Fixed thresholds: exactly the entries above them, in ascending column order, the skipped one left out. */
    @ParameterizedTest
    @MethodSource("backends")
    void visitsExactlyTheEntriesAboveTheThreshold(Gemm gemm) {
        SplittableRandom random = new SplittableRandom(7);
        int[][] shapes = {{1, 1, 1}, {1, 17, 3}, {5, 33, 1}, {13, 100, 7}, {40, 207, 16}, {3, 1000, 33}};
        for (int[] shape : shapes) {
            int m = shape[0], n = shape[1], d = shape[2];
            for (int[] tile : new int[][] {{1, 1}, {4, 16}, {7, 31}, {256, 512}}) {
                try (Arena arena = Arena.ofConfined()) {
                    FloatMatrix a = integers(arena, random, m, d);
                    FloatMatrix b = integers(arena, random, n, d);
                    float[] threshold = new float[m];
                    long[] skipped = new long[m];
                    for (int i = 0; i < m; i++) {
                        threshold[i] = random.nextInt(-5, 6) + (random.nextBoolean() ? 0 : 0.5f);
                        skipped[i] = random.nextInt(-1, n);
                    }
                    List<String> visited = new ArrayList<>();
                    new ProductScan(gemm, tile[0], tile[1]).scan(a, b, new ProductScan.Visitor() {
                        @Override
                        public float threshold(int r) {
                            return threshold[r];
                        }

                        @Override
                        public void accept(int r, long j, float value) {
                            visited.add(r + ":" + j + "=" + value);
                        }

                        @Override
                        public long skipped(int r) {
                            return skipped[r];
                        }
                    }, arena);
                    List<String> expected = new ArrayList<>();
                    for (int r0 = 0; r0 < m; r0 += tile[0]) { // the scan's order: row blocks, then column tiles
                        for (long j0 = 0; j0 < n; j0 += tile[1]) {
                            for (int r = r0; r < Math.min(m, r0 + tile[0]); r++) {
                                for (long j = j0; j < Math.min(n, j0 + tile[1]); j++) {
                                    float p = product(a, r, b, j);
                                    if (j != skipped[r] && p > threshold[r]) {
                                        expected.add(r + ":" + j + "=" + p);
                                    }
                                }
                            }
                        }
                    }
                    assertEquals(expected, visited, () -> gemm.name() + " m=" + m + " n=" + n + " d=" + d);
                }
            }
        }
    }

    /** A threshold raised by each accepted entry is honoured from the next entry on, within a vector too. */
    @ParameterizedTest
    @MethodSource("backends")
    void thresholdIsAskedAgainAfterEachEntry(Gemm gemm) {
        try (Arena arena = Arena.ofConfined()) {
            int n = 70;
            FloatMatrix a = FloatMatrix.of(arena, 1, 1, new float[] {1});
            FloatMatrix b = FloatMatrix.allocate(arena, n, 1);
            for (int j = 0; j < n; j++) {
                b.set(j, 0, j % 10); // rises within each run of ten, falls back
            }
            List<Long> visited = new ArrayList<>();
            float[] best = {Float.NEGATIVE_INFINITY};
            new ProductScan(gemm, 1, 64).scan(a, b, new ProductScan.Visitor() {
                @Override
                public float threshold(int r) {
                    return best[0];
                }

                @Override
                public void accept(int r, long j, float value) {
                    visited.add(j);
                    best[0] = value;
                }

                @Override
                public long skipped(int r) {
                    return -1;
                }
            }, arena);
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L), visited);
        }
    }

    @Test
    void rejectsMismatchedColumnsAndEmptyTiles() {
        try (Arena arena = Arena.ofConfined()) {
            Gemm gemm = backends().get(1);
            FloatMatrix a = FloatMatrix.allocate(arena, 2, 3);
            FloatMatrix b = FloatMatrix.allocate(arena, 2, 4);
            ProductScan.Visitor none = new ProductScan.Visitor() {
                @Override
                public float threshold(int r) {
                    return 0;
                }

                @Override
                public void accept(int r, long j, float value) {
                }

                @Override
                public long skipped(int r) {
                    return -1;
                }
            };
            var e = assertThrows(IllegalArgumentException.class, () -> new ProductScan(gemm, 4, 4).scan(a, b, none, arena));
            assertEquals("a has 3 columns but b has 4", e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new ProductScan(gemm, 0, 4));
            assertThrows(IllegalArgumentException.class, () -> new ProductScan(gemm, 4, 0));
        }
    }
}
