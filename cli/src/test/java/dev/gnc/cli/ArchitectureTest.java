package dev.gnc.cli;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.gnc.architecture.HouseRules;

/**
 * The command line keeps the {@link HouseRules} that concern it, checked here because only this
 * module sees the cli beside the kernel and the native bindings.
 */
@AnalyzeClasses(packages = "dev.gnc", importOptions = HouseRules.MainClassesOnly.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule cliNeverUsesNativeBindingsOrKernelInternals = HouseRules.cliThroughPublicApi("dev.gnc");

    @ArchTest
    static final ArchRule noCyclesWithTheCli = HouseRules.noCycles("dev.gnc");
}
