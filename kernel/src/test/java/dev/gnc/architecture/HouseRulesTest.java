package dev.gnc.architecture;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.gnc.architecture.fixture.blas.NativeCall;
import dev.gnc.architecture.fixture.cli.CommandCallingNative;
import dev.gnc.architecture.fixture.core.CoreReachingUp;
import dev.gnc.architecture.fixture.loss.LossOnCore;
import dev.gnc.architecture.fixture.sphere.SphereCallingCli;
import org.junit.jupiter.api.Test;

/**
 * Each {@link HouseRules} rule fails on fixture classes that break it, and its report names the
 * offending class: the proof that {@link ArchitectureTest} can fail.
 */
class HouseRulesTest {
    private static final String ROOT = "dev.gnc.architecture.fixture";
    private static final JavaClasses FIXTURES = new ClassFileImporter().importClasses(CoreReachingUp.class,
            LossOnCore.class, SphereCallingCli.class, CommandCallingNative.class, NativeCall.class);

    @Test
    void aCycleBetweenPackagesFailsNamingBothClasses() {
        String report = violations(HouseRules.noCycles(ROOT));
        assertTrue(report.contains(CoreReachingUp.class.getName()) && report.contains(LossOnCore.class.getName()),
                report);
    }

    @Test
    void theCoreUsingAPackageAboveItFailsNamingTheClass() {
        String report = violations(HouseRules.kernelLayers(ROOT).withOptionalLayers(true));
        assertTrue(report.contains(CoreReachingUp.class.getName()), report);
    }

    @Test
    void theKernelUsingTheCommandLineFailsNamingTheClass() {
        String report = violations(HouseRules.kernelBelowTools(ROOT));
        assertTrue(report.contains(SphereCallingCli.class.getName()), report);
    }

    @Test
    void theCommandLineCallingNativeCodeFailsNamingTheClass() {
        String report = violations(HouseRules.cliThroughPublicApi(ROOT));
        assertTrue(report.contains(CommandCallingNative.class.getName()), report);
    }

    private static String violations(ArchRule rule) {
        EvaluationResult result = rule.evaluate(FIXTURES);
        assertTrue(result.hasViolation(), () -> "expected " + rule.getDescription() + " to fail on the fixtures");
        return result.getFailureReport().toString();
    }
}
