package org.callbackkit.examples;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.callbackkit.avarda.testing.FakeAvardaApi;
import org.callbackkit.core.UnauthenticatedCallbackException;
import org.callbackkit.core.journal.JournalEntry;
import org.callbackkit.core.journal.JournalQuery;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.core.testing.MutableClock;
import org.callbackkit.ecster.testing.FakeEcsterApi;
import org.callbackkit.klarna.testing.FakeKlarnaOrderManagement;
import org.junit.jupiter.api.Test;

/**
 * Secrets, across every module: each inbound secret or shared header is compared in constant
 * time, and no configured secret shows up in the log, the journal or the journal page after the
 * whole demo (every provider, forged and wrong-secret callbacks included) has run.
 */
class SecretsTest {

    private static final Set<String> VARIABLE_TIME_COMPARISONS = Set.of("java.lang.String.equals",
            "java.lang.String.equalsIgnoreCase", "java.lang.String.contentEquals", "java.lang.String.compareTo",
            "java.util.Arrays.equals", "java.util.Objects.equals", "java.lang.String.startsWith",
            "java.lang.String.regionMatches");

    /**
     * A method that refuses a caller as unauthenticated (it throws
     * {@link UnauthenticatedCallbackException}) decides with {@link MessageDigest#isEqual}, itself
     * or through a helper of its own module, and never with a comparison that stops at the first
     * difference ({@code String.equals} and its kin).
     */
    static ArchRule authenticationComparesInConstantTime() {
        DescribedPredicate<JavaMethod> refusesCallers = DescribedPredicate.describe("refuse callers as unauthenticated",
                method -> method.getConstructorCallsFromSelf().stream()
                        .anyMatch(call -> call.getTargetOwner().isEquivalentTo(UnauthenticatedCallbackException.class)));
        ArchCondition<JavaMethod> constantTime = new ArchCondition<>("compare in constant time") {
            @Override
            public void check(JavaMethod method, ConditionEvents events) {
                boolean isEqual = callsIsEqual(method) || method.getMethodCallsFromSelf().stream()
                        .map(call -> call.getTarget().resolveMember().orElse(null))
                        .filter(Objects::nonNull).anyMatch(SecretsTest::callsIsEqual);
                List<String> variable = method.getMethodCallsFromSelf().stream().map(SecretsTest::target)
                        .filter(VARIABLE_TIME_COMPARISONS::contains).toList();
                if (!isEqual || !variable.isEmpty()) {
                    events.add(SimpleConditionEvent.violated(method, method.getFullName()
                            + (isEqual ? "" : " does not compare with MessageDigest.isEqual")
                            + (variable.isEmpty() ? "" : " compares with " + variable)));
                }
            }
        };
        return methods().that(refusesCallers).should(constantTime)
                .because("a comparison that stops at the first difference tells an attacker how much of a guess was right");
    }

    private static boolean callsIsEqual(JavaCodeUnit unit) {
        return unit.getMethodCallsFromSelf().stream().map(SecretsTest::target)
                .anyMatch("java.security.MessageDigest.isEqual"::equals);
    }

    private static String target(JavaCall<?> call) {
        return call.getTargetOwner().getName() + "." + call.getName();
    }

    @Test
    void everyAuthenticationComparesInConstantTime() {
        JavaClasses modules = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.callbackkit");
        authenticationComparesInConstantTime().check(modules);
        assertThat(modules.stream().flatMap(c -> c.getMethods().stream()).filter(m -> m.getConstructorCallsFromSelf()
                .stream().anyMatch(call -> call.getTargetOwner().isEquivalentTo(UnauthenticatedCallbackException.class)))
                .map(m -> m.getOwner().getSimpleName()))
                .as("the rule sees each module's authentication").contains("EcsterCallbacks", "AvardaCallbacks",
                        "BlockonomicsCallbacks", "DemoPayments");
    }

    @Test
    void theRuleCatchesStringEquals() {
        JavaClasses fixture = new ClassFileImporter().importClasses(StringEqualsAuthentication.class,
                DigestAuthentication.class);

        assertThat(authenticationComparesInConstantTime().evaluate(fixture).getFailureReport().getDetails())
                .singleElement().asString().contains("StringEqualsAuthentication.check",
                        "does not compare with MessageDigest.isEqual", "java.lang.String.equals");
    }

