package dev.gnc.cli;

import dev.gnc.gemm.Backend;
import dev.gnc.gemm.GemmSelfCheck;
import dev.gnc.gemm.GemmShape;
import dev.gnc.gemm.OpenBlasBuild;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code gnc info}: what this machine and JVM give gnc, and optionally a GEMM self-check. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show the JDK, vector width, GEMM backend, OpenBLAS build and core, and threads.")
final class InfoCommand implements Callable<Integer> {
    @Mixin
    RuntimeOptions runtime;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Option(names = "--check", description = "Also check every GEMM shape of the backend against a float64 "
            + "Freivalds test (exit code 1 when one fails).")
    boolean check;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        int threads = runtime.threads();
        Backend backend = runtime.backend();
        OpenBlasBuild blas = backend.openBlasBuild().orElse(null);
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("gnc", Gnc.version());
        info.put("java", Runtime.version().toString());
        info.put("java_home", System.getProperty("java.home"));
        info.put("vector_bits", backend.vectorBits());
        info.put("vector_species", backend.vectorSpecies());
        info.put("backend", backend.kind().label());
        info.put("backend_reason", backend.reason());
        info.put("openblas_config", blas == null ? null : blas.config());
        info.put("openblas_core", blas == null ? null : blas.core());
        info.put("openblas_lapacke", blas == null ? null : blas.lapacke());
        info.put("threads", threads);
        boolean passed = true;
        if (check) {
            List<Map<String, Object>> checks = new ArrayList<>();
            for (GemmShape shape : GemmShape.values()) {
                GemmSelfCheck.Result r = GemmSelfCheck.check(backend.gemm(), shape, 257, 1031, 64, 1);
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("shape", shape.name());
                row.put("m", r.m());
                row.put("n", r.n());
                row.put("k", r.k());
                row.put("relative_error", r.relativeError());
                row.put("passed", r.passed());
                checks.add(row);
                passed &= r.passed();
            }
            info.put("self_check", checks);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(Json.write(info));
        } else {
            printTable(out, info);
        }
        out.flush();
        return passed ? 0 : 1;
    }

    @SuppressWarnings("unchecked")
    private static void printTable(PrintWriter out, Map<String, Object> info) {
        for (Map.Entry<String, Object> e : info.entrySet()) {
            if (e.getValue() instanceof List<?> checks) {
                for (Object o : checks) {
                    Map<String, Object> r = (Map<String, Object>) o;
                    out.printf("%-16s %-5s %dx%dx%d  relative error %.1e  %s%n", "gemm self-check", r.get("shape"),
                            r.get("m"), r.get("n"), r.get("k"), (Double) r.get("relative_error"),
                            (Boolean) r.get("passed") ? "ok" : "FAILED");
                }
            } else if (e.getValue() != null) {
                out.printf("%-16s %s%n", e.getKey().replace('_', ' '), e.getValue());
            }
        }
    }
}
