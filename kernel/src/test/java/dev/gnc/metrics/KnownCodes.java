package dev.gnc.metrics;

import dev.gnc.core.FloatMatrix;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Codes whose one-vs-rest distances are known in closed form (DESIGN.md), as unit rows, plus
 * random codes. Shared by the tests and the benchmarks.
 */
public final class KnownCodes {
    private KnownCodes() {
    }

    /** K vertices of a regular simplex, e_i minus the centroid, in R^K: rho = K / (K - 1). */
    public static double[][] simplex(int k) {
        double[][] rows = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int c = 0; c < k; c++) {
                rows[i][c] = (i == c ? 1 : 0) - 1.0 / k;
            }
        }
        return normalised(rows);
    }

    /** The regular K-gon in R^2: rho = 1 - cos(2 pi / K). */
    public static double[][] polygon(int k) {
        double[][] rows = new double[k][];
        for (int i = 0; i < k; i++) {
            double angle = 2 * Math.PI * i / k;
            rows[i] = new double[] {Math.cos(angle), Math.sin(angle)};
        }
        return rows;
    }

    /** {+-e_i} in R^d, K = 2d: rho = 1 (for d >= 2), each class with 2d - 2 neighbours tied at cosine 0. */
    public static double[][] crossPolytope(int d) {
        double[][] rows = new double[2 * d][d];
        for (int i = 0; i < d; i++) {
            rows[2 * i][i] = 1;
            rows[2 * i + 1][i] = -1;
        }
        return rows;
    }

    /** The 240 roots of E8, normalised: every class has 56 neighbours tied at cosine 1/2, and rho = 1/2. */
    public static double[][] e8Roots() {
        List<double[]> roots = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            for (int j = i + 1; j < 8; j++) {
                for (int signs = 0; signs < 4; signs++) {
                    double[] r = new double[8];
                    r[i] = (signs & 1) == 0 ? 1 : -1;
                    r[j] = (signs & 2) == 0 ? 1 : -1;
                    roots.add(r);
                }
            }
        }
        for (int signs = 0; signs < 256; signs++) {
            if (Integer.bitCount(signs) % 2 == 0) {
                double[] r = new double[8];
                for (int c = 0; c < 8; c++) {
                    r[c] = (signs >> c & 1) == 0 ? 0.5 : -0.5;
                }
                roots.add(r);
            }
        }
        return normalised(roots.toArray(double[][]::new));
    }

    /**
     * The 196,560 minimal vectors of the Leech lattice in R^24, normalised: the kissing configuration,
     * in which every class has 4,600 neighbours tied at cosine 1/2, and rho = 1/2 (the neighbours'
     * centroid is w_k / 2). Built from the extended binary Golay code: (+-4, +-4, 0^22),
     * (+-2^8 on an octad, an even number of minus signs, 0^16) and (-3, 1^23) with the signs of a
     * codeword's positions flipped.
     */
    public static double[][] leech() {
        int[] golay = golayCode();
        List<double[]> vectors = new ArrayList<>(196_560);
        for (int i = 0; i < 24; i++) {
            for (int j = i + 1; j < 24; j++) {
                for (int signs = 0; signs < 4; signs++) {
                    double[] v = new double[24];
                    v[i] = (signs & 1) == 0 ? 4 : -4;
                    v[j] = (signs & 2) == 0 ? 4 : -4;
                    vectors.add(v);
                }
            }
        }
        for (int word : golay) {
            if (Integer.bitCount(word) != 8) {
                continue;
            }
            int[] octad = new int[8];
            for (int c = 0, n = 0; c < 24; c++) {
                if ((word >> c & 1) != 0) {
                    octad[n++] = c;
                }
            }
            for (int signs = 0; signs < 256; signs++) {
                if (Integer.bitCount(signs) % 2 == 0) {
                    double[] v = new double[24];
                    for (int e = 0; e < 8; e++) {
                        v[octad[e]] = (signs >> e & 1) == 0 ? 2 : -2;
                    }
                    vectors.add(v);
                }
            }
        }
        for (int word : golay) {
            for (int i = 0; i < 24; i++) {
                double[] v = new double[24];
                for (int c = 0; c < 24; c++) {
                    double base = c == i ? -3 : 1;
                    v[c] = (word >> c & 1) == 0 ? base : -base;
                }
                vectors.add(v);
            }
        }
        return normalised(vectors.toArray(double[][]::new));
    }

    /**
     * The 4,096 words of the extended binary Golay code as 24-bit masks: multiples of the
     * generator x^11 + x^10 + x^6 + x^5 + x^4 + x^2 + 1 of the cyclic [23, 12, 7] quadratic
     * residue code, extended by a parity bit.
     */
    static int[] golayCode() {
        int generator = 0b110001110101; // bits 11, 10, 6, 5, 4, 2, 0
        int[] words = new int[4096];
        for (int message = 0; message < 4096; message++) {
            int word = 0;
            for (int bit = 0; bit < 12; bit++) {
                if ((message >> bit & 1) != 0) {
                    word ^= generator << bit;
                }
            }
            words[message] = word | (Integer.bitCount(word) % 2) << 23;
        }
        return words;
    }

    /** K points uniformly distributed on S^(d-1). */
    public static double[][] random(int k, int d, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] rows = new double[k][d];
        for (double[] row : rows) {
            double sq;
            do {
                sq = 0;
                for (int c = 0; c < d; c++) {
                    row[c] = gaussian(random);
                    sq += row[c] * row[c];
                }
            } while (sq == 0);
        }
        return normalised(rows);
    }

    private static double gaussian(SplittableRandom random) {
        double u = random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log1p(-u)) * Math.cos(2 * Math.PI * v);
    }

    /** The rows scaled to unit norm. */
    public static double[][] normalised(double[][] rows) {
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            double sq = 0;
            for (double v : rows[i]) {
                sq += v * v;
            }
            double norm = Math.sqrt(sq);
            out[i] = new double[rows[i].length];
            for (int c = 0; c < rows[i].length; c++) {
                out[i][c] = rows[i][c] / norm;
            }
        }
        return out;
    }

    /** The rows as an off-heap float32 matrix. */
    public static FloatMatrix toMatrix(Arena arena, double[][] rows) {
        FloatMatrix m = FloatMatrix.allocate(arena, rows.length, rows[0].length);
        for (int i = 0; i < rows.length; i++) {
            for (int c = 0; c < rows[i].length; c++) {
                m.set(i, c, (float) rows[i][c]);
            }
        }
        return m;
    }
}
