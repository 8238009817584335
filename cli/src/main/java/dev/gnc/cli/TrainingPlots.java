package dev.gnc.cli;

import dev.gnc.io.AtomicFiles;
import dev.gnc.ufm.TrainingRecord;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;

/**
 * PNGs of a training run's metrics, one chart per concern: {@code loss.png}, {@code collapse.png}
 * (GNC1, GNC3), {@code margin.png} and {@code accuracy.png} against the step, and the collapse and
 * the margin again against the wall time ({@code collapse-time.png}, {@code margin-time.png}),
 * which is what sizing a run needs. Vertical dashed lines mark the first record of each new tau
 * stage.
 */
final class TrainingPlots {
    /** Past this many stages the x-axis title says what the dashed lines mean instead of listing every tau. */
    private static final int LISTED_STAGES = 6;

    private TrainingPlots() {
    }

    private enum Scale { LINEAR, LOG_IF_POSITIVE, LOG }

    /** What the x-axis shows: the step, or the wall time of the record. */
    private enum Axis {
        STEP, SECONDS;

        double of(TrainingRecord r) {
            return this == STEP ? r.step() : r.seconds();
        }
    }

    private record Series(String name, ToDoubleFunction<TrainingRecord> metric) {
    }

    private record Plot(String file, String name, String yAxisTitle, Scale scale, Axis x, List<Series> series) {
    }

    private static final List<Series> COLLAPSE = List.of(
            new Series("GNC1 = tr(Sigma_W Sigma_B^+)/K", TrainingRecord::gnc1),
            new Series("GNC3 = mean 1 - cos(w_k, mu_k - mu_G)", TrainingRecord::gnc3));
    // two series so a reader sees which points are certified; the bound comes from max cos
    // where the margin itself is exact, which shows how loose the bound is there
    private static final List<Series> MARGIN = List.of(
            new Series("exact min rho_k (certified)", r -> r.marginExact() ? r.margin() : Double.NaN),
            new Series("lower bound 1 - max cos",
                    r -> !r.marginExact() && !Double.isNaN(r.margin()) ? r.margin() : 1 - r.maxCosine()));

    private static final List<Plot> PLOTS = List.of(
            new Plot("loss.png", "loss", "mean cross-entropy", Scale.LOG_IF_POSITIVE, Axis.STEP,
                    List.of(new Series("loss", TrainingRecord::loss))),
            // both fall by orders of magnitude as the features collapse onto their class means
            new Plot("collapse.png", "neural collapse", "GNC1, GNC3 (log scale)", Scale.LOG, Axis.STEP, COLLAPSE),
            new Plot("margin.png", "margin", "margin", Scale.LINEAR, Axis.STEP, MARGIN),
            new Plot("accuracy.png", "accuracy", "fraction of features", Scale.LINEAR, Axis.STEP,
                    List.of(new Series("argmax accuracy", TrainingRecord::accuracy),
                            new Series("nearest class centre accuracy", TrainingRecord::nccAccuracy))),
            new Plot("collapse-time.png", "neural collapse", "GNC1, GNC3 (log scale)", Scale.LOG, Axis.SECONDS,
                    COLLAPSE),
            new Plot("margin-time.png", "margin", "margin", Scale.LINEAR, Axis.SECONDS, MARGIN));

