package dev.gnc.cli;

import dev.gnc.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.Histogram;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The PNG of {@code gnc metrics --plot}: a histogram of rho_k with the margin and the 1 - max cos bound marked. */
final class MarginHistogram {
    private static final int BINS = 60;

    private MarginHistogram() {
    }

    static void write(Path file, double[] rho, double margin, double bound, int dim) throws IOException {
        double lo = Math.min(Arrays.stream(rho).min().orElse(0), bound);
        double hi = Arrays.stream(rho).max().orElse(1);
        if (hi - lo < 1e-6) { // a code whose classes all sit at one distance: give the single bar a width
            lo -= 1e-3;
            hi += 1e-3;
        }
        Histogram histogram = new Histogram(Arrays.stream(rho).boxed().toList(), BINS, lo, hi);
        XYChart chart = new XYChartBuilder().width(900).height(540)
                .title("One-vs-rest distances of " + rho.length + " classes in d = " + dim)
                .xAxisTitle("rho_k = dist(w_k, conv{w_j : j != k})").yAxisTitle("classes").build();
        chart.getStyler().setLegendVisible(true);
        XYSeries bars = chart.addSeries("classes", histogram.getxAxisData(), histogram.getyAxisData());
        bars.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.StepArea);
        bars.setMarker(SeriesMarkers.NONE);
        double top = histogram.getyAxisData().stream().mapToDouble(Double::doubleValue).max().orElse(1);
        marker(chart, String.format("margin min rho = %.6f", margin), margin, top);
        marker(chart, String.format("1 - max cos = %.6f", bound), bound, top);
        AtomicFiles.write(file, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }

    private static void marker(XYChart chart, String name, double x, double top) {
        XYSeries line = chart.addSeries(name, List.of(x, x), List.of(0.0, top));
        line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        line.setMarker(SeriesMarkers.NONE);
    }
}
