package dev.gnc.cli;

import dev.gnc.core.FloatMatrix;
import dev.gnc.io.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A PNG of a code in d = 2 or 3: the class vectors w_k on the unit circle or sphere, and the
 * features h_i around them. In d = 3 the sphere is shown as two discs, its x3 >= 0 and x3 < 0
 * halves each projected along x3, so no point hides behind another half. Points are drawn where
 * they are, the unit circles are for reference; every feature is drawn, so pass a sample of a large
 * set.
 */
final class CodePicture {
    /** Up to this many classes get a colour and a legend entry each; past it one colour reads better than a rainbow. */
    private static final int COLOURED_CLASSES = 20;
    private static final Color CIRCLE = Color.GRAY;

    private CodePicture() {
    }

    /** The rows of an off-heap matrix as heap arrays, for drawing. */
    static float[][] rows(FloatMatrix m) {
        float[][] rows = new float[(int) m.rows()][m.cols()];
        for (int i = 0; i < rows.length; i++) {
            for (int c = 0; c < m.cols(); c++) {
                rows[i][c] = m.get(i, c);
            }
        }
        return rows;
    }

    /**
     * @param w      K x d class vectors, d = 2 or 3
     * @param h      n x d features, or null (the tied UFM has none)
     * @param labels the class of each feature, in [0, K); ignored when {@code h} is null
     */
    static void write(Path file, float[][] w, float[][] h, int[] labels, String title) throws IOException {
        int d = check(w, h, labels);
        double radius = 1; // the unit sphere, or wider when a point lies outside it
        for (float[] row : w) {
            radius = Math.max(radius, norm(row));
        }
        for (float[] row : h == null ? new float[0][] : h) {
            radius = Math.max(radius, norm(row));
        }
        double centre = d == 2 ? 0 : 1.1 * radius; // the x offset of each half-sphere disc in d = 3
        XYChart chart = new XYChartBuilder().width(900).height(540)
                .title(title + String.format(Locale.ROOT, " (K = %d, d = %d%s)", w.length, d,
                        h == null ? "" : ", " + h.length + " features"))
                .xAxisTitle(d == 2 ? "x1" : "x1 (each disc: -1 to 1 about its centre)").yAxisTitle("x2").build();
        chart.getStyler().setMarkerSize(6);
        if (d == 2) {
            circle(chart, "unit circle", 0);
        } else {
            circle(chart, "x3 >= 0", -centre);
            circle(chart, "x3 < 0", centre);
            chart.getStyler().setXAxisTicksVisible(false); // an x tick would mean a different x1 on each disc
            chart.addAnnotation(new AnnotationText("x3 >= 0", -centre, 1.12 * radius, false));
            chart.addAnnotation(new AnnotationText("x3 < 0", centre, 1.12 * radius, false));
        }
        // features first so the class vectors are drawn over them
        if (h != null) {
            features(chart, h, labels, w.length, centre);
        }
        classVectors(chart, w, centre);
        equalScales(chart, (d == 2 ? 1.15 : 2.25) * radius, 1.2 * radius);
        AtomicFiles.write(file, BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }

    /** Translucent dots, so a dense cluster reads darker than a stray feature; coloured by class when K is small. */
    private static void features(XYChart chart, float[][] h, int[] labels, int classes, double centre) {
        if (classes > COLOURED_CLASSES) {
            if (h.length > 0) {
                points(chart, "features h_i", List.of(h), centre, SeriesMarkers.CIRCLE, translucent(Color.GRAY));
            }
            return;
        }
        List<List<float[]>> byClass = new ArrayList<>();
        for (int k = 0; k < classes; k++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < h.length; i++) {
            byClass.get(labels[i]).add(h[i]);
        }
        for (int k = 0; k < classes; k++) {
            if (!byClass.get(k).isEmpty()) {
                points(chart, "features of class " + k, byClass.get(k), centre, SeriesMarkers.CIRCLE,
                        translucent(colour(k, classes))).setShowInLegend(false);
            }
        }
    }

    /** Diamonds; when K is small, each on a ray from its disc's centre, in its class's colour. */
    private static void classVectors(XYChart chart, float[][] w, double centre) {
        int classes = w.length;
        if (classes > COLOURED_CLASSES) {
            points(chart, "class vectors w_k", List.of(w), centre, SeriesMarkers.DIAMOND, new Color(0x1f3a93));
            return;
        }
        for (int k = 0; k < classes; k++) {
            double from = offset(w[k], centre);
            XYSeries ray = chart.addSeries("ray " + k, new double[] {from, from + w[k][0]},
                    new double[] {0, w[k][1]});
            ray.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            ray.setMarker(SeriesMarkers.NONE);
            ray.setLineColor(colour(k, classes));
            ray.setLineStyle(new BasicStroke(1.5f)); // solid: the theme would dash some series
            ray.setShowInLegend(false);
            points(chart, "w_" + k, List.of(w[k]), centre, SeriesMarkers.DIAMOND, colour(k, classes));
        }
    }

    /** Checks the shapes once here and returns d, so the drawing code can trust them. */
    private static int check(float[][] w, float[][] h, int[] labels) {
        if (w == null || w.length == 0) {
            throw new IllegalArgumentException("a code picture needs at least one class vector");
        }
        int d = w[0].length;
        if (d != 2 && d != 3) {
            throw new IllegalArgumentException("a code picture needs d = 2 or d = 3, not d = " + d);
        }
        for (float[] row : w) {
            if (row.length != d) {
                throw new IllegalArgumentException("class vectors of length " + row.length + " and " + d);
            }
        }
        if (h != null) {
            if (labels == null || labels.length != h.length) {
                throw new IllegalArgumentException("features need one label each: " + h.length + " features, "
                        + (labels == null ? "no" : String.valueOf(labels.length)) + " labels");
            }
            for (int i = 0; i < h.length; i++) {
                if (h[i].length != d) {
                    throw new IllegalArgumentException(
                            "feature " + i + " has length " + h[i].length + ", not d = " + d);
                }
                if (labels[i] < 0 || labels[i] >= w.length) {
                    throw new IllegalArgumentException("feature " + i + " has label " + labels[i] + " outside [0, "
                            + w.length + ")");
                }
            }
        }
        return d;
    }

    /** A scatter series of {@code rows} projected onto (x1, x2), each on the disc of its half-sphere. */
    private static XYSeries points(XYChart chart, String name, List<float[]> rows, double centre, Marker marker,
            Color colour) {
        double[] x = new double[rows.size()];
        double[] y = new double[rows.size()];
        for (int i = 0; i < x.length; i++) {
            float[] row = rows.get(i);
            x[i] = offset(row, centre) + row[0];
            y[i] = row[1];
        }
        XYSeries series = chart.addSeries(name, x, y);
        series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        series.setMarker(marker);
        series.setMarkerColor(colour);
        return series;
    }

    /** The x of the centre of the disc {@code row} is drawn on: the only one in d = 2, by the sign of x3 in d = 3. */
    private static double offset(float[] row, double centre) {
        return row.length == 2 ? 0 : row[2] >= 0 ? -centre : centre;
    }

    private static void circle(XYChart chart, String name, double centre) {
        int n = 361;
        double[] x = new double[n];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double angle = 2 * Math.PI * i / (n - 1);
            x[i] = centre + Math.cos(angle);
            y[i] = Math.sin(angle);
        }
        XYSeries series = chart.addSeries(name, x, y);
        series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        series.setMarker(SeriesMarkers.NONE);
        series.setLineColor(CIRCLE);
        series.setShowInLegend(false);
    }

