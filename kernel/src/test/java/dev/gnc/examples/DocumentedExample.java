package dev.gnc.examples;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Checks shared by the tests of examples that a page under docs/ quotes. */
final class DocumentedExample {
    private DocumentedExample() {
    }

    /** Asserts that {@code page} (relative to docs/) quotes the example class's source exactly in a java block. */
    static void assertQuoted(Class<?> example, String page) throws IOException {
        Path source = Path.of("src/test/java/" + example.getName().replace('.', '/') + ".java");
        String doc = Files.readString(Path.of("../docs", page));
        assertTrue(doc.contains("```java\n" + Files.readString(source) + "```\n"),
                "docs/" + page + " must quote " + source + " exactly, between ```java and ```");
    }

    /** Runs {@code main} and returns what it printed to standard output. */
    static String output(Consumer<String[]> main) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            main.accept(new String[0]);
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
