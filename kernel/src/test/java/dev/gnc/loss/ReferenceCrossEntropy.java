package dev.gnc.loss;

/**
 * The float64 oracle for the fused softmax cross-entropy: materialises every logit, then follows
 * the definitions literally (PyTorch's {@code F.cross_entropy} conventions for class weights,
 * label smoothing and reductions, plus a z-loss term).
 *
 * <p>For a sample i that is not ignored, with z_k = tau h_i . w_k + b_k, lse = log sum_k exp z_k
 * and class weights c (all 1 when absent):
 * <pre>
 *   l_i = (1 - eps) c_y (lse - z_y) + (eps / K) sum_k c_k (lse - z_k) + zeta lse^2
 * </pre>
 * MEAN divides sum_i u_i l_i by sum_i c_{y_i} over the samples not ignored (0 when there are
 * none); SUM does not divide; NONE returns l_i with upstream weights u_i applied to gradients only.
 * The top-k rank of the label is #{j : z_j > z_y} + #{j < y : z_j = z_y}.
 */
public final class ReferenceCrossEntropy {
    private ReferenceCrossEntropy() {
    }

    /** Everything the oracle computes; gradients are of the reduced loss. */
    public record Result(double loss, double[] perSample, double[] lse, int[] rank, double[] dW, double[] dH,
            double[] db, double weightSum) {
    }

    /**
     * @param w        K x d row-major
     * @param h        N x d row-major
     * @param bias     length K, or null
     * @param weights  class weights, length K, or null
     * @param upstream per-sample upstream gradients for NONE (length N), or null for all ones;
     *                 for MEAN and SUM the upstream gradient is 1
     */
    public static Result compute(float[] w, float[] h, int[] y, int k, int d, double tau, float[] bias,
            String reduction, int ignoreIndex, double eps, double zeta, float[] weights, double[] upstream) {
        int n = y.length;
        double[] perSample = new double[n], lse = new double[n];
        int[] rank = new int[n];
        double[][] z = new double[n][k];
        double weightSum = 0;
        double cSum = 0;
        for (int c = 0; c < k; c++) {
            cSum += weights == null ? 1 : weights[c];
        }
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double dot = 0;
                for (int p = 0; p < d; p++) {
                    dot += (double) h[i * d + p] * w[c * d + p];
                }
                z[i][c] = tau * dot + (bias == null ? 0 : bias[c]);
                max = Math.max(max, z[i][c]);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                sum += Math.exp(z[i][c] - max);
            }
            lse[i] = max + Math.log(sum);
            if (y[i] == ignoreIndex) {
                continue;
            }
            int label = y[i];
            double cy = weights == null ? 1 : weights[label];
            weightSum += cy;
            double smooth = 0;
            for (int c = 0; c < k; c++) {
                smooth += (weights == null ? 1 : weights[c]) * (lse[i] - z[i][c]);
                if (z[i][c] > z[i][label] || (z[i][c] == z[i][label] && c < label)) {
                    rank[i]++;
                }
            }
            // when the label holds the maximum, lse - z_y = log1p(sum_{j != y} exp(z_j - z_y)) keeps its digits
            double nll = lse[i] - z[i][label];
            if (z[i][label] == max) {
                double offTarget = 0;
                for (int c = 0; c < k; c++) {
                    offTarget += c == label ? 0 : Math.exp(z[i][c] - max);
                }
                nll = Math.log1p(offTarget);
            }
            perSample[i] = (1 - eps) * cy * nll + eps / k * smooth + zeta * lse[i] * lse[i];
        }
        double loss = 0;
        for (int i = 0; i < n; i++) {
            loss += perSample[i];
        }
        double scale = switch (reduction) {
            case "mean" -> weightSum == 0 ? 0 : 1 / weightSum;
            case "sum", "none" -> 1;
            default -> throw new IllegalArgumentException(reduction);
        };
        loss = reduction.equals("none") ? Double.NaN : loss * scale;

        double[] dW = new double[k * d], dH = new double[n * d], db = new double[k];
        for (int i = 0; i < n; i++) {
            if (y[i] == ignoreIndex) {
                continue;
            }
            int label = y[i];
            double cy = weights == null ? 1 : weights[label];
            double r = scale * (reduction.equals("none") && upstream != null ? upstream[i] : 1);
            for (int c = 0; c < k; c++) {
                double p = Math.exp(z[i][c] - lse[i]);
                double cc = weights == null ? 1 : weights[c];
                double dz = (1 - eps) * cy * (p - (c == label ? 1 : 0)) + eps / k * (cSum * p - cc)
                        + 2 * zeta * lse[i] * p;
                if (c == label) { // p_y - 1 = -(off-target mass) / (total mass), without cancellation
                    double off = 0, all = 0;
                    for (int j = 0; j < k; j++) {
                        double e = Math.exp(z[i][j] - lse[i]);
                        off += j == label ? 0 : e;
                        all += e;
                    }
                    dz = -(1 - eps) * cy * off / all + eps / k * (cSum * p - cc) + 2 * zeta * lse[i] * p;
                }
                dz *= r;
                db[c] += dz;
                for (int q = 0; q < d; q++) {
                    dW[c * d + q] += tau * dz * h[i * d + q];
                    dH[i * d + q] += tau * dz * w[c * d + q];
                }
            }
        }
        return new Result(loss, perSample, lse, rank, dW, dH, db, weightSum);
    }
}
