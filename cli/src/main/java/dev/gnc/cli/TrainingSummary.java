package dev.gnc.cli;

import dev.gnc.ufm.TrainingRecord;
import java.io.PrintWriter;

/** The table {@code gnc train} ends with: each metric at the first and the last measurement, and their ratio. */
final class TrainingSummary {
    private TrainingSummary() {
    }

    static void print(PrintWriter out, TrainingRecord first, TrainingRecord last) {
        out.printf("%-18s %14s %14s %12s%n", "", "step " + first.step(), "step " + last.step(), "last/first");
        row(out, "loss", first.loss(), last.loss());
        row(out, "accuracy", first.accuracy(), last.accuracy());
        row(out, "ncc accuracy", first.nccAccuracy(), last.nccAccuracy());
        if (Double.isNaN(last.gnc1())) {
            out.printf("%-18s %14s %14s%n", "GNC1", TrainingRecord.UNDEFINED, TrainingRecord.UNDEFINED);
        } else {
            row(out, "GNC1", first.gnc1(), last.gnc1());
        }
        row(out, "GNC3", first.gnc3(), last.gnc3());
        row(out, "GNC3 uncentred", first.gnc3Uncentred(), last.gnc3Uncentred());
        out.printf("%-18s %14s %14s %12s%n", "margin", margin(first), margin(last),
                ratio(first.margin(), last.margin()));
        row(out, "max cosine", first.maxCosine(), last.maxCosine());
        row(out, "gradient norm", first.gradientNorm(), last.gradientNorm());
        out.printf("%-18s %14s %14s%n", "tau", format(first.tau()), format(last.tau()));
        out.printf("%-18s %14s %14s%n", "seconds", format(first.seconds()), format(last.seconds()));
        if (last.sampled()) {
            out.printf("accuracies and loss over a fixed sample of %d features: accuracy in [%.4g, %.4g], ncc accuracy "
                    + "in [%.4g, %.4g] (95%% Wilson)%n", last.sample(), last.accuracyLow(), last.accuracyHigh(),
                    last.nccLow(), last.nccHigh());
        }
        if (Double.isNaN(last.gnc1())) {
            out.println("GNC1 is undefined with one feature per class: there is no within-class scatter to collapse");
        }
        if (!Double.isNaN(last.margin())) {
            out.printf("the last margin is %s, measured in %.3g s%n", last.marginExact() ? "exact and certified"
                    : "the bound 1 - max cos", last.marginSeconds());
        }
    }

    /** The margin as the summary and the progress bar show it: "-" when not measured, ">= " before a bound. */
    static String margin(TrainingRecord r) {
        return Double.isNaN(r.margin()) ? "-" : (r.marginExact() ? "" : ">= ") + format(r.margin());
    }

    private static void row(PrintWriter out, String name, double first, double last) {
        out.printf("%-18s %14s %14s %12s%n", name, format(first), format(last), ratio(first, last));
    }

    private static String ratio(double first, double last) {
        return Double.isFinite(first) && Double.isFinite(last) && first != 0 ? format(last / first) : "";
    }

    private static String format(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.4g", v);
    }
}
