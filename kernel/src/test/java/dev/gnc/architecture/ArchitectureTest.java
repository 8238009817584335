package dev.gnc.architecture;

import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The kernel's main classes (and the native bindings beneath them) keep the {@link HouseRules}. */
@AnalyzeClasses(packages = "dev.gnc", importOptions = HouseRules.MainClassesOnly.class)
class ArchitectureTest {
    @ArchTest
    static final ArchRule packagesHaveNoCycles = HouseRules.noCycles("dev.gnc");

    @ArchTest
    static final ArchRule eachPackageUsesOnlyThoseBelowIt = HouseRules.kernelLayers("dev.gnc");

    @ArchTest
    static final ArchRule kernelNeverUsesCliOrBench = HouseRules.kernelBelowTools("dev.gnc");
}
