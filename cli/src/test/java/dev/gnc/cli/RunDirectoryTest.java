package dev.gnc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Default folders never collide; an explicit one that holds anything is refused. */
class RunDirectoryTest {
    private static final LocalDateTime NOW = LocalDateTime.of(2026, 12, 4, 18, 40, 5);

    @Test
    void runsStartedInTheSameSecondGetFoldersOfTheirOwn(@TempDir Path root) throws Exception {
        Path parent = root.resolve("codes");
        Path first = RunDirectory.createFresh(parent, "code-d8-k240", NOW).dir;
        Files.writeString(first.resolve("W.npy"), "kept");
        Path second = RunDirectory.createFresh(parent, "code-d8-k240", NOW).dir;
        Path third = RunDirectory.createFresh(parent, "code-d8-k240", NOW).dir;
        assertEquals(parent.resolve("code-d8-k240-20261204-184005"), first);
        assertEquals(parent.resolve("code-d8-k240-20261204-184005-2"), second);
        assertEquals(parent.resolve("code-d8-k240-20261204-184005-3"), third);
        assertTrue(Files.isDirectory(second) && Files.isDirectory(third));
        assertEquals("kept", Files.readString(first.resolve("W.npy")), "the first run's files are untouched");
    }

    @Test
    void anExplicitFolderThatHoldsAnythingIsRefused(@TempDir Path root) throws Exception {
        Path taken = RunDirectory.createFresh(root, "train", NOW).dir;
        Files.writeString(taken.resolve("W.npy"), "kept");
        assertEquals("--out " + taken + " is not empty; choose a new folder", assertThrows(
                IllegalArgumentException.class, () -> RunDirectory.create(taken)).getMessage());
        assertEquals(taken.resolve("fresh"), RunDirectory.create(taken.resolve("fresh")).dir);
    }
}
