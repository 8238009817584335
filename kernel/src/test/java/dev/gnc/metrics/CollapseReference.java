package dev.gnc.metrics;

import java.util.function.IntToDoubleFunction;

/**
 * The collapse metrics by their definitions, in plain float64 on heap arrays: two-pass means,
 * explicit scatter matrices, a pseudo-inverse of known rank. The test oracle; slow and obvious.
 * Features are {@code n x d} row-major floats, exactly what the kernels read.
 */
public final class CollapseReference {
    private CollapseReference() {
    }

    public static long[] counts(int[] y, int k) {
        long[] counts = new long[k];
        for (int label : y) {
            counts[label]++;
        }
        return counts;
    }

    /** Class means, k x d: sum, then divide. */
    public static double[][] means(float[] h, int[] y, int k, int d) {
        double[][] mu = new double[k][d];
        long[] counts = counts(y, k);
        for (int i = 0; i < y.length; i++) {
            for (int p = 0; p < d; p++) {
                mu[y[i]][p] += h[i * d + p];
            }
        }
        for (int c = 0; c < k; c++) {
            for (int p = 0; p < d; p++) {
                mu[c][p] /= counts[c];
            }
        }
        return mu;
    }

    /** The mean of all samples. */
    public static double[] globalMean(float[] h, int n, int d) {
        double[] g = new double[d];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < d; p++) {
                g[p] += h[i * d + p];
            }
        }
        for (int p = 0; p < d; p++) {
            g[p] /= n;
        }
        return g;
    }

    /** Sigma_W = (1/N) sum_i (h_i - mu_{y_i})(h_i - mu_{y_i})^T, the second pass over the data. */
    public static double[] within(float[] h, int[] y, double[][] mu, int d) {
        double[] s = new double[d * d];
        double[] x = new double[d];
        for (int i = 0; i < y.length; i++) {
            for (int p = 0; p < d; p++) {
                x[p] = h[i * d + p] - mu[y[i]][p];
            }
            for (int p = 0; p < d; p++) {
                for (int q = 0; q < d; q++) {
                    s[p * d + q] += x[p] * x[q];
                }
            }
        }
        for (int i = 0; i < s.length; i++) {
            s[i] /= y.length;
        }
        return s;
    }

    /**
     * Sigma_W by the one-pass textbook formula {@code (1/N)(sum h h^T - sum_k n_k mu_k mu_k^T)},
     * which cancels catastrophically: only to show that the tests can tell.
     */
    public static double[] naiveWithin(float[] h, int[] y, int k, int d) {
        double[] s = new double[d * d];
        double[][] sums = new double[k][d];
        for (int i = 0; i < y.length; i++) {
            for (int p = 0; p < d; p++) {
                sums[y[i]][p] += h[i * d + p];
                for (int q = 0; q < d; q++) {
                    s[p * d + q] += (double) h[i * d + p] * h[i * d + q];
                }
            }
        }
        long[] counts = counts(y, k);
        for (int c = 0; c < k; c++) {
            for (int p = 0; p < d; p++) {
                for (int q = 0; q < d; q++) {
                    s[p * d + q] -= sums[c][p] * sums[c][q] / counts[c];
                }
            }
        }
        for (int i = 0; i < s.length; i++) {
            s[i] /= y.length;
        }
        return s;
    }

    /** Sigma_B = (1/K) sum_k (mu_k - mu_G)(mu_k - mu_G)^T. */
    public static double[] between(double[][] mu, double[] global) {
        int k = mu.length, d = global.length;
        double[] s = new double[d * d];
        for (double[] m : mu) {
            for (int p = 0; p < d; p++) {
                for (int q = 0; q < d; q++) {
                    s[p * d + q] += (m[p] - global[p]) * (m[q] - global[q]);
                }
            }
        }
        for (int i = 0; i < s.length; i++) {
            s[i] /= k;
        }
        return s;
    }

    /**
     * tr(Sigma_W Sigma_B^+) / K with the pseudo-inverse of known rank: the {@code rank} largest
     * eigenvalues of Sigma_B are inverted, the rest dropped, whatever their computed size.
     */
    public static double gnc1(double[] within, double[] between, int d, int k, int rank) {
        EigenDecomposition e = new JacobiEigensolver().decompose(between, d);
        double[] pinv = new double[d * d];
        for (int j = d - rank; j < d; j++) {
            double[] v = e.vector(j);
            for (int p = 0; p < d; p++) {
                for (int q = 0; q < d; q++) {
                    pinv[p * d + q] += v[p] * v[q] / e.value(j);
                }
            }
        }
        double trace = 0;
        for (int p = 0; p < d; p++) {
            for (int q = 0; q < d; q++) {
                trace += within[p * d + q] * pinv[q * d + p];
            }
        }
        return trace / k;
    }

    /** (1/K) sum_k (1 - cos(w_k, v_k)), cos = 0 for a zero vector; {@code w} is k x d row-major. */
    public static double gnc3(float[] w, double[][] v) {
        int k = v.length, d = v[0].length;
        double sum = 0;
        for (int c = 0; c < k; c++) {
            double wv = 0, ww = 0, vv = 0;
            for (int p = 0; p < d; p++) {
                wv += w[c * d + p] * v[c][p];
                ww += (double) w[c * d + p] * w[c * d + p];
                vv += v[c][p] * v[c][p];
            }
            sum += 1 - (ww == 0 || vv == 0 ? 0 : wv / Math.sqrt(ww) / Math.sqrt(vv));
        }
        return sum / k;
    }

    /** Rows of {@code v} minus {@code g}. */
    public static double[][] centred(double[][] v, double[] g) {
        double[][] c = new double[v.length][];
        for (int k = 0; k < v.length; k++) {
            c[k] = v[k].clone();
            for (int p = 0; p < g.length; p++) {
                c[k][p] -= g[p];
            }
        }
        return c;
    }

    /**
     * Brute-force top-1 over scores {@code score(i, k)}: the hits (ties to the smaller index) and
     * the samples whose label is within {@code tolerance(i)} of the best other class, whose outcome
     * float32 rounding may flip.
     */
    public static long[] hitsAndNearTies(int n, int k, int[] y, Score score, IntToDoubleFunction tolerance) {
        long hits = 0, nearTies = 0;
        for (int i = 0; i < n; i++) {
            int best = 0;
            double bestScore = score.of(i, 0), bestOther = Double.NEGATIVE_INFINITY;
            for (int c = 1; c < k; c++) {
                double s = score.of(i, c);
                if (s > bestScore) {
                    best = c;
                    bestScore = s;
                }
            }
            for (int c = 0; c < k; c++) {
                if (c != y[i]) {
                    bestOther = Math.max(bestOther, score.of(i, c));
                }
            }
            hits += best == y[i] ? 1 : 0;
            nearTies += Math.abs(score.of(i, y[i]) - bestOther) <= tolerance.applyAsDouble(i) ? 1 : 0;
        }
        return new long[] {hits, nearTies};
    }

    @FunctionalInterface
    interface Score {
        double of(int sample, int clazz);
    }
}
