package dev.gnc.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** docs/SPHERE.md shows {@link SphereExample} verbatim, and the example runs and descends. */
class SphereExampleTest {
    @Test
    void theDocumentShowsTheExampleVerbatim() throws Exception {
        DocumentedExample.assertQuoted(SphereExample.class, "SPHERE.md");
    }

    @Test
    void theExampleRunsAndReachesTheMinimum() {
        String out = DocumentedExample.output(SphereExample::main);
        assertTrue(out.matches("largest angle to e_0: \\d\\.\\d\\d rad, \\S+ after Adam, (\\S+) after the line search"
                + " \\(\\d+ evaluations\\); on the sphere: true\\R"), out);
        double last = Double.parseDouble(out.replaceAll("(?s).*Adam, (\\S+) after the line search.*", "$1"));
        assertTrue(last < 1e-2, "the line search gets every row to e_0: " + out);
    }
}
