package dev.gnc.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** docs/CODES.md shows {@link CodeExample} verbatim, and the example finds the icosahedron. */
class CodeExampleTest {
    @Test
    void theDocumentShowsTheExampleVerbatim() throws Exception {
        DocumentedExample.assertQuoted(CodeExample.class, "CODES.md");
    }

    @Test
    void theExampleRunsAndFindsTheIcosahedron() {
        String out = DocumentedExample.output(CodeExample::main);
        assertTrue(out.startsWith("margin 0.552786 (icosahedron 0.552786), certificate gap "), out);
        assertTrue(out.matches("(?s).*\\Rlargest cosine 0.447214 \\(1/sqrt\\(5\\) = 0.447214\\), W is 12 x 3\\R"), out);
    }
}
