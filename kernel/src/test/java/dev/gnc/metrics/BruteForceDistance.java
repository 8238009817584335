package dev.gnc.metrics;

/**
 * The float64 reference for one-vs-rest distances: every support set of at most d + 1 of the
 * points {@code v_j = w_k - w_j}, the affine minimiser of each from its KKT system
 * {@code [G 1; 1^T 0] [alpha; mu] = [0; 1]} by Gaussian elimination, and the smallest norm among
 * those with alpha >= 0. The optimum's support is one such set (Caratheodory), so this is exact
 * for small K, and shares no code or formulation with Wolfe's algorithm.
 */
final class BruteForceDistance {
    private BruteForceDistance() {
    }

    static double rho(double[][] w, int k) {
        int d = w[0].length;
        double[][] v = new double[w.length - 1][d];
        for (int j = 0, n = 0; j < w.length; j++) {
            if (j != k) {
                for (int c = 0; c < d; c++) {
                    v[n][c] = w[k][c] - w[j][c];
                }
                n++;
            }
        }
        return best(v, new int[Math.min(d + 1, v.length)], 0, 0, Double.POSITIVE_INFINITY);
    }

    private static double best(double[][] v, int[] chosen, int size, int from, double bestSoFar) {
        double best = bestSoFar;
        if (size > 0) {
            best = Math.min(best, supportNorm(v, chosen, size));
        }
        if (size == chosen.length) {
            return best;
        }
        for (int j = from; j < v.length; j++) {
            chosen[size] = j;
            best = best(v, chosen, size + 1, j + 1, best);
        }
        return best;
    }

    /** ||sum alpha_i v_i|| for the affine minimiser of the set, or +inf when it is singular or leaves the hull. */
    private static double supportNorm(double[][] v, int[] set, int s) {
        int n = s + 1;
        double[][] a = new double[n][n + 1];
        for (int i = 0; i < s; i++) {
            for (int j = 0; j < s; j++) {
                double g = 0;
                for (int c = 0; c < v[0].length; c++) {
                    g += v[set[i]][c] * v[set[j]][c];
                }
                a[i][j] = g;
            }
            a[i][s] = 1;
            a[s][i] = 1;
        }
        a[s][n] = 1;
        for (int col = 0; col < n; col++) { // elimination with partial pivoting
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            if (Math.abs(a[pivot][col]) < 1e-12) {
                return Double.POSITIVE_INFINITY;
            }
            double[] t = a[col];
            a[col] = a[pivot];
            a[pivot] = t;
            for (int r = 0; r < n; r++) {
                if (r != col) {
                    double f = a[r][col] / a[col][col];
                    for (int c = col; c <= n; c++) {
                        a[r][c] -= f * a[col][c];
                    }
                }
            }
        }
        double[] x = new double[v[0].length];
        for (int i = 0; i < s; i++) {
            double alpha = a[i][n] / a[i][i];
            if (alpha < -1e-12) {
                return Double.POSITIVE_INFINITY;
            }
            for (int c = 0; c < x.length; c++) {
                x[c] += alpha * v[set[i]][c];
            }
        }
        double sq = 0;
        for (double e : x) {
            sq += e * e;
        }
        return Math.sqrt(sq);
    }
}
