package dev.gnc.cli;

import java.io.PrintWriter;
import java.util.Map;

/** How a command prints its results: one JSON object with --json, else one aligned "key  value" line each. */
final class Report {
    private Report() {
    }

    static void print(PrintWriter out, Map<String, Object> report, boolean json) {
        if (json) {
            out.println(Json.write(report));
        } else {
            int width = report.keySet().stream().mapToInt(String::length).max().orElse(0) + 1;
            report.forEach((key, value) -> out.printf("%-" + width + "s %s%n", key.replace('_', ' '), value));
        }
        out.flush();
    }
}
