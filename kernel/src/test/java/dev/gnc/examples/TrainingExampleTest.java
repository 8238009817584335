package dev.gnc.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** docs/TRAINING.md shows {@link TrainingExample} verbatim, and the example collapses the features. */
class TrainingExampleTest {
    @Test
    void theDocumentShowsTheExampleVerbatim() throws Exception {
        DocumentedExample.assertQuoted(TrainingExample.class, "TRAINING.md");
    }

    @Test
    void theExampleRunsAndCollapses() {
        String out = DocumentedExample.output(TrainingExample::main);
        assertTrue(out.matches("GNC1 \\S+ -> \\S+, margin 0\\.\\d+ -> 0\\.\\d+ \\(certified: true\\)\\R"), out);
        double before = Double.parseDouble(out.replaceAll("GNC1 (\\S+) -> .*\\R", "$1"));
        double after = Double.parseDouble(out.replaceAll("GNC1 \\S+ -> (\\S+),.*\\R", "$1"));
        assertTrue(after < 1e-6 * before, out);
    }
}
