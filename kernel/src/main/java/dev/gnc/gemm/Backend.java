package dev.gnc.gemm;

import dev.gnc.blas.OpenBlas;
import dev.gnc.blas.OpenBlasLoad;
import dev.gnc.blas.OpenBlasLoader;
import dev.gnc.internal.Simd;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one place that decides which implementation runs the heavy products, and says why.
 *
 * <p>{@value #PROPERTY} chooses: {@code auto} (the default) takes OpenBLAS when it loads and
 * otherwise falls back to the pure Vector API with one log line; {@code openblas} insists on
 * OpenBLAS and fails with the list of what was tried; {@code vector} never touches native code.
 * A library named with {@link OpenBlasLoader#LIBRARY_PROPERTY} that cannot load is an error, not
 * a fallback. Nobody else branches on the backend: they take {@link #gemm()}.
 */
public final class Backend {
    /** System property choosing the backend: {@code auto}, {@code openblas} or {@code vector}. */
    public static final String PROPERTY = "gnc.backend";

    private static final System.Logger LOG = System.getLogger("dev.gnc");

    private final Kind kind;
    private final Gemm gemm;
    private final OpenBlas openBlas;
    private final String reason;

    /** The implementations a backend can be. */
    public enum Kind {
        OPENBLAS, VECTOR;

        /** The lower-case name used on the command line and in reports. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private Backend(Kind kind, Gemm gemm, OpenBlas openBlas, String reason) {
        this.kind = kind;
        this.gemm = gemm;
        this.openBlas = openBlas;
        this.reason = reason;
    }

    private static volatile Backend instance;

    /**
     * The process-wide backend, chosen on first use from {@value #PROPERTY}. A choice that fails
     * (OpenBLAS asked for and missing) throws here, every time, and is not remembered.
     */
    public static Backend get() {
        Backend backend = instance;
        if (backend == null) {
            synchronized (Backend.class) {
                backend = instance;
                if (backend == null) {
                    backend = select(System.getProperty(PROPERTY, "auto"), OpenBlasLoader.fromEnvironment()::load);
                    instance = backend;
                }
            }
        }
        return backend;
    }

    /**
     * Chooses a backend for {@code requested} ({@code auto}, {@code openblas} or {@code vector}),
     * loading OpenBLAS through {@code loader} unless the Vector API was asked for.
     *
     * @throws IllegalArgumentException for any other value
     * @throws IllegalStateException    when OpenBLAS was asked for and cannot load; the message
     *                                  lists every library tried
     */
    public static Backend select(String requested, Supplier<OpenBlasLoad> loader) {
        String choice = requested == null ? "auto" : requested.strip().toLowerCase(Locale.ROOT);
        return switch (choice) {
            case "vector" -> new Backend(Kind.VECTOR, new VectorGemm(), null, "requested");
            case "openblas" -> openBlas(loader.get().orElseThrow(), "requested");
            case "auto", "" -> {
                OpenBlasLoad load = loader.get();
                if (load.isLoaded() || load.requested()) {
                    OpenBlas blas = load.orElseThrow();
                    yield openBlas(blas, "loaded " + blas.source());
                }
                String why = "OpenBLAS not available (" + String.join("; ", load.attempts()) + ")";
                LOG.log(System.Logger.Level.WARNING, "gnc: " + why + "; using the pure Vector API backend");
                yield new Backend(Kind.VECTOR, new VectorGemm(), null, why);
            }
            default -> throw new IllegalArgumentException(
                    PROPERTY + " must be auto, openblas or vector, got '" + requested + "'");
        };
    }

    private static Backend openBlas(OpenBlas blas, String reason) {
        return new Backend(Kind.OPENBLAS, new OpenBlasGemm(blas), blas, reason);
    }

    public Kind kind() {
        return kind;
    }

    /** The single-threaded product of this backend; wrap it in {@link ParallelGemm} to use a pool. */
    public Gemm gemm() {
        return gemm;
    }

    /** The loaded OpenBLAS, when this backend is OpenBLAS. */
    public Optional<OpenBlas> openBlas() {
        return Optional.ofNullable(openBlas);
    }

    /** What the loaded OpenBLAS reports of its build and core, when this backend is OpenBLAS. */
    public Optional<OpenBlasBuild> openBlasBuild() {
        return openBlas().map(b -> new OpenBlasBuild(b.openblas_get_config(), b.openblas_get_corename(), b.hasLapacke()));
    }

    /** Bits per float vector of the Vector API kernels, which run under either backend (512 with AVX-512). */
    public int vectorBits() {
        return Simd.bits();
    }

    /** The float vector shape of the Vector API kernels, e.g. {@code 16 x float32 (512 bits)}. */
    public String vectorSpecies() {
        return Simd.describe();
    }

    /** Why this backend was chosen, e.g. {@code requested} or the reasons OpenBLAS did not load. */
    public String reason() {
        return reason;
    }

    @Override
    public String toString() {
        return kind.label() + " (" + reason + ")";
    }
}
