package dev.gnc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.Labels;
import dev.gnc.io.Npy;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsCommandTest {
    /** The cross-polytope {+-e_i} in d = 3 (rho = 1 for every class), and two noisy features per class. */
    private static void writeProblem(Path dir, float scale) throws Exception {
        float[] w = new float[6 * 3];
        float[] h = new float[12 * 3];
        int[] y = new int[12];
        for (int k = 0; k < 6; k++) {
            w[k * 3 + k / 2] = (k % 2 == 0 ? 1 : -1) * scale;
            for (int i = 0; i < 2; i++) {
                int row = 2 * k + i;
                y[row] = k;
                for (int c = 0; c < 3; c++) {
                    h[row * 3 + c] = w[k * 3 + c] / scale + (i == 0 ? 0.01f : -0.01f) * (c + 1);
                }
            }
        }
        try (Arena arena = Arena.ofConfined()) {
            Npy.write(dir.resolve("W.npy"), FloatMatrix.of(arena, 6, 3, w));
            Npy.write(dir.resolve("H.npy"), FloatMatrix.of(arena, 12, 3, h));
            Npy.write(dir.resolve("y.npy"), Labels.of(arena, y));
        }
    }

    private static double number(String json, String key) {
        return Double.parseDouble(json.replaceAll("(?s).*\"" + key + "\": ([-0-9.Ee]+).*", "$1"));
    }

    @Test
    void reportsCertifiedMarginsCollapseAndWritesRhoAndPlot(@TempDir Path dir) throws Exception {
        writeProblem(dir, 1);
        GncTest.Run run = GncTest.gnc("metrics", "--classifier", dir.resolve("W.npy").toString(), "--features",
                dir.resolve("H.npy").toString(), "--labels", dir.resolve("y.npy").toString(), "--json",
                "--rho-out", dir.resolve("rho.npy").toString(), "--plot", dir.resolve("rho.png").toString(),
                "--threads", "2", "--no-progress");
        assertEquals(0, run.exit(), run.err());
        String json = run.out();
        assertEquals(6, number(json, "classes"));
        assertEquals(3, number(json, "dim"));
        assertEquals(1, number(json, "margin_min"), 1e-6);
        assertEquals(1, number(json, "margin_mean"), 1e-6);
        assertTrue(number(json, "certificate_gap") < 1e-7, json);
        assertEquals(0, number(json, "max_cosine"), 1e-7);
        assertEquals(1, number(json, "accuracy"));
        assertEquals(1, number(json, "ncc_accuracy"));
        assertTrue(number(json, "gnc3") < 1e-3, json);
        assertTrue(number(json, "gnc1") < 1e-3, json);
        byte[] rho = Files.readAllBytes(dir.resolve("rho.npy"));
        String header = new String(rho, 0, 128, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(header.contains("'descr': '<f8'") && header.contains("'shape': (6,)"), header);
        ByteBuffer data = ByteBuffer.wrap(rho, 128, 48).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < 6; k++) {
            assertEquals(1, data.getDouble(), 1e-6);
        }
        byte[] png = Files.readAllBytes(dir.resolve("rho.png"));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "temporary files left");
        }
    }

    @Test
    void rowsOffTheSphereStopWithOneLineOrAreNormalisedWhenAsked(@TempDir Path dir) throws Exception {
        writeProblem(dir, 2);
        String w = dir.resolve("W.npy").toString();
        GncTest.Run refused = GncTest.gnc("metrics", "--classifier", w, "--no-progress");
        assertEquals(2, refused.exit());
        assertEquals("gnc: row 0 of " + w + " is 1.0 away from unit norm (tolerance 1.0E-4); pass --normalize to "
                + "scale the rows to unit norm\n", refused.err());
        GncTest.Run normalised = GncTest.gnc("metrics", "--classifier", w, "--normalize", "--json", "--no-progress");
        assertEquals(0, normalised.exit(), normalised.err());
        assertEquals(1, number(normalised.out(), "margin_min"), 1e-6);
    }

    @Test
    void badOptionsAreOneLineBeforeAnyWork(@TempDir Path dir) throws Exception {
        writeProblem(dir, 1);
        String w = dir.resolve("W.npy").toString();
        GncTest.Run alone = GncTest.gnc("metrics", "--classifier", w, "--features", dir.resolve("H.npy").toString());
        assertEquals(2, alone.exit());
        assertEquals("gnc: --features and --labels go together: give both or neither\n", alone.err());
        GncTest.Run candidates = GncTest.gnc("metrics", "--classifier", w, "--candidates", "0");
        assertEquals("gnc: candidates must be >= 1, got 0\n", candidates.err());
        try (Arena arena = Arena.ofConfined()) {
            Npy.write(dir.resolve("one.npy"), FloatMatrix.of(arena, 1, 3, new float[] {1, 0, 0}));
        }
        GncTest.Run one = GncTest.gnc("metrics", "--classifier", dir.resolve("one.npy").toString(), "--no-progress");
        assertEquals("gnc: one-vs-rest distances need 2 to 2^31 - 1 classes, got 1\n", one.err());
        Path nowhere = dir.resolve("missing").resolve("rho.npy");
        GncTest.Run rhoOut = GncTest.gnc("metrics", "--classifier", w, "--rho-out", nowhere.toString(), "--no-progress");
        assertEquals("gnc: --rho-out " + nowhere + ": folder " + nowhere.getParent() + " does not exist\n",
                rhoOut.err());
    }

    @Test
    void drawsProgressOnStandardError(@TempDir Path dir) throws Exception {
        writeProblem(dir, 1);
        GncTest.Run run = GncTest.gnc("metrics", "--classifier", dir.resolve("W.npy").toString(), "--features",
                dir.resolve("H.npy").toString(), "--labels", dir.resolve("y.npy").toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.err().contains("margins") && run.err().contains("6/6"), run.err());
        assertTrue(run.err().contains("collapse: class statistics, GNC1, GNC3 and two argmax passes over 12 samples ..."),
                run.err());
        assertTrue(run.out().contains("margin min"), run.out());
    }
}
