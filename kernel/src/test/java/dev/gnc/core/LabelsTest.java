package dev.gnc.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

class LabelsTest {

    @Test
    void allocateIsZeroedAndAligned() {
        try (Arena arena = Arena.ofConfined()) {
            for (long n : new long[] {0, 1, 13, 207}) {
                Labels labels = Labels.allocate(arena, n);
                assertEquals(n, labels.length());
                assertEquals(4 * n, labels.segment().byteSize());
                assertEquals(0, labels.segment().address() % FloatMatrix.ALIGNMENT);
                assertArrayEquals(new int[(int) n], labels.toArray());
            }
        }
    }

    @Test
    void ofCopiesValuesAndSetWrites() {
        try (Arena arena = Arena.ofConfined()) {
            int[] values = {3, -100, Integer.MAX_VALUE, Integer.MIN_VALUE, 0};
            Labels labels = Labels.of(arena, values);
            values[0] = 42;
            assertArrayEquals(new int[] {3, -100, Integer.MAX_VALUE, Integer.MIN_VALUE, 0}, labels.toArray());
            labels.set(4, 7);
            assertEquals(7, labels.get(4));
            assertEquals(-100, labels.get(1));
        }
    }

    @Test
    void sliceIsAViewOfTheSameMemory() {
        try (Arena arena = Arena.ofConfined()) {
            Labels labels = Labels.of(arena, 0, 1, 2, 3, 4, 5);
            Labels middle = labels.slice(2, 5);
            assertArrayEquals(new int[] {2, 3, 4}, middle.toArray());
            middle.set(0, 20);
            assertEquals(20, labels.get(2));
            assertEquals(0, labels.slice(6, 6).length());
            assertEquals(0, labels.slice(0, 0).toArray().length);
        }
    }

    @Test
    void indicesOutsideTheArrayAreNamed() {
        try (Arena arena = Arena.ofConfined()) {
            Labels labels = Labels.of(arena, 1, 2, 3);
            assertMessage(assertThrows(IndexOutOfBoundsException.class, () -> labels.get(3)), "3", "[0, 3)");
            assertMessage(assertThrows(IndexOutOfBoundsException.class, () -> labels.set(-1, 0)), "-1", "[0, 3)");
            assertMessage(assertThrows(IndexOutOfBoundsException.class, () -> labels.slice(2, 4)),
                    "[2, 4)", "3 labels");
            assertMessage(assertThrows(IndexOutOfBoundsException.class, () -> labels.slice(2, 1)), "[2, 1)");
            assertMessage(assertThrows(IllegalArgumentException.class, () -> Labels.allocate(arena, -5)), "-5");
        }
    }

    private static void assertMessage(Exception e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), () -> "'" + e.getMessage() + "' should mention " + part);
        }
    }
}
