package dev.gnc.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/EMBEDDING.md shows {@link EmbeddingExample} verbatim, and the example runs. */
class EmbeddingExampleTest {
    private static final Path SOURCE = Path.of("src/test/java/dev/gnc/examples/EmbeddingExample.java");
    private static final Path DOC = Path.of("../docs/EMBEDDING.md");

    @Test
    void theDocumentShowsTheExampleVerbatim() throws Exception {
        String source = Files.readString(SOURCE);
        String doc = Files.readString(DOC);
        assertTrue(doc.contains("```java\n" + source + "```\n"),
                "docs/EMBEDDING.md must quote " + SOURCE + " exactly, between ```java and ```");
    }

    @Test
    void theExampleRunsAndPrintsItsResult() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            EmbeddingExample.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertTrue(out.matches("loss \\d+\\.\\d{4}, top-5 hits \\d+ of 256, \\|dL/dh_0\\|_1 = \\S+\\R"), out);
    }
}
