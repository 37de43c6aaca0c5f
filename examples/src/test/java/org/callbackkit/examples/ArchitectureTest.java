package org.callbackkit.examples;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The direction of dependencies between Callback Kit's modules: core knows no other module,
 * provider modules know only core, the applications (callback-doctor, examples) may know provider
 * modules but no module knows them, and only core's two servlet adapters (the callback servlet and
 * the journal page) know the servlet API. The examples module has every module on its classpath,
 * so the rules see them all. Each rule is also run against fixture classes that break it, to show
 * it can fail.
 */
class ArchitectureTest {

    private static final String ROOT = "org.callbackkit";
    private static final String FIXTURE_ROOT = "org.callbackkit.examples.archfixture";

    private static final JavaClasses CALLBACK_KIT = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);
    private static final JavaClasses FIXTURE = new ClassFileImporter().importPackages(FIXTURE_ROOT);

    static ArchRule coreDependsOnNoOtherModule(String root) {
        return noClasses().that().resideInAPackage(root + ".core..")
                .should().dependOnClassesThat(resideInAPackage(root + "..").and(not(resideInAPackage(root + ".core.."))))
                .because("core knows no provider or other module");
    }

    static ArchRule modulesDependOnlyOnCore(String root) {
        Set<String> notModules = Set.of("core", "doctor", "examples");
        return slices().matching(root + ".(*)..")
                .that(describe("are provider or other modules", slice -> !notModules.contains(slice.getNamePart(1))))
                .should().notDependOnEachOther()
                .allowEmptyShould(true)
                .because("a module depends on core only, never on another module");
    }

    static ArchRule noModuleDependsOnTheApplications(String root) {
        return noClasses().that().resideOutsideOfPackages(root + ".doctor..", root + ".examples..")
                .should().dependOnClassesThat().resideInAnyPackage(root + ".doctor..", root + ".examples..")
                .because("the doctor and the examples are applications on top of the modules, never under them");
    }

    static ArchRule onlyTheServletAdaptersTouchTheServletApi(String root) {
        Set<String> adapters = Set.of(root + ".core.CallbackServlet", root + ".core.JournalServlet");
        return noClasses().that().resideInAPackage(root + ".core..")
                .and(describe("are not " + adapters, (JavaClass c) -> adapters.stream().noneMatch(
                        adapter -> c.getName().equals(adapter) || c.getName().startsWith(adapter + "$"))))
                .should().dependOnClassesThat().resideInAPackage("jakarta.servlet..")
                .because("hosts on other frameworks adapt core without the servlet API");
    }

    @Test
    void theRulesSeeCoreAndTheOtherModules() {
        assertThat(CALLBACK_KIT.containPackage(ROOT + ".core")).isTrue();
        assertThat(CALLBACK_KIT.containPackage(ROOT + ".test")).isTrue();
        assertThat(CALLBACK_KIT.containPackage(ROOT + ".blockonomics")).isTrue();
        assertThat(CALLBACK_KIT.containPackage(ROOT + ".klarna")).isTrue();
        assertThat(CALLBACK_KIT.containPackage(ROOT + ".ecster")).isTrue();
        assertThat(CALLBACK_KIT.containPackage(ROOT + ".avarda")).isTrue();
        assertThat(CALLBACK_KIT.containPackage(ROOT + ".doctor")).isTrue();
        assertThat(CALLBACK_KIT.containPackage(ROOT + ".jdbc")).isTrue();
        assertThat(CALLBACK_KIT.containPackage(ROOT + ".examples")).isTrue();
        assertThat(CALLBACK_KIT.containPackage(FIXTURE_ROOT + ".alpha")).as("fixtures are test classes").isFalse();
    }

    @Test
    void coreDependsOnNoOtherModule() {
        coreDependsOnNoOtherModule(ROOT).check(CALLBACK_KIT);
    }

    @Test
    void modulesDependOnlyOnCore() {
        modulesDependOnlyOnCore(ROOT).check(CALLBACK_KIT);
    }

    @Test
    void noModuleDependsOnTheApplications() {
        noModuleDependsOnTheApplications(ROOT).check(CALLBACK_KIT);
    }

    @Test
    void onlyTheServletAdaptersTouchTheServletApi() {
        onlyTheServletAdaptersTouchTheServletApi(ROOT).check(CALLBACK_KIT);
    }

    @Test
    void coreRuleCatchesACoreClassThatKnowsAModule() {
        assertThat(violations(coreDependsOnNoOtherModule(FIXTURE_ROOT)))
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line).contains("CoreThing").contains("Alpha"));
    }

    @Test
    void moduleRuleCatchesAModuleThatKnowsAnotherButNotOneThatKnowsCore() {
        assertThat(violations(modulesDependOnlyOnCore(FIXTURE_ROOT)))
                .isNotEmpty()
                .anySatisfy(line -> assertThat(line).contains("Alpha").contains("Beta"))
                .noneSatisfy(line -> assertThat(line).contains("CoreThing"));
    }

    @Test
    void applicationRuleCatchesAModuleThatKnowsTheDoctorButNotTheDoctorKnowingAModule() {
        assertThat(violations(noModuleDependsOnTheApplications(FIXTURE_ROOT)))
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line).contains("Gamma").contains("Doctor"));
    }

    @Test
    void servletRuleCatchesCoreClassesOtherThanTheAdapters() {
        assertThat(violations(onlyTheServletAdaptersTouchTheServletApi(FIXTURE_ROOT)))
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line).contains("CoreThing").doesNotContain("CallbackServlet")
                        .doesNotContain("JournalServlet"));
    }

    private static List<String> violations(ArchRule rule) {
        EvaluationResult result = rule.evaluate(FIXTURE);
        assertThat(result.hasViolation()).as(rule.getDescription()).isTrue();
        return result.getFailureReport().getDetails();
    }
}
