package dev.gnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.Labels;
import dev.gnc.io.Npy;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LossCommandTest {
    /** Two classes e1, e2 in d = 2; features on their class: logits (tau, 0) and (0, tau). */
    private static void writeProblem(Path dir) throws Exception {
        try (Arena arena = Arena.ofConfined()) {
            Npy.write(dir.resolve("W.npy"), FloatMatrix.of(arena, 2, 2, new float[] {1, 0, 0, 1}));
            Npy.write(dir.resolve("H.npy"), FloatMatrix.of(arena, 3, 2, new float[] {1, 0, 0, 1, 1, 0}));
            Npy.write(dir.resolve("y.npy"), Labels.of(arena, 0, 1, 1));
        }
    }

    @Test
    void printsTheLossAndWritesGradients(@TempDir Path dir) throws Exception {
        writeProblem(dir);
        GncTest.Run run = GncTest.gnc("loss", "--classifier", dir.resolve("W.npy").toString(), "--features",
                dir.resolve("H.npy").toString(), "--labels", dir.resolve("y.npy").toString(), "--tau", "2",
                "--grad-out", dir.resolve("grads").toString(), "--per-sample-out", dir.resolve("l.npy").toString(),
                "--json");
        assertEquals(0, run.exit(), run.err());
        // two right with margin 2, one wrong by 2: loss = (2 log(1 + e^-2) + log(1 + e^2)) / 3
        double expected = (2 * Math.log1p(Math.exp(-2)) + Math.log1p(Math.exp(2))) / 3;
        String json = run.out();
        double loss = Double.parseDouble(json.replaceAll("(?s).*\"loss\": ([-0-9.Ee]+).*", "$1"));
        assertEquals(expected, loss, 1e-6);
        assertTrue(json.contains("\"accuracy\": 0.6666666666666666"), json);
        assertTrue(json.contains("\"lse_mean\": "), json);
        try (Arena arena = Arena.ofConfined()) {
            FloatMatrix dw = Npy.readMatrix(dir.resolve("grads/dW.npy"), arena);
            FloatMatrix dh = Npy.readMatrix(dir.resolve("grads/dH.npy"), arena);
            assertEquals(2, dw.rows());
            assertEquals(3, dh.rows());
            // sample 0: p = sigmoid(2) on class 0; dH_0 = tau (p - e_0) W / N
            double p0 = 1 / (1 + Math.exp(-2));
            assertEquals(2 * (p0 - 1) / 3, dh.get(0, 0), 1e-6);
            assertEquals(2 * (1 - p0) / 3, dh.get(0, 1), 1e-6);
            FloatMatrix perSample = Npy.readVector(dir.resolve("l.npy"), arena);
            assertEquals(Math.log1p(Math.exp(-2)), perSample.get(1, 0), 1e-6);
            assertEquals(Math.log1p(Math.exp(2)), perSample.get(2, 0), 1e-6);
        }
    }

    @Test
    void aLabelOutOfRangeIsOneLineNamingIt(@TempDir Path dir) throws Exception {
        writeProblem(dir);
        try (Arena arena = Arena.ofConfined()) {
            Npy.write(dir.resolve("y.npy"), Labels.of(arena, 0, 2, 1));
        }
        GncTest.Run run = GncTest.gnc("loss", "--classifier", dir.resolve("W.npy").toString(), "--features",
                dir.resolve("H.npy").toString(), "--labels", dir.resolve("y.npy").toString(), "--tau", "2");
        assertEquals(2, run.exit());
        assertEquals("gnc: label y[1] = 2 is outside [0, 2) and is not the ignore index -100", run.err().strip());
    }

    @Test
    void aShapeMismatchNamesTheFile(@TempDir Path dir) throws Exception {
        writeProblem(dir);
        try (Arena arena = Arena.ofConfined()) {
            Npy.write(dir.resolve("H.npy"), FloatMatrix.of(arena, 1, 3, new float[] {1, 0, 0}));
        }
        GncTest.Run run = GncTest.gnc("loss", "--classifier", dir.resolve("W.npy").toString(), "--features",
                dir.resolve("H.npy").toString(), "--labels", dir.resolve("y.npy").toString(), "--tau", "2");
        assertEquals(2, run.exit());
        assertTrue(run.err().startsWith("gnc: " + dir.resolve("H.npy")), run.err());
        assertTrue(Files.exists(dir.resolve("W.npy")));
    }

    @Test
    void benchCeReportsTheDocumentedKeys() {
        GncTest.Run run = GncTest.gnc("bench", "ce", "--classes", "3000", "--batch", "64", "--dim", "16",
                "--repeats", "1", "--threads", "2", "--json");
        assertEquals(0, run.exit(), run.err());
        for (String key : new String[] {"step_seconds", "gemm_seconds", "ratio_to_gemm", "peak_rss_bytes"}) {
            assertTrue(run.out().contains("\"" + key + "\": "), key + " missing from " + run.out());
        }
    }
}