    @Test
    void noConfiguredSecretReachesTheLogTheJournalOrTheJournalPage() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream err = System.err;
        System.setErr(new PrintStream(new Tee(err, log), true, StandardCharsets.UTF_8)); // slf4j-simple writes here
        MutableClock clock = MutableClock.atFixedStart();
        try (ManualDelayedActionScheduler scheduler = new ManualDelayedActionScheduler(clock);
                DemoShop shop = DemoShop.builder().port(0).clock(clock).scheduler(scheduler).start()) {
            DemoDriver driver = new DemoDriver(shop.baseUri(), shop.secret(), shop.blockonomicsSecret(),
                    () -> scheduler.tick(DemoShop.DEFAULT_PAYMENT_DELAY) > 0,
                    new PrintStream(OutputStream.nullOutputStream()));
            assertThat(driver.run()).as("the demo ran every scenario").isTrue();

            List<JournalEntry> entries = shop.journal().find(JournalQuery.builder().limit(1000).build());
            List<String> seen = new ArrayList<>();
            seen.add(log.toString(StandardCharsets.UTF_8));
            seen.add(entries.toString());
            seen.add(get(shop, "callbacks/journal"));
            seen.add(get(shop, DemoShop.JOURNAL_PAGE));
            for (JournalEntry entry : entries) {
                seen.add(get(shop, DemoShop.JOURNAL_PAGE + "entry?id=" + entry.id()));
            }

            assertThat(entries).as("every provider was called").extracting(JournalEntry::provider)
                    .contains("demo", "blockonomics", "klarna", "ecster", "avarda");
            assertThat(seen.get(0)).as("the log was captured").contains("WARN");
            List<String> secrets = secrets(shop);
            for (String text : seen) {
                assertThat(text).doesNotContain(secrets);
            }
            assertThat(String.join("\n", seen)).as("the secret header and parameter names are there, masked")
                    .contains(DemoShop.SECRET_HEADER, "***");
        } finally {
            System.setErr(err);
        }
    }

    /** Every secret the demo shop is configured with, and the encoded forms its clients send. */
    private static List<String> secrets(DemoShop shop) {
        var klarna = new FakeKlarnaOrderManagement().credentials();
        var ecster = new FakeEcsterApi().credentials();
        var avarda = new FakeAvardaApi().credentials();
        return Stream.of(shop.secret(), shop.blockonomicsSecret(), shop.adminToken(), DemoEcster.HEADER_VALUE,
                DemoAvarda.AUTHORIZATION.substring("Basic ".length()), klarna.sharedSecret(),
                basic(klarna.merchantId(), klarna.sharedSecret()), ecster.apiKey(), ecster.merchantKey(),
                avarda.clientSecret(), basic(avarda.clientId(), avarda.clientSecret())).toList();
    }

    private static String basic(String user, String password) {
        return Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private static String get(DemoShop shop, String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(shop.baseUri().resolve(path))
                .header("Cookie", DemoShop.ADMIN_COOKIE + "=" + shop.adminToken()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path).isEqualTo(200);
        return response.body();
    }

    /** Writes to both streams. */
    private static final class Tee extends OutputStream {
        private final OutputStream first;
        private final OutputStream second;

        Tee(OutputStream first, OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
            first.write(bytes, offset, length);
            second.write(bytes, offset, length);
        }
    }

    /** What the rule must refuse. */
    static final class StringEqualsAuthentication {
        private final String secret = "s3cret";

        void check(String given) {
            if (!secret.equals(given)) {
                throw new UnauthenticatedCallbackException("wrong secret");
            }
        }
    }

    /** What the rule accepts: a digest compared with isEqual, through a helper. */
    static final class DigestAuthentication {
        private final byte[] secret = "s3cret".getBytes(StandardCharsets.UTF_8);

        void check(String given) {
            if (!same(given)) {
                throw new UnauthenticatedCallbackException("wrong secret");
            }
        }

        private boolean same(String given) {
            return MessageDigest.isEqual(secret, given.getBytes(StandardCharsets.UTF_8));
        }
    }
}
