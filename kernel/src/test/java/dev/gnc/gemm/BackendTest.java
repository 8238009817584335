package dev.gnc.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gnc.blas.OpenBlasLoad;
import dev.gnc.blas.OpenBlasLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class BackendTest {
    private static final Supplier<OpenBlasLoad> NOTHING_FOUND =
            () -> new OpenBlasLoad(null, false, List.of("bundled: not on the classpath", "libopenblas.so.0: not found"));
    private static final Supplier<OpenBlasLoad> NAMED_BUT_MISSING =
            () -> new OpenBlasLoad(null, true, List.of("/opt/blas/libopenblas.so: no such file"));
    private static final Supplier<OpenBlasLoad> MUST_NOT_LOAD = () -> {
        throw new AssertionError("the vector backend must not load native code");
    };

    @Test
    void autoPrefersOpenBlasWhenItLoads() {
        Backend backend = Backend.select("auto", OpenBlasLoader.fromEnvironment()::load);
        assertEquals(Backend.Kind.OPENBLAS, backend.kind());
        assertEquals("openblas", backend.gemm().name());
        assertTrue(backend.openBlas().isPresent());
    }

    @Test
    void autoFallsBackToTheVectorApiWithOneLogLine() {
        List<LogRecord> records = new ArrayList<>();
        Logger logger = Logger.getLogger("dev.gnc");
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(capture);
        logger.setUseParentHandlers(false); // keep the expected warning out of the build log
        Backend backend;
        try {
            backend = Backend.select("auto", NOTHING_FOUND);
        } finally {
            logger.removeHandler(capture);
            logger.setUseParentHandlers(true);
        }
        assertEquals(1, records.size());
        assertEquals(Level.WARNING, records.getFirst().getLevel());
        assertTrue(records.getFirst().getMessage().contains("using the pure Vector API backend"),
                records.getFirst().getMessage());
        assertEquals(Backend.Kind.VECTOR, backend.kind());
        assertEquals("vector", backend.gemm().name());
        assertTrue(backend.reason().contains("libopenblas.so.0: not found"), backend.reason());
        assertTrue(backend.openBlas().isEmpty());
    }

    @Test
    void aNamedLibraryThatCannotLoadIsAnErrorEvenInAuto() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Backend.select("auto", NAMED_BUT_MISSING));
        assertTrue(e.getMessage().contains("/opt/blas/libopenblas.so"), e.getMessage());
    }

    @Test
    void requestingOpenBlasThatCannotLoadListsWhatWasTried() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> Backend.select("openblas", NOTHING_FOUND));
        assertTrue(e.getMessage().contains("bundled: not on the classpath"), e.getMessage());
        assertTrue(e.getMessage().contains("libopenblas.so.0: not found"), e.getMessage());
    }

    @Test
    void theVectorBackendNeverLoadsNativeCode() {
        assertEquals(Backend.Kind.VECTOR, Backend.select(" Vector ", MUST_NOT_LOAD).kind());
    }

    @Test
    void anUnknownBackendNamesTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Backend.select("cuda", MUST_NOT_LOAD));
        assertTrue(e.getMessage().contains("'cuda'"), e.getMessage());
    }
}
