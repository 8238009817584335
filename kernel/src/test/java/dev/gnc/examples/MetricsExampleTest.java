package dev.gnc.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** docs/METRICS.md shows {@link MetricsExample} verbatim, and the example prints the 12-gon's margin. */
class MetricsExampleTest {
    @Test
    void theDocumentShowsTheExampleVerbatim() throws Exception {
        DocumentedExample.assertQuoted(MetricsExample.class, "METRICS.md");
    }

    @Test
    void theExampleRunsAndFindsTheClosedForm() {
        String out = DocumentedExample.output(MetricsExample::main);
        assertTrue(out.startsWith("margin 0.133975 (1 - cos(2 pi / 12) = 0.133975), certificate gap "), out);
        assertTrue(out.matches("(?s).*\\RGNC1 \\S+, GNC3 \\S+, accuracy 1.00\\R"), out);
    }
}
