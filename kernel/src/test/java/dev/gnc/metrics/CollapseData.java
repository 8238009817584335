package dev.gnc.metrics;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.Labels;
import java.lang.foreign.Arena;
import java.util.SplittableRandom;

/**
 * A test problem on the heap, {@code h} n x d row-major and {@code y} n labels, each of the k
 * classes present, with the off-heap copies the kernels take.
 */
record CollapseData(int n, int k, int d, float[] h, int[] y) {

    /**
     * Classes of unequal sizes (1 to about 2 n / k samples, the labels in random order), features
     * {@code offset + centre_k + noise * u} with unit centres and u uniform in [-1, 1]^d.
     */
    static CollapseData clustered(int n, int k, int d, double offset, double noise, SplittableRandom random) {
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i < k ? i : random.nextInt(k);
        }
        for (int i = n - 1; i > 0; i--) { // shuffle, so first rows are not in class order
            int j = random.nextInt(i + 1), t = y[i];
            y[i] = y[j];
            y[j] = t;
        }
        double[][] centres = new double[k][];
        for (int c = 0; c < k; c++) {
            centres[c] = unit(d, random);
        }
        float[] h = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < d; p++) {
                h[i * d + p] = (float) (offset + centres[y[i]][p] + noise * random.nextDouble(-1, 1));
            }
        }
        return new CollapseData(n, k, d, h, y);
    }

    /** Uniform features in [-1, 1]^d with unequal classes: nothing collapsed. */
    static CollapseData uniform(int n, int k, int d, SplittableRandom random) {
        CollapseData shape = clustered(n, k, d, 0, 0, random);
        float[] h = new float[n * d];
        for (int i = 0; i < h.length; i++) {
            h[i] = (float) random.nextDouble(-1, 1);
        }
        return new CollapseData(n, k, d, h, shape.y());
    }

    static double[] unit(int d, SplittableRandom random) {
        double[] v = new double[d];
        double norm2 = 0;
        while (norm2 < 1e-6) {
            norm2 = 0;
            for (int p = 0; p < d; p++) {
                v[p] = random.nextGaussian();
                norm2 += v[p] * v[p];
            }
        }
        for (int p = 0; p < d; p++) {
            v[p] /= Math.sqrt(norm2);
        }
        return v;
    }

    FloatMatrix features(Arena arena) {
        return FloatMatrix.of(arena, n, d, h);
    }

    Labels labels(Arena arena) {
        return Labels.of(arena, y);
    }

    double[][] means() {
        return CollapseReference.means(h, y, k, d);
    }

    double[] globalMean() {
        return CollapseReference.globalMean(h, n, d);
    }
}
