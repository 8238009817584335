package dev.gnc.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gnc.ufm.TrainingRecord;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

class TrainingPlotsTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    /**
     * 300 steps, a record every 10, tau 10 then 30 from step 150. The margin is measured every
     * 20 steps, exactly every 60 and as the bound otherwise; GNC3 starts at 0, which a log axis
     * cannot show.
     */
    private static List<TrainingRecord> run(boolean collapse, boolean accuracy) {
        List<TrainingRecord> records = new ArrayList<>();
        for (long step = 0; step <= 300; step += 10) {
            int stage = step < 150 ? 0 : 1;
            double progress = step / 300.0;
            boolean measured = step % 20 == 0;
            boolean exact = step % 60 == 0;
            double maxCosine = measured ? 0.9 - 0.5 * progress : Double.NaN;
            double acc = accuracy ? 0.1 + 0.85 * progress : Double.NaN, ncc = accuracy ? 0.2 + 0.7 * progress : Double.NaN;
            double gnc3 = collapse ? (step == 0 ? 0 : Math.pow(10, -3 * progress)) : Double.NaN;
            records.add(new TrainingRecord(step, stage, stage == 0 ? 10 : 30, 5 * Math.exp(-4 * progress),
                    acc, acc, acc, ncc, ncc, ncc, 100, false,
                    measured ? (exact ? 1.2 - maxCosine : 1 - maxCosine) : Double.NaN, measured && exact, 0.5, maxCosine,
                    collapse ? Math.pow(10, -5 * progress) : Double.NaN, gnc3, gnc3,
                    0.01, 1 / (1 + step), step * 0.1));
        }
        return records;
    }

    private static void assertPng(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        assertArrayEquals(PNG_SIGNATURE, Arrays.copyOf(bytes, PNG_SIGNATURE.length), file.toString());
        BufferedImage image = ImageIO.read(file.toFile());
        assertNotNull(image, file.toString());
        assertEquals(900, image.getWidth());
        assertEquals(540, image.getHeight());
    }

    private static void assertNoTemporaryFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().endsWith(".tmp")));
        }
    }

    private static List<String> names(Path... files) {
        return Arrays.stream(files).map(f -> f.getFileName().toString()).toList();
    }

    @Test
    void writesEveryChartOfAFullRun(@TempDir Path dir) throws Exception {
        List<Path> written = TrainingPlots.write(dir, run(true, true), "fake run");
        assertEquals(List.of("loss.png", "collapse.png", "margin.png", "accuracy.png", "collapse-time.png",
                "margin-time.png"), names(written.toArray(Path[]::new)));
        for (Path file : written) {
            assertEquals(dir, file.getParent());
            assertPng(file);
        }
        assertNoTemporaryFiles(dir);
    }

    @Test
    void chartsSeparateExactMarginsFromBoundsAndDropPointsALogAxisCannotShow() {
        Map<String, XYChart> charts = TrainingPlots.charts(run(true, true), "fake run");
        XYChart margin = charts.get("margin.png");
        assertEquals(List.of("exact min rho_k (certified)", "lower bound 1 - max cos"),
                List.copyOf(margin.getSeriesMap().keySet()));
        // exact at steps 0, 60, ..., 300; the bound wherever max cos was measured, every 20 steps
        assertEquals(6, margin.getSeriesMap().get("exact min rho_k (certified)").getXData().length);
        assertEquals(16, margin.getSeriesMap().get("lower bound 1 - max cos").getXData().length);
        XYChart collapse = charts.get("collapse.png");
        assertTrue(collapse.getStyler().isYAxisLogarithmic());
        double[] gnc3 = collapse.getSeriesMap().values().stream().toList().get(1).getYData();
        assertEquals(30, gnc3.length); // 31 records less the 0 at step 0
        assertTrue(Arrays.stream(gnc3).allMatch(y -> y > 0));
        assertTrue(charts.get("loss.png").getStyler().isYAxisLogarithmic());
        assertFalse(charts.get("accuracy.png").getStyler().isYAxisLogarithmic());
        assertTrue(charts.get("loss.png").getXAxisTitle().contains("10.0 from 0, 30.0 from 150"),
                charts.get("loss.png").getXAxisTitle());
        // the same series against the wall time: x is each record's seconds
        XYChart overTime = charts.get("collapse-time.png");
        assertTrue(overTime.getStyler().isYAxisLogarithmic());
        assertArrayEquals(gnc3, overTime.getSeriesMap().values().stream().toList().get(1).getYData());
        double[] seconds = overTime.getSeriesMap().values().stream().toList().get(1).getXData();
        assertEquals(1.0, seconds[0], 1e-12, "step 10 at 1 s");
        assertEquals(30.0, seconds[seconds.length - 1], 1e-12);
    }

    @Test
    void skipsChartsAndSeriesWithNothingMeasured(@TempDir Path dir) throws Exception {
        List<Path> written = TrainingPlots.write(dir, run(false, false), "no collapse, no accuracy");
        assertEquals(List.of("loss.png", "margin.png", "margin-time.png"), names(written.toArray(Path[]::new)));
        assertFalse(Files.exists(dir.resolve("collapse.png")));
        assertFalse(Files.exists(dir.resolve("accuracy.png")));

        List<TrainingRecord> noNcc = run(true, true).stream()
                .map(r -> new TrainingRecord(r.step(), r.stage(), r.tau(), r.loss(), r.accuracy(), r.accuracyLow(),
                        r.accuracyHigh(), Double.NaN, Double.NaN, Double.NaN, r.sample(), r.sampled(), r.margin(),
                        r.marginExact(), r.marginSeconds(), r.maxCosine(), r.gnc1(), r.gnc3(), r.gnc3Uncentred(),
                        r.stepSize(), r.gradientNorm(), r.seconds()))
                .toList();
        assertEquals(List.of("argmax accuracy"),
                List.copyOf(TrainingPlots.charts(noNcc, "t").get("accuracy.png").getSeriesMap().keySet()));
        assertTrue(TrainingPlots.write(dir, List.of(), "empty").isEmpty());
        // a run that has just started: one point per series, nothing to span
        Path first = Files.createDirectory(dir.resolve("first"));
        for (Path file : TrainingPlots.write(first, run(true, true).subList(0, 1), "first record")) {
            assertPng(file);
        }
    }

    /** K unit class vectors at random on the sphere, and {@code perClass} noisy features near each. */
    private static float[][][] code(int classes, int d, int perClass, long seed) {
        Random random = new Random(seed);
        float[][] w = new float[classes][d];
        float[][] h = new float[classes * perClass][d];
        for (int k = 0; k < classes; k++) {
            double norm = 0;
            for (int c = 0; c < d; c++) {
                w[k][c] = (float) random.nextGaussian();
                norm += w[k][c] * w[k][c];
            }
            for (int c = 0; c < d; c++) {
                w[k][c] /= (float) Math.sqrt(norm);
            }
            for (int i = 0; i < perClass; i++) {
                for (int c = 0; c < d; c++) {
                    h[k * perClass + i][c] = 0.8f * w[k][c] + 0.08f * (float) random.nextGaussian();
                }
            }
        }
        return new float[][][] {w, h};
    }

    private static int[] labels(int classes, int perClass) {
        int[] labels = new int[classes * perClass];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i / perClass;
        }
        return labels;
    }

    @Test
    void drawsCodesInTwoAndThreeDimensions(@TempDir Path dir) throws Exception {
        for (int d = 2; d <= 3; d++) {
            float[][][] small = code(7, d, 30, d);
            Path coloured = dir.resolve("code" + d + ".png");
            CodePicture.write(coloured, small[0], small[1], labels(7, 30), "seven classes");
            assertPng(coloured);
            float[][][] large = code(60, d, 5, d);
            Path plain = dir.resolve("large" + d + ".png");
            CodePicture.write(plain, large[0], large[1], labels(60, 5), "sixty classes");
            assertPng(plain);
            Path tied = dir.resolve("tied" + d + ".png");
            CodePicture.write(tied, small[0], null, null, "tied, no features");
            assertPng(tied);
        }
        assertNoTemporaryFiles(dir);
    }

    @Test
    void refusesOtherDimensions(@TempDir Path dir) {
        float[][][] code = code(5, 4, 2, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CodePicture.write(dir.resolve("code.png"), code[0], code[1], labels(5, 2), "d = 4"));
        assertEquals("a code picture needs d = 2 or d = 3, not d = 4", e.getMessage());
        assertFalse(Files.exists(dir.resolve("code.png")));
    }
}
