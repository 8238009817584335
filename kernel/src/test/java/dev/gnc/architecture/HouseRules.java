package dev.gnc.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which package of gnc may use which, as ArchUnit rules (docs/ARCHITECTURE.md draws the same
 * picture). Each rule takes the root package, {@code dev.gnc} for the real classes, so that
 * {@link HouseRulesTest} can show it failing, with the offending class named, on fixtures that
 * break it.
 */
public final class HouseRules {
    private HouseRules() {
    }

    /**
     * Main classes only: the rules bind shipped code, not tests. Besides the test-classes folders
     * ArchUnit knows, it leaves out test jars, where a module outside the reactor finds the
     * kernel's test classes.
     */
    public static final class MainClassesOnly implements ImportOption {
        private static final Pattern TEST_JAR = Pattern.compile(".*-tests\\.jar!?/.*");

        @Override
        public boolean includes(Location location) {
            return Predefined.DO_NOT_INCLUDE_TESTS.includes(location) && !location.matches(TEST_JAR);
        }
    }

    /** No two packages under {@code root} use each other, directly or through others. */
    public static ArchRule noCycles(String root) {
        return slices().matching(root + ".(*)..").namingSlices("$1").should().beFreeOfCycles();
    }

    /**
     * The kernel's packages and the packages each may use; a package uses its own classes and
     * the native bindings freely. Nothing uses a package above it.
     */
    public static LayeredArchitecture kernelLayers(String root) {
        return layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("core").definedBy(root + ".core..")
                .layer("internal").definedBy(root + ".internal..")
                .layer("gemm").definedBy(root + ".gemm..")
                .layer("loss").definedBy(root + ".loss..")
                .layer("sphere").definedBy(root + ".sphere..")
                .layer("optim").definedBy(root + ".optim..")
                .layer("io").definedBy(root + ".io..")
                .layer("metrics").definedBy(root + ".metrics..")
                .layer("ufm").definedBy(root + ".ufm..")
                .whereLayer("core").mayNotAccessAnyLayer()
                .whereLayer("internal").mayOnlyAccessLayers("core")
                .whereLayer("gemm").mayOnlyAccessLayers("core", "internal")
                .whereLayer("loss").mayOnlyAccessLayers("core", "internal", "gemm")
                .whereLayer("sphere").mayOnlyAccessLayers("core", "internal")
                .whereLayer("optim").mayOnlyAccessLayers("core", "internal", "sphere")
                .whereLayer("io").mayOnlyAccessLayers("core")
                .whereLayer("metrics").mayOnlyAccessLayers("core", "internal", "gemm", "loss")
                .whereLayer("ufm").mayOnlyAccessLayers("core", "internal", "gemm", "loss", "sphere", "optim", "io",
                        "metrics");
    }

    /** The library others embed never reaches into the tools built on it. */
    public static ArchRule kernelBelowTools(String root) {
        return noClasses().that().resideInAnyPackage(kernelPackages(root))
                .should().dependOnClassesThat().resideInAnyPackage(root + ".cli..", root + ".bench..")
                .because("the kernel is the library others embed: the command line and the benchmarks sit on it");
    }

    /**
     * The command line goes through the kernel's public API: not the native bindings, which the
     * {@code gemm} package's Backend reports on, and not the kernel's internal helpers.
     */
    public static ArchRule cliThroughPublicApi(String root) {
        return noClasses().that().resideInAPackage(root + ".cli..")
                .should().dependOnClassesThat().resideInAnyPackage(root + ".blas..", root + ".internal..")
                .because("the command line has no numerics or native calls of its own (../shared/DESIGN.md)");
    }

    private static String[] kernelPackages(String root) {
        return Stream.of("core", "internal", "gemm", "loss", "sphere", "optim", "io", "metrics", "ufm")
                .map(p -> root + "." + p + "..").toArray(String[]::new);
    }
}
