package dev.gnc.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/SPHERE.md shows {@link SphereExample} verbatim, and the example runs and descends. */
class SphereExampleTest {
    private static final Path SOURCE = Path.of("src/test/java/dev/gnc/examples/SphereExample.java");
    private static final Path DOC = Path.of("../docs/SPHERE.md");

    @Test
    void theDocumentShowsTheExampleVerbatim() throws Exception {
        String source = Files.readString(SOURCE);
        String doc = Files.readString(DOC);
        assertTrue(doc.contains("```java\n" + source + "```\n"),
                "docs/SPHERE.md must quote " + SOURCE + " exactly, between ```java and ```");
    }

    @Test
    void theExampleRunsAndReachesTheMinimum() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            SphereExample.main(new String[0]);
        } finally {
            System.setOut(original);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertTrue(out.matches("largest angle to e_0: \\d\\.\\d\\d rad, \\S+ after Adam, (\\S+) after the line search"
                + " \\(\\d+ evaluations\\); on the sphere: true\\R"), out);
        double last = Double.parseDouble(out.replaceAll("(?s).*Adam, (\\S+) after the line search.*", "$1"));
        assertTrue(last < 1e-2, "the line search gets every row to e_0: " + out);
    }
}
