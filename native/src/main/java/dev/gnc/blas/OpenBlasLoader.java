package dev.gnc.blas;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;

/**
 * Finds and loads an OpenBLAS library, trying in order:
 * <ol>
 *   <li>the library the user named in {@value #LIBRARY_PROPERTY} or {@value #LIBRARY_ENV}
 *       (a file path, or a name for the dynamic linker such as {@code libopenblas.so.0}); when
 *       set, nothing else is tried;</li>
 *   <li>the build bundled on the classpath ({@code org.bytedeco:openblas}), extracted to a
 *       per-user cache by {@link BundledOpenBlas};</li>
 *   <li>the system's {@code libopenblas.so.0}.</li>
 * </ol>
 * The outcome is a {@link OpenBlasLoad} value, never an exception: the kernel decides whether a
 * failure means falling back to the Vector API or, when the user asked for a library, an error.
 */
public final class OpenBlasLoader {
    /** System property naming the OpenBLAS library to load instead of the bundled one. */
    public static final String LIBRARY_PROPERTY = "gnc.openblas.library";
    /** Environment variable read when {@value #LIBRARY_PROPERTY} is not set. */
    public static final String LIBRARY_ENV = "GNC_OPENBLAS_LIBRARY";

    private static final List<String> SYSTEM_NAMES = List.of("libopenblas.so.0", "libopenblas.so");

    private final String requested;
    private final BundledOpenBlas bundled;
    private final List<String> systemNames;

    OpenBlasLoader(String requested, BundledOpenBlas bundled, List<String> systemNames) {
        this.requested = requested == null || requested.isBlank() ? null : requested.strip();
        this.bundled = Objects.requireNonNull(bundled);
        this.systemNames = List.copyOf(systemNames);
    }

    /** A loader configured from {@value #LIBRARY_PROPERTY}, {@value #LIBRARY_ENV} and the classpath. */
    public static OpenBlasLoader fromEnvironment() {
        String requested = System.getProperty(LIBRARY_PROPERTY);
        if (requested == null || requested.isBlank()) {
            requested = System.getenv(LIBRARY_ENV);
        }
        return new OpenBlasLoader(requested, BundledOpenBlas.fromClasspath(), SYSTEM_NAMES);
    }

    /** The library the user asked for, or null when any will do. */
    public String requested() {
        return requested;
    }

    /**
     * Loads the first library that works. Loaded libraries stay mapped for the life of the
     * process (dynamic linkers do not unload reliably), so call this once and keep the result.
     */
    public OpenBlasLoad load() {
        List<String> attempts = new ArrayList<>();
        if (requested != null) {
            OpenBlas blas = tryLoad(requested, attempts);
            return new OpenBlasLoad(blas, true, attempts);
        }
        OpenBlas blas = tryBundled(attempts);
        for (int i = 0; blas == null && i < systemNames.size(); i++) {
            blas = tryLoad(systemNames.get(i), attempts);
        }
        return new OpenBlasLoad(blas, false, attempts);
    }

    private OpenBlas tryBundled(List<String> attempts) {
        if (!bundled.isPresent()) {
            attempts.add("bundled: " + bundled.describeAbsence());
            return null;
        }
        try {
            List<Path> files = bundled.extract();
            // RUNPATH is not transitive: load the dependencies first, by path, so that
            // libopenblas finds libgfortran (and libgfortran libquadmath) already in the process
            for (Path dependency : files.subList(0, files.size() - 1)) {
                SymbolLookup.libraryLookup(dependency, Arena.global());
            }
            Path library = files.getLast();
            return bind(SymbolLookup.libraryLookup(library, Arena.global()), library.toString());
        } catch (IOException | UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
            attempts.add("bundled " + bundled.version() + ": " + describe(e));
            return null;
        }
    }

    private static OpenBlas tryLoad(String library, List<String> attempts) {
        try {
            SymbolLookup lookup = library.indexOf('/') >= 0
                    ? SymbolLookup.libraryLookup(Path.of(library), Arena.global())
                    : SymbolLookup.libraryLookup(library, Arena.global());
            return bind(lookup, library);
        } catch (IllegalArgumentException | IllegalStateException e) {
            attempts.add(library + ": " + describe(e));
            return null;
        }
    }

    private static OpenBlas bind(SymbolLookup lookup, String source) {
        OpenBlas blas;
        try {
            blas = new OpenBlas(lookup, source);
        } catch (java.util.NoSuchElementException e) {
            throw new IllegalStateException("not a usable OpenBLAS (" + e.getMessage() + ")", e);
        }
        // the bindings pass 32-bit blasint; an ILP64 build would read garbage, so refuse it
        if (blas.openblas_get_config().contains("USE64BITINT")) {
            throw new IllegalStateException("a 64-bit-integer (ILP64) OpenBLAS build; gnc binds the 32-bit interface");
        }
        return blas;
    }

    private static String describe(Exception e) {
        String message = e.getMessage();
        return message == null ? e.getClass().getSimpleName() : message;
    }

    /** The OpenBLAS version bundled with this build, e.g. {@code 0.3.31-1.5.13}. */
    public static String bundledVersion() {
        try (InputStream in = OpenBlasLoader.class.getResourceAsStream("openblas.properties")) {
            Properties properties = new Properties();
            if (in != null) {
                properties.load(in);
            }
            return properties.getProperty("version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** The JavaCPP platform name of this machine, e.g. {@code linux-x86_64}. */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String osName = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "macosx"
                : os.startsWith("windows") ? "windows" : os.replace(' ', '-');
        String archName = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm64";
            default -> arch;
        };
        return osName + "-" + archName;
    }
}