    /**
     * Sets the axes to at least [-x, x] and [-y, y], widening one of them so a unit is as many
     * pixels across as up and circles stay round. The plot's size is known only after a layout, so
     * this draws the chart once to measure it.
     */
    private static void equalScales(XYChart chart, double x, double y) {
        range(chart, x, y);
        BitmapEncoder.getBufferedImage(chart);
        double across = chart.getScreenXFromChart(1) - chart.getScreenXFromChart(0);
        double up = chart.getScreenYFromChart(0) - chart.getScreenYFromChart(1);
        if (across > up) {
            range(chart, x * across / up, y);
        } else {
            range(chart, x, y * up / across);
        }
    }

    private static void range(XYChart chart, double x, double y) {
        chart.getStyler().setXAxisMin(-x);
        chart.getStyler().setXAxisMax(x);
        chart.getStyler().setYAxisMin(-y);
        chart.getStyler().setYAxisMax(y);
    }

    /** Evenly spaced hues, darkened enough to read on white. */
    private static Color colour(int k, int classes) {
        return Color.getHSBColor((float) k / classes, 0.85f, 0.8f);
    }

    private static Color translucent(Color colour) {
        return new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 110);
    }

    private static double norm(float[] row) {
        double sum = 0;
        for (float x : row) {
            sum += (double) x * x;
        }
        return Math.sqrt(sum);
    }
}
