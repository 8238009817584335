package dev.gnc.bench;

import dev.gnc.core.FloatMatrix;
import java.lang.foreign.Arena;
import java.util.SplittableRandom;

/** Inputs for the benchmarks. */
final class BenchData {
    private BenchData() {
    }

    /** Rows drawn uniformly from the unit sphere. */
    static FloatMatrix unitRows(Arena arena, long rows, int cols, SplittableRandom random) {
        FloatMatrix m = FloatMatrix.allocate(arena, rows, cols);
        for (long i = 0; i < rows; i++) {
            double norm = 0;
            for (int j = 0; j < cols; j++) {
                double v = random.nextGaussian();
                m.set(i, j, (float) v);
                norm += v * v;
            }
            float scale = (float) (1 / Math.sqrt(norm));
            for (int j = 0; j < cols; j++) {
                m.set(i, j, m.get(i, j) * scale);
            }
        }
        return m;
    }
}
