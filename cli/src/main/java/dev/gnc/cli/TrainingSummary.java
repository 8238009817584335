package dev.gnc.cli;

import dev.gnc.ufm.TrainingRecord;
import java.io.PrintWriter;

/** The table {@code gnc train} ends with: each metric at the first and the last measurement, and their ratio. */
final class TrainingSummary {
    private TrainingSummary() {
    }

    static void print(PrintWriter out, TrainingRecord first, TrainingRecord last) {
        out.printf("%-16s %14s %14s %12s%n", "", "step " + first.step(), "step " + last.step(), "last/first");
        row(out, "loss", first.loss(), last.loss());
        row(out, "accuracy", first.accuracy(), last.accuracy());
        row(out, "ncc accuracy", first.nccAccuracy(), last.nccAccuracy());
        row(out, "GNC1", first.gnc1(), last.gnc1());
        row(out, "GNC3", first.gnc3(), last.gnc3());
        row(out, last.marginExact() ? "margin (exact)" : "margin >= (1-cos)", first.margin(), last.margin());
        row(out, "max cosine", first.maxCosine(), last.maxCosine());
        row(out, "gradient norm", first.gradientNorm(), last.gradientNorm());
        out.printf("%-16s %14s %14s%n", "tau", format(first.tau()), format(last.tau()));
        out.printf("%-16s %14s %14s%n", "seconds", format(first.seconds()), format(last.seconds()));
    }

    private static void row(PrintWriter out, String name, double first, double last) {
        out.printf("%-16s %14s %14s %12s%n", name, format(first), format(last),
                Double.isFinite(first) && Double.isFinite(last) && first != 0 ? format(last / first) : "");
    }

    private static String format(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.4g", v);
    }
}
