package dev.gnc.ufm;

/**
 * The float64 scalar reference of the UFM: the mean cross-entropy of {@code tau H W^T} with
 * feature r in class r / n, its Euclidean gradients, and one plain RGD step on both blocks from
 * the same point, written from the definitions with no code shared with the kernels.
 */
final class ReferenceUfm {
    private ReferenceUfm() {
    }

    /** {loss, gW (K x d), gH (N x d)} for labels r / perClass. */
    static Object[] lossAndGradients(double[][] w, double[][] h, int perClass, double tau) {
        int[] labels = new int[h.length];
        for (int i = 0; i < h.length; i++) {
            labels[i] = i / perClass;
        }
        return lossAndGradients(w, h, labels, tau);
    }

    /** {loss, gW (K x d), gH (N x d)} of the mean loss over the rows of h with the given labels. */
    static Object[] lossAndGradients(double[][] w, double[][] h, int[] labels, double tau) {
        int k = w.length, n = h.length, d = w[0].length;
        double[][] gw = new double[k][d];
        double[][] gh = new double[n][d];
        double loss = 0;
        for (int i = 0; i < n; i++) {
            int y = labels[i];
            double[] z = new double[k];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                for (int p = 0; p < d; p++) {
                    z[c] += tau * h[i][p] * w[c][p];
                }
                max = Math.max(max, z[c]);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(z[c] - max);
            }
            double lse = max + Math.log(sum);
            loss += (lse - z[y]) / n;
            for (int c = 0; c < k; c++) {
                double dz = (Math.exp(z[c] - lse) - (c == y ? 1 : 0)) / n;
                for (int p = 0; p < d; p++) {
                    gw[c][p] += tau * dz * h[i][p];
                    gh[i][p] += tau * dz * w[c][p];
                }
            }
        }
        return new Object[] {loss, gw, gh};
    }

    /** x <- normalize(x - lr (g - <g, x> x)), row by row, in place. */
    static void rgdStep(double[][] x, double[][] g, double lr) {
        for (int i = 0; i < x.length; i++) {
            double gx = 0;
            for (int p = 0; p < x[i].length; p++) {
                gx += g[i][p] * x[i][p];
            }
            double norm = 0;
            double[] moved = new double[x[i].length];
            for (int p = 0; p < x[i].length; p++) {
                moved[p] = x[i][p] - lr * (g[i][p] - gx * x[i][p]);
                norm += moved[p] * moved[p];
            }
            for (int p = 0; p < x[i].length; p++) {
                x[i][p] = moved[p] / Math.sqrt(norm);
            }
        }
    }
}
