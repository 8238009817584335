package dev.gnc.bench;

import dev.gnc.io.Npy;
import dev.gnc.metrics.KnownCodes;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Path;

/**
 * Writes a code with a known one-vs-rest distance as a float32 .npy of unit rows, for
 * {@code gnc metrics} at scale (docs/BENCHMARKS.md):
 * <pre>
 *   java -cp bench/target/benchmarks.jar dev.gnc.bench.CodeFile leech /tmp/leech.npy
 *   java -cp bench/target/benchmarks.jar dev.gnc.bench.CodeFile random:200000x24 /tmp/random.npy
 * </pre>
 */
public final class CodeFile {
    private static final String USAGE = "usage: CodeFile leech|e8|simplex:K|polygon:K|cross:D|random:KxD[:SEED] OUT.npy";

    private CodeFile() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println(USAGE);
            System.exit(2);
        }
        double[][] rows = code(args[0]);
        try (Arena arena = Arena.ofConfined()) {
            Npy.write(Path.of(args[1]), KnownCodes.toMatrix(arena, rows));
        }
        System.out.println(args[1] + ": " + rows.length + " x " + rows[0].length);
    }

    private static double[][] code(String spec) {
        String[] parts = spec.split(":");
        return switch (parts[0]) {
            case "leech" -> KnownCodes.leech();
            case "e8" -> KnownCodes.e8Roots();
            case "simplex" -> KnownCodes.simplex(Integer.parseInt(parts[1]));
            case "polygon" -> KnownCodes.polygon(Integer.parseInt(parts[1]));
            case "cross" -> KnownCodes.crossPolytope(Integer.parseInt(parts[1]));
            case "random" -> {
                String[] shape = parts[1].split("x");
                yield KnownCodes.random(Integer.parseInt(shape[0]), Integer.parseInt(shape[1]),
                        parts.length > 2 ? Long.parseLong(parts[2]) : 1);
            }
            default -> throw new IllegalArgumentException("unknown code '" + spec + "'; " + USAGE);
        };
    }
}
