package dev.gnc.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** docs/EMBEDDING.md shows {@link EmbeddingExample} verbatim, and the example runs. */
class EmbeddingExampleTest {
    @Test
    void theDocumentShowsTheExampleVerbatim() throws Exception {
        DocumentedExample.assertQuoted(EmbeddingExample.class, "EMBEDDING.md");
    }

    @Test
    void theExampleRunsAndPrintsItsResult() {
        String out = DocumentedExample.output(EmbeddingExample::main);
        assertTrue(out.matches("loss \\d+\\.\\d{4}, top-5 hits \\d+ of 256, \\|dL/dh_0\\|_1 = \\S+\\R"), out);
    }
}
