package org.fieldcloud;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.RestController;

/** The feature boundaries of docs/architecture.md, checked on the compiled main classes. */
class ArchitectureTest {

    private static final String[] FEATURES = {"accounts", "organizations", "projects", "secrets", "files", "qgis",
            "jobs", "deltas", "processing", "packaging", "web", "backups"};

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.fieldcloud");
    }

    @Test
    void featurePackagesHaveNoCycles() {
        slices().matching("org.fieldcloud.(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void sharedKernelAndOperationsDependOnNoFeature() {
        noClasses().that().resideInAnyPackage("org.fieldcloud.api..", "org.fieldcloud.ops..")
                .should().dependOnClassesThat().resideInAnyPackage(featurePackages("permissions"))
                .check(classes);
    }

    @Test
    void policyModuleDependsOnNoFeature() {
        noClasses().that().resideInAPackage("org.fieldcloud.permissions..")
                .should().dependOnClassesThat().resideInAnyPackage(featurePackages())
                .check(classes);
    }

    @Test
    void controllersArePackagePrivateSoNoOtherFeatureCanCallThem() {
        classes().that().areAnnotatedWith(RestController.class).should().notBePublic().check(classes);
    }

    private static String[] featurePackages(String... extra) {
        String[] all = new String[FEATURES.length + extra.length];
        for (int i = 0; i < FEATURES.length; i++) all[i] = "org.fieldcloud." + FEATURES[i] + "..";
        for (int i = 0; i < extra.length; i++) all[FEATURES.length + i] = "org.fieldcloud." + extra[i] + "..";
        return all;
    }
}
