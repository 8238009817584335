package dev.gnc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gnc.core.FloatMatrix;
import dev.gnc.core.WorkPool;
import dev.gnc.io.Npy;
import dev.gnc.metrics.OneVsRestDistance;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CodeCommandTest {
    private static double number(String json, String key) {
        return Double.parseDouble(json.replaceAll("(?s).*\"" + key + "\": ([-0-9.Ee]+).*", "$1"));
    }

    /** The cross-polytope (K = 2d = 6): found to 1e-6, written as unit rows whose certified margin is the one printed. */
    @Test
    void findsTheCrossPolytopeAndWritesItsCode(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("code");
        GncTest.Run run = GncTest.gnc("code", "--classes", "6", "--dim", "3", "--restarts", "2", "--seed", "3",
                "--threads", "2", "--out", out.toString(), "--json", "--no-progress");
        assertEquals(0, run.exit(), run.err());
        String json = run.out().strip();
        assertTrue(json.startsWith("{") && json.endsWith("}"), json);
        for (String key : new String[] {"classes", "dim", "margin_min", "max_cosine", "certificate_gap", "restarts",
            "best_restart", "seconds"}) {
            assertTrue(json.contains("\"" + key + "\": "), key + " missing from " + json);
        }
        assertEquals(6, number(json, "classes"));
        assertEquals(3, number(json, "dim"));
        assertEquals(2, number(json, "restarts"));
        assertTrue(number(json, "best_restart") == 0 || number(json, "best_restart") == 1, json);
        double margin = number(json, "margin_min");
        assertEquals(1, margin, 1e-6, json);
        assertEquals(0, number(json, "max_cosine"), 1e-6, json);
        assertTrue(number(json, "certificate_gap") < 1e-9, json);
        try (Arena arena = Arena.ofShared(); WorkPool pool = WorkPool.create(1)) {
            FloatMatrix w = Npy.readMatrix(out.resolve("W.npy"), arena);
            assertEquals(6, w.rows());
            assertEquals(3, w.cols());
            for (int k = 0; k < 6; k++) {
                double sq = 0;
                for (int c = 0; c < 3; c++) {
                    sq += (double) w.get(k, c) * w.get(k, c);
                }
                assertEquals(1, Math.sqrt(sq), 1e-6, "row " + k);
            }
            assertEquals(margin, OneVsRestDistance.builder(pool).build().compute(w).min(), "the file's certified margin");
        }
        byte[] png = Files.readAllBytes(out.resolve("code.png"));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));
        try (Stream<Path> files = Files.list(out)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "temporary files left");
        }
    }

    @Test
    void printsATableWithoutJson(@TempDir Path dir) {
        GncTest.Run run = GncTest.gnc("code", "--classes", "5", "--dim", "2", "--restarts", "1", "--steps", "50",
                "--sharpness", "10", "--out", dir.resolve("c").toString(), "--no-progress");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().matches("(?s)classes +5\\R.*margin min +0\\.6.*best restart +0\\R.*"), run.out());
        assertTrue(Files.exists(dir.resolve("c").resolve("W.npy")));
    }

    /**
     * Stopped by --stop-after and continued with --resume, twice (once writing a checkpoint after
     * every step), a search ends with the uninterrupted one's W.npy to the byte; a finished search,
     * or a resume with search options, is refused.
     */
    @Test
    void aStoppedSearchResumesToTheSameCode(@TempDir Path dir) throws Exception {
        Path whole = dir.resolve("whole"), legs = dir.resolve("legs");
        String[] search = {"code", "--classes", "12", "--dim", "3", "--restarts", "3", "--steps", "80", "--threads",
            "2", "--no-progress"};
        assertEquals(0, GncTest.gnc(concat(search, "--out", whole.toString())).exit());
        GncTest.Run first = GncTest.gnc(concat(search, "--out", legs.toString(), "--stop-after", "50",
                "--checkpoint-minutes", "0"));
        assertEquals(0, first.exit(), first.err());
        assertEquals("gnc: stopped after 50 steps; checkpoints written; continue with --resume " + legs + "\n",
                first.err());
        assertFalse(Files.exists(legs.resolve("W.npy")));
        assertTrue(Files.exists(legs.resolve("restart-0").resolve(RunDirectory.CHECKPOINT)));
        GncTest.Run second = GncTest.gnc("code", "--resume", legs.toString(), "--stop-after", "300", "--no-progress");
        assertEquals(0, second.exit(), second.err());
        assertTrue(second.err().matches("gnc: resuming " + Pattern.quote(legs.toString())
                + " at step [0-9]+ of 960\\Rgnc: stopped after 300 steps.*\\R"), second.err());
        GncTest.Run third = GncTest.gnc("code", "--resume", legs.toString(), "--no-progress");
        assertEquals(0, third.exit(), third.err());
        assertArrayEquals(Files.readAllBytes(whole.resolve("W.npy")), Files.readAllBytes(legs.resolve("W.npy")));
        GncTest.Run finished = GncTest.gnc("code", "--resume", legs.toString(), "--no-progress");
        assertEquals(2, finished.exit());
        assertEquals("gnc: --resume " + legs + " has finished: its code is " + legs.resolve("W.npy") + "\n",
                finished.err());
        GncTest.Run withOptions = GncTest.gnc("code", "--resume", legs.toString(), "--classes", "5");
        assertEquals(2, withOptions.exit());
        assertEquals("gnc: --resume " + legs + " continues with the settings in its run.properties; give no search "
                + "options beside it\n", withOptions.err());
    }

    private static String[] concat(String[] head, String... tail) {
        return Stream.concat(Arrays.stream(head), Arrays.stream(tail)).toArray(String[]::new);
    }

    @Test
    void refusesAFolderThatHoldsAnything(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("taken");
        Files.createDirectories(out);
        Files.writeString(out.resolve("notes.txt"), "mine");
        GncTest.Run run = GncTest.gnc("code", "--classes", "4", "--dim", "3", "--restarts", "1", "--out",
                out.toString(), "--no-progress");
        assertEquals(2, run.exit());
        assertEquals("gnc: --out " + out + " is not empty; choose a new folder\n", run.err());
        assertEquals("mine", Files.readString(out.resolve("notes.txt")));
        assertFalse(Files.exists(out.resolve("W.npy")));
    }

    @Test
    void badOptionsAreOneLineAndMakeNoFolder(@TempDir Path dir) {
        String[][] bad = {
            {"--classes", "1", "--dim", "3"}, {"--classes", "4", "--dim", "0"},
            {"--classes", "4", "--dim", "3", "--restarts", "0"}, {"--classes", "4", "--dim", "3", "--sharpness", "0"},
            {"--classes", "4", "--dim", "3", "--steps", "0"}, {"--classes", "4", "--dim", "3", "--threads", "0"},
        };
        String[] messages = {
            "gnc: --classes must be >= 2, got 1\n", "gnc: --dim must be >= 1, got 0\n",
            "gnc: --restarts must be >= 1, got 0\n", "gnc: sharpness must be finite and > 0, got 0.0\n",
            "gnc: --steps must be >= 1, got 0\n", "gnc: --threads must be at least 1, got 0\n",
        };
        for (int i = 0; i < bad.length; i++) {
            Path fresh = dir.resolve("bad" + i);
            String[] args = Stream.concat(Stream.of("code", "--out", fresh.toString(), "--no-progress"),
                    Arrays.stream(bad[i])).toArray(String[]::new);
            GncTest.Run r = GncTest.gnc(args);
            assertEquals(2, r.exit(), String.join(" ", bad[i]));
            assertEquals(messages[i], r.err(), String.join(" ", bad[i]));
            assertFalse(Files.exists(fresh), "no folder for a refused search: " + fresh);
        }
        GncTest.Run missing = GncTest.gnc("code", "--dim", "3");
        assertEquals(2, missing.exit());
        assertEquals("gnc: gnc code needs --classes K and --dim d (or --resume DIR)\n", missing.err());
    }
}
