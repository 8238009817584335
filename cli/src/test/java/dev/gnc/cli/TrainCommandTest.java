package dev.gnc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gnc.core.FloatMatrix;
import dev.gnc.io.Npy;
import dev.gnc.metrics.CollapseReference;
import dev.gnc.ufm.TrainingRecord;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
    private static final String[] SMALL = {"--classes", "6", "--dim", "3", "--per-class", "3", "--tau-schedule", "5,20",
        "--steps", "40", "--log-every", "10", "--checkpoint-every", "30", "--threads", "2", "--no-progress"};

    private static String[] with(String[] base, String... more) {
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    private static String[] train(String... args) {
        return with(new String[] {"train"}, args);
    }

    @Test
    void trainsAndWritesArraysMetricsCheckpointAndPlots(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        GncTest.Run run = GncTest.gnc(train(with(SMALL, "--out", out.toString())));
        assertEquals(0, run.exit(), run.err());
        for (String file : new String[] {"W.npy", "H.npy", "metrics.csv", "metrics.jsonl", "run.properties",
            "checkpoint.properties", "loss.png", "collapse.png", "code.png"}) {
            assertTrue(Files.exists(out.resolve(file)), file + " in " + run.out());
        }
        List<String> csv = Files.readAllLines(out.resolve("metrics.csv"), StandardCharsets.UTF_8);
        assertEquals("step,stage,tau,loss,accuracy,accuracy_low,accuracy_high,ncc_accuracy,ncc_low,ncc_high,sample,"
                + "sampled,margin,margin_exact,margin_seconds,max_cosine,gnc1,gnc3,gnc3_uncentred,step_size,"
                + "gradient_norm,seconds", csv.getFirst());
        assertEquals(1 + 9, csv.size(), "steps 0, 10, ..., 80");
        assertEquals(9, Files.readAllLines(out.resolve("metrics.jsonl")).size());
        assertTrue(csv.getLast().startsWith("80,1,20.0,"), csv.getLast());
        assertTrue(run.out().contains("GNC1") && run.out().contains("exact and certified"), run.out());
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(6, Npy.readMatrix(out.resolve("W.npy"), arena).rows());
            assertEquals(18, Npy.readMatrix(out.resolve("H.npy"), arena).rows());
        }
    }

    /** A run cut short and resumed ends bitwise where an uninterrupted run ends, with the same metrics rows. */
    @Test
    void resumeContinuesToTheUninterruptedResult(@TempDir Path dir) throws Exception {
        resumesExactly(dir, SMALL);
    }

    /** The same with Adam on mini-batches: its moments and step count, and the batches, come back with the checkpoint. */
    @Test
    void resumeRestoresTheOptimiserState(@TempDir Path dir) throws Exception {
        resumesExactly(dir, with(SMALL, "--no-line-search", "--optimizer", "adam", "--lr", "0.05", "--batch", "4"));
    }

    private static void resumesExactly(Path dir, String[] options) throws Exception {
        Path whole = dir.resolve("whole"), parts = dir.resolve("parts");
        assertEquals(0, GncTest.gnc(train(with(options, "--out", whole.toString()))).exit());
        GncTest.Run first = GncTest.gnc(train(with(options, "--out", parts.toString(), "--stop-after", "35")));
        assertEquals(0, first.exit(), first.err());
        assertTrue(first.err().contains("stopped after 35 steps at step 35 of 80; checkpoint written; continue with "
                + "--resume " + parts), first.err());
        assertTrue(!Files.exists(parts.resolve("H.npy")), "no final arrays before the end");
        GncTest.Run resumed = GncTest.gnc("train", "--resume", parts.toString(), "--no-progress");
        assertEquals(0, resumed.exit(), resumed.err());
        assertTrue(resumed.err().contains("resuming " + parts + " at step 35 of 80"), resumed.err());
        try (Arena arena = Arena.ofConfined()) {
            FloatMatrix a = Npy.readMatrix(whole.resolve("H.npy"), arena), b = Npy.readMatrix(parts.resolve("H.npy"), arena);
            assertArrayEquals(a.toArray(), b.toArray());
        }
        List<String> wholeRows = Files.readAllLines(whole.resolve("metrics.csv"));
        List<String> partRows = Files.readAllLines(parts.resolve("metrics.csv"));
        assertEquals(wholeRows.size(), partRows.size());
        for (int i = 1; i < wholeRows.size(); i++) {
            assertEquals(withoutClocks(wholeRows.get(i)), withoutClocks(partRows.get(i)));
        }
    }

    /** A metrics row with its two wall-clock cells, the margin's seconds and the run's, emptied. */
    private static String withoutClocks(String row) {
        String[] cells = row.split(",", -1);
        cells[column("margin_seconds")] = "";
        cells[column("seconds")] = "";
        return String.join(",", cells);
    }

    @Test
    void classMeansVariantTrainsTheFeaturesAlone(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("means");
        GncTest.Run run = GncTest.gnc(train(with(SMALL, "--variant", "means", "--out", out.toString())));
        assertEquals(0, run.exit(), run.err());
        List<String> csv = Files.readAllLines(out.resolve("metrics.csv"), StandardCharsets.UTF_8);
        String[] last = csv.getLast().split(",");
        assertEquals("1.0", last[column("accuracy")], "accuracy: " + csv.getLast());
        assertTrue(Double.parseDouble(last[column("gnc3")]) < 1e-3, "GNC3 ~ 0 by construction: " + csv.getLast());
    }

    @Test
    void miniBatchRunsWithASchedule(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("mb");
        GncTest.Run run = GncTest.gnc(train(with(SMALL, "--batch", "5", "--no-line-search", "--lr", "0.5", "--schedule",
                "cosine", "--out", out.toString())));
        assertEquals(0, run.exit(), run.err());
        List<String> csv = Files.readAllLines(out.resolve("metrics.csv"), StandardCharsets.UTF_8);
        String[] last = csv.getLast().split(",");
        assertEquals("80", last[0]);
        assertTrue(Double.parseDouble(last[column("step_size")]) < 0.5 * 0.01, "the cosine schedule ends near 0: "
                + csv.getLast());
    }

    private static int column(String name) {
        return Arrays.asList(TrainingRecord.COLUMNS).indexOf(name);
    }

    /** The last log's GNC1 and GNC3 are those of the W.npy and H.npy the run wrote, by a float64 reference. */
    @Test
    void theLoggedCollapseIsThatOfTheWrittenArrays(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        int k = 7, n = 3, d = 4;
        GncTest.Run run = GncTest.gnc(train("--classes", "" + k, "--per-class", "" + n, "--dim", "" + d, "--tau", "10",
                "--steps", "30", "--log-every", "10", "--measure-sample", "12", "--threads", "2", "--no-progress",
                "--out", out.toString()));
        assertEquals(0, run.exit(), run.err());
        String[] last = Files.readAllLines(out.resolve("metrics.csv"), StandardCharsets.UTF_8).getLast().split(",", -1);
        assertEquals("true", last[column("sampled")]);
        assertEquals("12", last[column("sample")]);
        assertTrue(run.out().contains("a fixed sample of 12 features"), run.out());
        float[] w, h;
        try (Arena arena = Arena.ofConfined()) {
            w = Npy.readMatrix(out.resolve("W.npy"), arena).toArray();
            h = Npy.readMatrix(out.resolve("H.npy"), arena).toArray();
        }
        int[] y = new int[k * n];
        for (int i = 0; i < y.length; i++) {
            y[i] = i / n;
        }
        double[][] mu = CollapseReference.means(h, y, k, d);
        double[] global = CollapseReference.globalMean(h, y.length, d);
        double gnc1 = CollapseReference.gnc1(CollapseReference.within(h, y, mu, d), CollapseReference.between(mu, global),
                d, k, Math.min(k - 1, d));
        double gnc3 = CollapseReference.gnc3(w, CollapseReference.centred(mu, global));
        double logged1 = Double.parseDouble(last[column("gnc1")]), logged3 = Double.parseDouble(last[column("gnc3")]);
        assertEquals(gnc1, logged1, 1e-6 * gnc1, "GNC1");
        assertEquals(gnc3, logged3, 1e-9 + 1e-6 * gnc3, "GNC3");
        assertEquals(CollapseReference.gnc3(w, mu), Double.parseDouble(last[column("gnc3_uncentred")]), 1e-9,
                "GNC3 uncentred");
    }

    @Test
    void oneFeaturePerClassSaysGnc1IsUndefined(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        GncTest.Run run = GncTest.gnc(train("--classes", "8", "--per-class", "1", "--dim", "3", "--tau", "10", "--steps",
                "10", "--log-every", "5", "--threads", "2", "--no-progress", "--out", out.toString()));
        assertEquals(0, run.exit(), run.err());
        List<String> csv = Files.readAllLines(out.resolve("metrics.csv"), StandardCharsets.UTF_8);
        for (String row : csv.subList(1, csv.size())) {
            assertEquals(TrainingRecord.UNDEFINED, row.split(",", -1)[column("gnc1")], row);
        }
        assertTrue(run.out().contains("GNC1 is undefined with one feature per class"), run.out());
        assertTrue(Files.readString(out.resolve("metrics.jsonl")).contains("\"gnc1\": \"undefined\""));
    }

    /** A run no machine holds is refused before anything is allocated, with what it needs. */
    @Test
    void aRunLargerThanTheMachineSaysWhatItNeeds(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("huge");
        GncTest.Run run = GncTest.gnc(train("--classes", "1000000000", "--per-class", "2", "--dim", "4096",
                "--no-progress", "--out", out.toString()));
        assertEquals(2, run.exit(), run.err());
        // 3e9 rows of 4096 floats and 2e9 labels: 45,784 GiB for W and H alone
        assertTrue(run.err().startsWith("gnc: this run needs about ") && run.err().contains("W and H 45783.8 GiB")
                && run.err().contains("but this machine has "), run.err());
        assertTrue(!Files.exists(out));
    }

    @Test
    void badOptionsAreOneLineAndNeverTouchAnEarlierRun(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        assertEquals(0, GncTest.gnc(train(with(SMALL, "--out", out.toString()))).exit());
        byte[] before = Files.readAllBytes(out.resolve("H.npy"));
        GncTest.Run again = GncTest.gnc(train(with(SMALL, "--out", out.toString())));
        assertEquals(2, again.exit());
        assertEquals("gnc: --out " + out + " holds another run; continue it with --resume " + out
                + " or choose another folder\n", again.err());
        assertArrayEquals(before, Files.readAllBytes(out.resolve("H.npy")));
        String[][] bad = {
            {"--classes", "1"}, {"--dim", "0"}, {"--tau", "0"}, {"--tau", "-1"}, {"--steps", "0"},
            {"--variant", "tied", "--per-class", "2"}, {"--variant", "fixed"}, {"--optimizer", "sgdx", "--no-line-search"},
            {"--batch", "5001", "--no-line-search"}, {"--batch", "10"}, {"--measure-sample", "5001"},
            {"--measure-sample", "some"},
        };
        String[] messages = {
            "gnc: the UFM needs at least 2 classes, got 1\n", "gnc: the UFM needs a dimension of at least 1, got 0\n",
            "gnc: tau must be finite and > 0, got 0.0\n", "gnc: tau must be finite and > 0, got -1.0\n",
            "gnc: steps per stage must be >= 1, got 0\n",
            "gnc: the tied UFM (H = W) has one feature per class, got 2\n",
            "gnc: --variant fixed trains against --init-classifier W.npy: give one\n",
            "gnc: --optimizer does not know 'sgdx'\n",
            "gnc: a batch of 5001 features is larger than the 5000 features of this UFM\n",
            "gnc: mini-batch training takes fixed steps: a line search needs the full objective (use --no-line-search, "
                + "or no --batch)\n",
            "gnc: --measure-sample 5001 is outside [1, 5000], the features of this UFM\n",
            "gnc: --measure-sample takes a number of features, all or auto, got 'some'\n",
        };
        for (int i = 0; i < bad.length; i++) {
            Path fresh = dir.resolve("bad" + i);
            GncTest.Run r = GncTest.gnc(train(with(bad[i], "--out", fresh.toString(), "--no-progress")));
            assertEquals(2, r.exit(), String.join(" ", bad[i]));
            assertEquals(messages[i], r.err(), String.join(" ", bad[i]));
            assertTrue(!Files.exists(fresh), "no folder for a refused run: " + fresh);
        }
        try (Arena arena = Arena.ofConfined()) {
            Npy.write(dir.resolve("W0.npy"), FloatMatrix.of(arena, 2, 3, new float[] {1, 0, 0, 0, 1, 0}));
        }
        GncTest.Run shape = GncTest.gnc(train(with(SMALL, "--variant", "fixed", "--init-classifier",
                dir.resolve("W0.npy").toString(), "--out", dir.resolve("shape").toString())));
        assertEquals("gnc: the fixed classifier is 2 x 3 but this UFM needs 6 x 3\n", shape.err());
    }
}
