package dev.gnc.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The known codes have the structure their closed forms rely on. */
class KnownCodesTest {

    @Test
    void golayCodeHasItsWeightDistribution() {
        int[] byWeight = new int[25];
        Set<Integer> words = new HashSet<>();
        for (int word : KnownCodes.golayCode()) {
            byWeight[Integer.bitCount(word)]++;
            words.add(word);
        }
        assertEquals(4096, words.size());
        int[] expected = new int[25];
        expected[0] = 1;
        expected[8] = 759;
        expected[12] = 2576;
        expected[16] = 759;
        expected[24] = 1;
        assertArrayEquals(expected, byWeight);
    }

    /** Kissing configurations: each row's neighbours at cosine 1/2 and nothing closer. */
    @Test
    void leechAndE8HaveTheirKissingNumbersAndNoCloserNeighbours() {
        assertNeighbours(KnownCodes.e8Roots(), 240, 56, 0, 1);
        assertNeighbours(KnownCodes.leech(), 196_560, 4_600, 0, 997);
    }

    private static void assertNeighbours(double[][] code, int size, int kissing, int from, int step) {
        assertEquals(size, code.length);
        for (int k = from; k < code.length; k += step) {
            int atHalf = 0;
            for (int j = 0; j < code.length; j++) {
                if (j == k) {
                    continue;
                }
                double cos = 0;
                for (int c = 0; c < code[k].length; c++) {
                    cos += code[k][c] * code[j][c];
                }
                assertTrue(cos < 0.5 + 1e-12, "rows " + k + ", " + j + ": cos " + cos);
                atHalf += Math.abs(cos - 0.5) < 1e-12 ? 1 : 0;
            }
            assertEquals(kissing, atHalf, "row " + k);
        }
    }
}
