package dev.gnc.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Wolfe's algorithm on its own: degenerate point sets, near-dependence, and the brute force. */
class MinNormPointTest {

    private static double[] flat(double[][] points) {
        int d = points[0].length;
        double[] out = new double[points.length * d];
        for (int i = 0; i < points.length; i++) {
            System.arraycopy(points[i], 0, out, i * d, d);
        }
        return out;
    }

    private static MinNormPoint.Solution solve(double[][] points) {
        return MinNormPoint.solve(flat(points), points.length, points[0].length);
    }

    @Test
    void degenerateSetsHaveTheirObviousAnswers() {
        assertEquals(Math.sqrt(2), solve(new double[][] {{1, 1}}).norm(), 1e-15);
        assertEquals(0, solve(new double[][] {{0, 0}, {0, 0}}).norm());
        assertEquals(1, solve(new double[][] {{1, 0}, {1, 0}, {1, 0}}).norm(), 1e-15); // all equal
        assertEquals(1, solve(new double[][] {{1, -1}, {1, 0}, {1, 2}}).norm(), 1e-15); // collinear, foot inside
        assertEquals(0, solve(new double[][] {{-1}, {2}}).norm(), 1e-15); // d = 1, origin inside
        assertEquals(0.5, solve(new double[][] {{0.5}, {3}}).norm(), 1e-15);
    }

    /** A point that lowers the norm by less than rounding neither spins nor claims optimality falsely. */
    @Test
    void aNegligibleImprovementEndsTheSolve() {
        MinNormPoint.Solution s = solve(new double[][] {{1, 0}, {1 - 4e-15, 1}});
        assertEquals(1, s.norm(), 1e-14);
    }

    /** Points 1e-7 from affine dependence (close classes) are still solved to rounding, against the brute force. */
    @Test
    void nearlyDependentPointsAreSolvedExactly() {
        SplittableRandom random = new SplittableRandom(3);
        for (int trial = 0; trial < 200; trial++) {
            int d = 2 + trial % 3;
            double[][] points = new double[4 + trial % 5][d];
            double[] base = new double[d];
            double[] direction = new double[d];
            for (int c = 0; c < d; c++) {
                base[c] = random.nextDouble(-1, 1);
                direction[c] = random.nextDouble(-1, 1);
            }
            for (double[] point : points) { // nearly on one line, 1e-7 off it
                double t = random.nextDouble(-1, 1);
                for (int c = 0; c < d; c++) {
                    point[c] = base[c] + t * direction[c] + 1e-7 * random.nextDouble(-1, 1);
                }
            }
            double exact = bruteForce(points);
            MinNormPoint.Solution s = solve(points);
            assertEquals(exact, s.norm(), 1e-12 + 1e-9 * exact, "trial " + trial);
            assertFalse(s.stalled(), "trial " + trial);
            double sum = 0;
            for (double weight : s.weights()) {
                assertTrue(weight > 0);
                sum += weight;
            }
            assertEquals(1, sum, 1e-12);
        }
    }

    /** min ||x|| over the hull by the brute force of BruteForceDistance: the points as w_k - w_j with w_k = 0. */
    private static double bruteForce(double[][] points) {
        double[][] code = new double[points.length + 1][];
        code[0] = new double[points[0].length];
        for (int i = 0; i < points.length; i++) {
            code[i + 1] = new double[points[i].length];
            for (int c = 0; c < points[i].length; c++) {
                code[i + 1][c] = -points[i][c];
            }
        }
        return BruteForceDistance.rho(code, 0);
    }
}
