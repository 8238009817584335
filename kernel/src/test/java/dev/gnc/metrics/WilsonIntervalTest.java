package dev.gnc.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WilsonIntervalTest {
    /** Textbook values (Wilson 1927, z = 1.96): 50 of 100, and the ends 0 of 10 and 10 of 10. */
    @Test
    void matchesTheTextbookIntervals() {
        WilsonInterval half = WilsonInterval.of(0.5, 100);
        assertEquals(0.40383, half.low(), 1e-5);
        assertEquals(0.59617, half.high(), 1e-5);
        WilsonInterval none = WilsonInterval.of(0, 10);
        assertEquals(0, none.low());
        assertEquals(0.27753, none.high(), 1e-5);
        WilsonInterval all = WilsonInterval.of(1, 10);
        assertEquals(0.72247, all.low(), 1e-5);
        assertEquals(1, all.high());
    }

    @Test
    void bracketsTheProportionAndNarrowsWithTheSample() {
        double previousWidth = Double.POSITIVE_INFINITY;
        for (long n : new long[] {1, 7, 100, 4096, 1_000_000}) {
            for (double p : new double[] {0, 1.0 / 7, 0.5, 0.97, 1}) {
                WilsonInterval w = WilsonInterval.of(p, n);
                assertTrue(0 <= w.low() && w.low() <= p && p <= w.high() && w.high() <= 1, p + " of " + n
                        + ": " + w);
            }
            double width = WilsonInterval.of(0.5, n).high() - WilsonInterval.of(0.5, n).low();
            assertTrue(width < previousWidth, n + ": " + width);
            previousWidth = width;
        }
        assertEquals(new WilsonInterval(0.25, 0.25), WilsonInterval.exact(0.25));
    }

    @Test
    void namesBadInput() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WilsonInterval.of(1.5, 10)).getMessage()
                .contains("1.5"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WilsonInterval.of(Double.NaN, 10)).getMessage()
                .contains("NaN"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> WilsonInterval.of(0.5, 0)).getMessage()
                .contains("0"));
    }
}
