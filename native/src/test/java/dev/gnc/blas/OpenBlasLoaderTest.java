package dev.gnc.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenBlasLoaderTest {
    private static final List<String> NO_SYSTEM = List.of();

    private static BundledOpenBlas bundledIn(Path cache) {
        return new BundledOpenBlas(OpenBlasLoaderTest.class.getClassLoader(), OpenBlasLoader.bundledVersion(),
                OpenBlasLoader.platform(), cache);
    }

    private static BundledOpenBlas absent() {
        return new BundledOpenBlas(new URLClassLoader(new URL[0], null), "test", "linux-x86_64", Path.of("unused"));
    }

    @Test
    void bundledBuildIsOnTheTestClasspath() {
        assertTrue(bundledIn(BundledOpenBlas.cacheRoot()).isPresent());
        assertTrue(OpenBlasLoader.bundledVersion().startsWith("0.3."), OpenBlasLoader.bundledVersion());
    }

    @Test
    void loadsTheBundledBuildAndReportsItsCore() {
        OpenBlasLoad load = new OpenBlasLoader(null, bundledIn(BundledOpenBlas.cacheRoot()), NO_SYSTEM).load();
        OpenBlas blas = load.orElseThrow();
        assertFalse(load.requested());
        assertTrue(blas.openblas_get_config().contains("OpenBLAS"), blas.openblas_get_config());
        assertFalse(blas.openblas_get_corename().isBlank());
        assertTrue(blas.source().endsWith("libopenblas.so.0"), blas.source());
    }

    @Test
    void extractionIsWholeAndIdempotentUnderConcurrency(@TempDir Path cache) throws Exception {
        BundledOpenBlas bundled = bundledIn(cache);
        ExecutorService executor = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<Path>>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                results.add(executor.submit((Callable<List<Path>>) bundled::extract));
            }
            List<Path> first = results.getFirst().get();
            for (Future<List<Path>> r : results) {
                assertEquals(first, r.get());
            }
            assertEquals(List.of("libquadmath.so.0", "libgfortran.so.5", "libopenblas.so.0"),
                    first.stream().map(p -> p.getFileName().toString()).toList());
            for (Path p : first) {
                try (var in = OpenBlasLoaderTest.class.getClassLoader()
                        .getResourceAsStream("org/bytedeco/openblas/linux-x86_64/" + p.getFileName())) {
                    assertEquals(in.readAllBytes().length, Files.size(p), p.toString());
                }
            }
            try (var leftovers = Files.list(bundled.folder())) {
                assertEquals(3, leftovers.count(), "temporary files must not remain");
            }
            assertEquals(first, bundled.extract());
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void aRequestedLibraryByPathIsLoadedInsteadOfSearching() throws Exception {
        Path library = bundledIn(BundledOpenBlas.cacheRoot()).extract().getLast();
        new OpenBlasLoader(null, bundledIn(BundledOpenBlas.cacheRoot()), NO_SYSTEM).load().orElseThrow();
        OpenBlasLoad load = new OpenBlasLoader(library.toString(), absent(), NO_SYSTEM).load();
        assertTrue(load.requested());
        assertEquals(library.toString(), load.orElseThrow().source());
    }

    @Test
    void aRequestedLibraryThatCannotLoadIsAnErrorListingWhatWasTried() {
        OpenBlasLoad load = new OpenBlasLoader("/no/such/dir/libopenblas.so.0", bundledIn(BundledOpenBlas.cacheRoot()),
                List.of("libopenblas.so.0")).load();
        assertFalse(load.isLoaded());
        assertTrue(load.requested());
        assertEquals(1, load.attempts().size(), "a named library must not fall back to others: " + load.attempts());
        IllegalStateException e = assertThrows(IllegalStateException.class, load::orElseThrow);
        assertTrue(e.getMessage().contains("/no/such/dir/libopenblas.so.0"), e.getMessage());
        assertTrue(e.getMessage().contains(OpenBlasLoader.LIBRARY_PROPERTY), e.getMessage());
    }

    @Test
    void aLibraryWithoutTheBlasSymbolsIsRejected() {
        OpenBlasLoad load = new OpenBlasLoader("libm.so.6", absent(), NO_SYSTEM).load();
        assertNull(load.library());
        assertTrue(load.attempts().getFirst().contains("not a usable OpenBLAS"), load.attempts().toString());
    }

    @Test
    void withNothingAvailableEveryCandidateIsReported() {
        OpenBlasLoad load = new OpenBlasLoader(null, absent(), List.of("libgnc-no-such-blas.so.0")).load();
        assertFalse(load.isLoaded());
        assertFalse(load.requested());
        assertEquals(2, load.attempts().size(), load.attempts().toString());
        assertTrue(load.attempts().get(0).startsWith("bundled: no org/bytedeco/openblas/"), load.attempts().get(0));
        assertTrue(load.attempts().get(1).startsWith("libgnc-no-such-blas.so.0"), load.attempts().get(1));
    }

    @Test
    void theSameLibraryLoadedTwiceBindsTheSameCode() {
        OpenBlas a = new OpenBlasLoader(null, bundledIn(BundledOpenBlas.cacheRoot()), NO_SYSTEM).load().orElseThrow();
        OpenBlas b = new OpenBlasLoader(null, bundledIn(BundledOpenBlas.cacheRoot()), NO_SYSTEM).load().orElseThrow();
        a.openblas_set_num_threads(1);
        assertEquals(1, b.openblas_get_num_threads());
    }
}
