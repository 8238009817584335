package dev.gnc.metrics;

/**
 * Certified one-vs-rest distances of a code W: for every class k, {@code rho_k = dist(w_k,
 * conv{w_j : j != k})} bracketed by {@code lowerBound[k] <= rho_k <= rho[k]}.
 *
 * <p>{@code rho[k]} is the norm of an explicit point {@code w_k - sum_j lambda_j w_j} of the hull
 * (so an upper bound) and {@code lowerBound[k]} is {@code min_j <w_k - w_j, h>} over all j for the
 * unit direction h it points along (so a lower bound, by duality); they differ only by rounding
 * when the certificate closed. {@code classMaxCosine[k]} is {@code max_{j != k} cos(w_k, w_j)} in
 * float64 among the class's nearest candidates, and for unit rows {@code 1 - classMaxCosine[k] <=
 * rho_k}. The arrays belong to this result; do not modify them.
 *
 * @param rho        per class, the certified distance (the primal value)
 * @param lowerBound per class, the dual value
 * @param classMaxCosine per class, the largest cosine to another class
 * @param nearest    per class, the class attaining it (the smallest index among ties)
 * @param rounds     certificate passes the slowest block of classes needed
 */
public record OneVsRestResult(double[] rho, double[] lowerBound, double[] classMaxCosine, int[] nearest, int rounds) {

    /** Number of classes K. */
    public int classes() {
        return rho.length;
    }

    /** min_k rho_k: the margin of the code. */
    public double min() {
        double min = Double.POSITIVE_INFINITY;
        for (double r : rho) {
            min = Math.min(min, r);
        }
        return min;
    }

    /** (1/K) sum_k rho_k, summed in float64. */
    public double mean() {
        double sum = 0;
        for (double r : rho) {
            sum += r;
        }
        return sum / rho.length;
    }

    /** The largest {@code rho[k] - lowerBound[k]}: how far any reported distance may be from the exact one. */
    public double certificateGap() {
        double gap = 0;
        for (int k = 0; k < rho.length; k++) {
            gap = Math.max(gap, rho[k] - lowerBound[k]);
        }
        return gap;
    }

    /** max_k classMaxCosine[k]; {@code 1 - maxCosine()} is a lower bound on every rho_k of a unit code. */
    public double maxCosine() {
        double max = Double.NEGATIVE_INFINITY;
        for (double c : classMaxCosine) {
            max = Math.max(max, c);
        }
        return max;
    }
}