    /**
     * Writes the charts of {@code records} (in step order) into {@code dir}, each atomically, and
     * returns the files written. A chart with nothing measured is not written; points that are NaN,
     * infinite, or not positive on a log axis are left out.
     */
    static List<Path> write(Path dir, List<TrainingRecord> records, String title) throws IOException {
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, XYChart> chart : charts(records, title).entrySet()) {
            Path file = dir.resolve(chart.getKey());
            AtomicFiles.write(file, BitmapEncoder.getBitmapBytes(chart.getValue(), BitmapEncoder.BitmapFormat.PNG));
            written.add(file);
        }
        return written;
    }

    /** The charts with something to show, by file name; separate from {@link #write} so tests can read the series. */
    static Map<String, XYChart> charts(List<TrainingRecord> records, String title) {
        Map<String, XYChart> charts = new LinkedHashMap<>();
        for (Plot plot : PLOTS) {
            Map<String, double[][]> points = new LinkedHashMap<>();
            for (Series series : plot.series()) {
                double[][] xy = points(records, series.metric(), plot.scale() == Scale.LOG, plot.x());
                if (xy[0].length > 0) {
                    points.put(series.name(), xy);
                }
            }
            if (!points.isEmpty()) {
                charts.put(plot.file(), chart(plot, points, records, title));
            }
        }
        return charts;
    }

    private static XYChart chart(Plot plot, Map<String, double[][]> points, List<TrainingRecord> records,
            String title) {
        XYChart chart = new XYChartBuilder().width(900).height(540).title(title + ": " + plot.name())
                .xAxisTitle(plot.x() == Axis.STEP ? stepAxisTitle(records) : "wall time, seconds (dashed: new tau stage)")
                .yAxisTitle(plot.yAxisTitle()).build();
        XYStyler styler = chart.getStyler();
        double min = points.values().stream().flatMapToDouble(xy -> Arrays.stream(xy[1])).min().orElseThrow();
        double max = points.values().stream().flatMapToDouble(xy -> Arrays.stream(xy[1])).max().orElseThrow();
        styler.setYAxisLogarithmic(plot.scale() == Scale.LOG || plot.scale() == Scale.LOG_IF_POSITIVE && min > 0);
        // labels at decades alone leave a range under two decades with one label or none; over
        // more, labels at 2, 3, ..., 9 times each decade pile up
        styler.setYAxisLogarithmicDecadeOnly(max / min >= 100);
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
        styler.setMarkerSize(4);
        // every chart spans the whole run, so the stage lines fall inside it and charts line up
        double first = plot.x().of(records.getFirst());
        double last = plot.x().of(records.getLast());
        if (last > first) {
            styler.setXAxisMin(first);
            styler.setXAxisMax(last);
        }
        points.forEach((name, xy) -> chart.addSeries(name, xy[0], xy[1])
                .setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line));
        styler.setAnnotationLineColor(Color.GRAY);
        styler.setAnnotationLineStroke(
                new BasicStroke(1, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
        for (int i = 1; i < records.size(); i++) {
            if (records.get(i).stage() != records.get(i - 1).stage()) {
                chart.addAnnotation(new AnnotationLine(plot.x().of(records.get(i)), true, false));
            }
        }
        return chart;
    }

    /** x and values of the records where {@code metric} is finite (and positive when {@code positive}). */
    private static double[][] points(List<TrainingRecord> records, ToDoubleFunction<TrainingRecord> metric,
            boolean positive, Axis axis) {
        double[] x = new double[records.size()];
        double[] y = new double[records.size()];
        int n = 0;
        for (TrainingRecord record : records) {
            double value = metric.applyAsDouble(record);
            if (Double.isFinite(value) && (!positive || value > 0)) {
                x[n] = axis.of(record);
                y[n++] = value;
            }
        }
        return new double[][] {Arrays.copyOf(x, n), Arrays.copyOf(y, n)};
    }

    /** "step", with the tau of each stage and the step it starts at, so the dashed lines need no legend. */
    private static String stepAxisTitle(List<TrainingRecord> records) {
        List<String> stages = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            TrainingRecord record = records.get(i);
            if (i == 0 || record.stage() != records.get(i - 1).stage()) {
                stages.add(String.format(Locale.ROOT, "%.3g from %d", record.tau(), record.step()));
            }
        }
        if (stages.size() == 1) {
            return String.format(Locale.ROOT, "step (tau = %.3g)", records.getFirst().tau());
        }
        return stages.size() <= LISTED_STAGES
                ? "step (dashed: new tau stage; tau = " + String.join(", ", stages) + ")"
                : "step (dashed: new tau stage, " + stages.size() + " stages)";
    }
}
