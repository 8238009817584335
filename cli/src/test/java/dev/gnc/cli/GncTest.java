package dev.gnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class GncTest {
    record Run(int exit, String out, String err) {
    }

    static Run gnc(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int exit = Gnc.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void infoJsonHasTheDocumentedKeys() {
        Run run = gnc("info", "--json", "--threads", "3");
        assertEquals(0, run.exit(), run.err());
        String json = run.out().strip();
        assertTrue(json.startsWith("{") && json.endsWith("}"), json);
        for (String key : new String[] {"java", "vector_bits", "backend", "openblas_config", "openblas_core", "threads"}) {
            assertTrue(json.contains("\"" + key + "\": "), key + " missing from " + json);
        }
        assertTrue(json.contains("\"threads\": 3"), json);
        assertTrue(json.contains("\"backend\": \"openblas\""), json);
    }

    @Test
    void infoCheckRunsEveryShapeAndPasses() {
        Run run = gnc("info", "--check");
        assertEquals(0, run.exit(), run.out() + run.err());
        for (String shape : new String[] {"A_BT", "AT_B", "A_B"}) {
            assertTrue(run.out().matches("(?s).*gemm self-check +" + shape + " .* ok\\R.*"), run.out());
        }
    }

    @Test
    void badInputIsOneClearLineAndANonZeroExit() {
        Run run = gnc("info", "--threads", "0");
        assertEquals(2, run.exit());
        assertEquals("gnc: --threads must be at least 1, got 0", run.err().strip());
    }

    @Test
    void unknownOptionsAreRejectedWithUsage() {
        Run run = gnc("info", "--frobnicate");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("Unknown option: '--frobnicate'"), run.err());
    }

    @Test
    void versionNamesTheBuild() {
        Run run = gnc("--version");
        assertEquals(0, run.exit());
        assertTrue(run.out().startsWith("gnc 0."), run.out());
    }
}
