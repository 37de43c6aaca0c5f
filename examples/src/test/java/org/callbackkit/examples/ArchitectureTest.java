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
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The direction of dependencies between Callback Kit's modules: core knows no other module,
 * provider modules know only core, the applications (callback-doctor, examples) may know provider
 * modules but no module knows them, and only core's two servlet adapters (the callback servlet in
 * intake and the journal page's servlet in journal) know the servlet API.
 *
 * <p>Inside core, the packages by concern: the root package is the vocabulary every package
 * shares and knows none of them; intake, journal, schedule, state and diagnose know nothing of the
 * reconciliation engine built on them, and intake knows no diagnosis (classifying is for the
 * doctor and the journal page, never on the request path); the engine knows neither the journal
 * nor the diagnosis; schedule and state, which callback-jdbc implements, know only the root; and
 * core's test fakes are for test code only (tests, callback-test, provider modules' testing
 * packages).
 *
 * <p>The examples module has every module on its classpath, so the rules see them all. Each rule
 * is also run against fixture classes that break it, to show it can fail.
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
        Set<String> adapters = Set.of(root + ".core.intake.CallbackServlet", root + ".core.journal.JournalServlet");
        return noClasses().that().resideInAPackage(root + ".core..")
                .and(describe("are not " + adapters, (JavaClass c) -> adapters.stream().noneMatch(
                        adapter -> c.getName().equals(adapter) || c.getName().startsWith(adapter + "$"))))
                .should().dependOnClassesThat().resideInAPackage("jakarta.servlet..")
                .because("hosts on other frameworks adapt core without the servlet API");
    }

    static ArchRule theRootPackageKnowsNoConcern(String root) {
        return noClasses().that().resideInAPackage(root + ".core")
                .should().dependOnClassesThat(resideInAPackage(root + ".core..").and(not(resideInAPackage(root + ".core"))))
                .because("core's root package is what every package and module shares: the exceptions, "
                        + "ProviderHttp, RetrySchedule; it sits under the concerns, never on them");
    }

    static ArchRule theConcernsKnowNoEngine(String root) {
        return noClasses().that().resideInAnyPackage(concerns(root, "intake", "journal", "schedule", "state", "diagnose"))
                .should().dependOnClassesThat().resideInAPackage(root + ".core.reconcile..")
                .because("the reconciliation engine is built on intake, scheduling and state, not the other way round");
    }

    static ArchRule intakeKnowsNoDiagnosis(String root) {
        return noClasses().that().resideInAPackage(root + ".core.intake..")
                .should().dependOnClassesThat().resideInAPackage(root + ".core.diagnose..")
                .because("a callback is answered without the classifier; diagnosing is for the doctor and the journal page");
    }

    static ArchRule theEngineKnowsNoJournalOrDiagnosis(String root) {
        return noClasses().that().resideInAPackage(root + ".core.reconcile..")
                .should().dependOnClassesThat().resideInAnyPackage(concerns(root, "journal", "diagnose"))
                .because("the router journals each callback; the engine settles orders and says why in its own state");
    }

    static ArchRule scheduleAndStateKnowOnlyTheRoot(String root) {
        return noClasses().that().resideInAnyPackage(concerns(root, "schedule", "state"))
                .should().dependOnClassesThat(describe("are in another core package than the root",
                        (JavaClass target) -> target.getPackageName().startsWith(root + ".core.")
                                && !within(target, root + ".core.schedule") && !within(target, root + ".core.state")))
                .because("callback-jdbc implements the scheduler and the stores; they must not drag in "
                        + "intake, the journal or the diagnosis");
    }

    static ArchRule onlyTestCodeKnowsTheFakes(String root) {
        return noClasses().that().resideOutsideOfPackages(root + "..testing..", root + ".test..")
                .should().dependOnClassesThat().resideInAPackage(root + ".core.testing..")
                .because("core's fakes are for tests, callback-test's contracts and provider modules' testing "
                        + "packages, never for code a shop runs");
    }

    private static boolean within(JavaClass c, String packageName) {
        return c.getPackageName().equals(packageName) || c.getPackageName().startsWith(packageName + ".");
    }

    private static String[] concerns(String root, String... names) {
        return Arrays.stream(names).map(name -> root + ".core." + name + "..").toArray(String[]::new);
    }

    @Test
    void theRulesSeeCoreAndTheOtherModules() {
        assertThat(CALLBACK_KIT.containPackage(ROOT + ".core")).isTrue();
        for (String concern : List.of("intake", "journal", "schedule", "state", "diagnose", "reconcile", "testing")) {
            assertThat(CALLBACK_KIT.containPackage(ROOT + ".core." + concern)).as(concern).isTrue();
        }
        assertThat(CALLBACK_KIT.containPackage(ROOT + ".test")).isTrue();
        assertThat(CALLBACK_KIT.containPackage(ROOT + ".blockonomics")).isTrue();
        assertThat(CALLBACK_KIT.containPackage(ROOT + ".klarna")).isTrue();
        assertThat(CALLBACK_KIT.containPackage(ROOT + ".ecster")).isTrue();
        assertThat(CALLBACK_KIT.containPackage(ROOT + ".avarda")).isTrue();
        assertThat(CALLBACK_KIT.containPackage(ROOT + ".doctor")).isTrue();
        assertThat(CALLBACK_KIT.containPackage(ROOT + ".jdbc")).isTrue();
        assertThat(CALLBACK_KIT.containPackage(ROOT + ".micrometer")).isTrue();
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
    void theRootPackageKnowsNoConcern() {
        theRootPackageKnowsNoConcern(ROOT).check(CALLBACK_KIT);
    }

    @Test
    void theConcernsKnowNoEngine() {
        theConcernsKnowNoEngine(ROOT).check(CALLBACK_KIT);
    }

    @Test
    void intakeKnowsNoDiagnosis() {
        intakeKnowsNoDiagnosis(ROOT).check(CALLBACK_KIT);
    }

    @Test
    void theEngineKnowsNoJournalOrDiagnosis() {
        theEngineKnowsNoJournalOrDiagnosis(ROOT).check(CALLBACK_KIT);
    }

    @Test
    void scheduleAndStateKnowOnlyTheRoot() {
        scheduleAndStateKnowOnlyTheRoot(ROOT).check(CALLBACK_KIT);
    }

    @Test
    void onlyTestCodeKnowsTheFakes() {
        onlyTestCodeKnowsTheFakes(ROOT).check(CALLBACK_KIT);
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

    @Test
    void rootRuleCatchesTheRootKnowingAConcern() {
        assertThat(violations(theRootPackageKnowsNoConcern(FIXTURE_ROOT)))
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line).contains("RootThing").contains("IntakeThing"));
    }

    @Test
    void engineRuleCatchesAConcernThatKnowsTheEngineButNotTheEngineKnowingOne() {
        assertThat(violations(theConcernsKnowNoEngine(FIXTURE_ROOT)))
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line).contains("IntakeThing").contains("ReconcileThing"))
                .noneSatisfy(line -> assertThat(line).contains("ReconcileThing.")); // the engine's own fields
    }

    @Test
    void intakeRuleCatchesIntakeKnowingTheDiagnosisButNotTheJournal() {
        assertThat(violations(intakeKnowsNoDiagnosis(FIXTURE_ROOT)))
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line).contains("IntakeThing").contains("DiagnoseThing"))
                .noneSatisfy(line -> assertThat(line).contains("JournalThing"));
    }

    @Test
    void engineRuleCatchesTheEngineKnowingTheJournalOrDiagnosisButNotSchedulingOrState() {
        assertThat(violations(theEngineKnowsNoJournalOrDiagnosis(FIXTURE_ROOT)))
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line).contains("ReconcileThing"))
                .anySatisfy(line -> assertThat(line).contains("JournalThing"))
                .anySatisfy(line -> assertThat(line).contains("DiagnoseThing"))
                .noneSatisfy(line -> assertThat(line).contains("ScheduleThing"))
                .noneSatisfy(line -> assertThat(line).contains("StateThing"));
    }

    @Test
    void scheduleAndStateRuleCatchesTheSchedulerKnowingTheJournalButNotTheRoot() {
        assertThat(violations(scheduleAndStateKnowOnlyTheRoot(FIXTURE_ROOT)))
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line).contains("ScheduleThing").contains("JournalThing"))
                .noneSatisfy(line -> assertThat(line).contains("StateThing"));
    }

    @Test
    void fakesRuleCatchesAModuleMainClassButNotTestingPackagesOrTheTestModule() {
        assertThat(violations(onlyTestCodeKnowsTheFakes(FIXTURE_ROOT)))
                .isNotEmpty()
                .allSatisfy(line -> assertThat(line).contains("BetaShop").contains("FakeThing"))
                .noneSatisfy(line -> assertThat(line).contains("AlphaFakes"))
                .noneSatisfy(line -> assertThat(line).contains("ContractThing"));
    }

    private static List<String> violations(ArchRule rule) {
        EvaluationResult result = rule.evaluate(FIXTURE);
        assertThat(result.hasViolation()).as(rule.getDescription()).isTrue();
        return result.getFailureReport().getDetails();
    }
}
