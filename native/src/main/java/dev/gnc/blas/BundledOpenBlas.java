package dev.gnc.blas;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The OpenBLAS build that Maven puts on the classpath ({@code org.bytedeco:openblas}, classifier
 * {@code linux-x86_64}): libopenblas with its Fortran runtime. A dynamic linker cannot load a
 * library from inside a jar, so {@link #extract()} copies the files to a per-user cache folder
 * once, then reuses them.
 *
 * <p>Extraction is safe when several processes start at once: each writes its own temporary
 * file and renames it into place atomically, so a reader sees either no file or a whole one.
 */
final class BundledOpenBlas {
    /** System property that overrides the cache folder. */
    static final String CACHE_PROPERTY = "gnc.cache.dir";
    /** Environment variable that overrides the cache folder when the property is not set. */
    static final String CACHE_ENV = "GNC_CACHE_DIR";

    /** Load order: each library's dependencies come before it. */
    private static final List<String> FILES = List.of("libquadmath.so.0", "libgfortran.so.5", "libopenblas.so.0");

    private final ClassLoader resources;
    private final String version;
    private final String platform;
    private final Path cacheRoot;

    BundledOpenBlas(ClassLoader resources, String version, String platform, Path cacheRoot) {
        this.resources = resources;
        this.version = version;
        this.platform = platform;
        this.cacheRoot = cacheRoot;
    }

    static BundledOpenBlas fromClasspath() {
        return new BundledOpenBlas(BundledOpenBlas.class.getClassLoader(), OpenBlasLoader.bundledVersion(),
                OpenBlasLoader.platform(), cacheRoot());
    }

    /**
     * The per-user cache folder: {@value #CACHE_PROPERTY}, else {@code $GNC_CACHE_DIR}, else
     * {@code $XDG_CACHE_HOME/gnc}, else {@code ~/.cache/gnc}.
     */
    static Path cacheRoot() {
        String configured = System.getProperty(CACHE_PROPERTY);
        if (configured == null || configured.isBlank()) {
            configured = System.getenv(CACHE_ENV);
        }
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg, "gnc");
        }
        return Path.of(System.getProperty("user.home"), ".cache", "gnc");
    }

    String version() {
        return version;
    }

    private String resourceName(String file) {
        return "org/bytedeco/openblas/" + platform + "/" + file;
    }

    boolean isPresent() {
        return FILES.stream().allMatch(f -> resources.getResource(resourceName(f)) != null);
    }

    String describeAbsence() {
        return "no " + resourceName(FILES.getLast()) + " (with " + FILES.getFirst() + ", " + FILES.get(1)
                + ") on the classpath; the bundled build covers linux-x86_64";
    }

    /** The folder this version's files are extracted to. */
    Path folder() {
        return cacheRoot.resolve("openblas-" + version + "-" + platform);
    }

    /**
     * Copies the libraries to {@link #folder()} unless a complete copy is already there, and
     * returns their paths in load order.
     */
    List<Path> extract() throws IOException {
        Path folder = folder();
        Files.createDirectories(folder);
        List<Path> paths = new ArrayList<>(FILES.size());
        for (String file : FILES) {
            paths.add(extractOne(file, folder.resolve(file)));
        }
        return paths;
    }

    private Path extractOne(String file, Path target) throws IOException {
        long expectedSize = resourceSize(file);
        if (Files.isRegularFile(target) && Files.size(target) == expectedSize) {
            return target; // files only ever appear whole (atomic rename), so a matching size is a finished copy
        }
        Path temp = Files.createTempFile(target.getParent(), file + ".", ".part");
        try {
            try (InputStream in = open(file)) {
                Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
            }
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
        return target;
    }

    private long resourceSize(String file) throws IOException {
        URL url = resources.getResource(resourceName(file));
        long size = url == null ? -1 : url.openConnection().getContentLengthLong(); // a jar entry knows its size
        if (size >= 0) {
            return size;
        }
        try (InputStream in = open(file)) {
            return in.transferTo(OutputStream.nullOutputStream());
        }
    }

    private InputStream open(String file) throws IOException {
        InputStream in = resources.getResourceAsStream(resourceName(file));
        if (in == null) {
            throw new IOException("resource " + resourceName(file) + " disappeared from the classpath");
        }
        return in;
    }
}
