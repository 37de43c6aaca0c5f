package org.callbackkit.doctor;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.callbackkit.core.diagnose.DeliveryAttempt;
import org.callbackkit.core.diagnose.Diagnosis;
import org.callbackkit.core.diagnose.StatusClassifier;
import org.callbackkit.core.diagnose.Verdict;
import org.callbackkit.core.intake.CallbackEndpoint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The part of the classifier corpus that needs real connections: TLS servers on loopback serving a
 * self-signed certificate, a leaf without its intermediate, an expired leaf and a leaf for another
 * host (certificates made by keytool, see {@link TestPki}), a refused connection, a server that
 * never answers, and a name that does not resolve. Each is met twice: by the doctor's TLS check,
 * which reads the chain the server sent and names the cause, and by the probe's HTTP client, whose
 * raw JDK failure the classifier must still read as the right verdict. Each asserts verdict,
 * firewall (none) and deciding rule.
 */
class TlsCorpusTest {

    private static final Duration TIMEOUT = Duration.ofMillis(800);
    private static final ProviderProfile KLARNA = ProviderCatalogue.standard().select(List.of("klarna")).get(0);
    private static final CallbackEndpoint PUSH = KLARNA.endpoints().get(0);

    enum Entry {
        // server, the check that fails, its verdict and cause, then the probe client's verdict and cause
        GOOD_CHAIN(TestPki.Server.GOOD, "tls", null, null, Verdict.DELIVERED, "status.2xx"),
        SELF_SIGNED(TestPki.Server.SELF_SIGNED, "tls", Verdict.TLS_FAILURE, "tls.self-signed", Verdict.TLS_FAILURE, "tls.untrusted"),
        MISSING_INTERMEDIATE(TestPki.Server.NO_INTERMEDIATE, "tls", Verdict.TLS_FAILURE, "tls.missing-intermediate",
                Verdict.TLS_FAILURE, "tls.untrusted"),
        EXPIRED(TestPki.Server.EXPIRED, "tls", Verdict.TLS_FAILURE, "tls.expired", Verdict.TLS_FAILURE, "tls.expired"),
        WRONG_HOST(TestPki.Server.WRONG_HOST, "tls", Verdict.TLS_FAILURE, "tls.hostname", Verdict.TLS_FAILURE, "tls.hostname"),
        UNTRUSTED_CHAIN(TestPki.Server.OTHER_CA, "tls", Verdict.TLS_FAILURE, "tls.untrusted-authority",
                Verdict.TLS_FAILURE, "tls.untrusted"),
        UNTRUSTED_WITHOUT_INTERMEDIATE(TestPki.Server.OTHER_CA_NO_INTERMEDIATE, "tls", Verdict.TLS_FAILURE,
                "tls.untrusted-authority", Verdict.TLS_FAILURE, "tls.untrusted"),
        WRONG_HOST_AND_UNTRUSTED(TestPki.Server.OTHER_CA_WRONG_HOST, "tls", Verdict.TLS_FAILURE, "tls.hostname",
                Verdict.TLS_FAILURE, "tls.untrusted"),
        REFUSED(null, "tls", Verdict.UNREACHABLE, "transport.refused", Verdict.UNREACHABLE, "transport.refused"),
        NEVER_ANSWERS(null, "tls", Verdict.TIMEOUT, "transport.timeout", Verdict.TIMEOUT, "transport.timeout"),
        DOES_NOT_RESOLVE(null, "dns", Verdict.UNREACHABLE, "transport.dns", null, null);

        final TestPki.Server server;
        final String area;
        final Verdict checkVerdict;
        final String checkCause;
        final Verdict probeVerdict;
        final String probeCause;

        Entry(TestPki.Server server, String area, Verdict checkVerdict, String checkCause, Verdict probeVerdict,
                String probeCause) {
            this.server = server;
            this.area = area;
            this.checkVerdict = checkVerdict;
            this.checkCause = checkCause;
            this.probeVerdict = probeVerdict;
            this.probeCause = probeCause;
        }
    }

    @ParameterizedTest
    @EnumSource(Entry.class)
    void eachRealFailureGetsItsVerdictFirewallAndCause(Entry entry) throws Exception {
        try (LocalTlsServer server = server(entry)) {
            int port = server == null ? LocalTlsServer.refusedPort() : server.port();
            String host = entry == Entry.DOES_NOT_RESOLVE ? "shop.invalid" : "localhost";

            DoctorReport report = doctor().check("https://" + host + ":" + port);

            Check check = report.checks().stream().filter(c -> c.area().equals(entry.area)).findFirst().orElseThrow();
            if (entry.checkVerdict == null) {
                assertThat(check.status()).as(check.message()).isEqualTo(Check.Status.PASS);
                assertThat(check.message()).contains("certificate for [localhost, 127.0.0.1]",
                        "issued by CN=Callback Kit Test Intermediate", "2 certificates sent, trusted");
            } else {
                assertThat(check.status()).isEqualTo(Check.Status.FAIL);
                Diagnosis diagnosis = check.diagnosis().orElseThrow();
                assertThat(diagnosis.verdict()).as(check.message()).isEqualTo(entry.checkVerdict);
                assertThat(diagnosis.firewall()).isEmpty();
                assertThat(diagnosis.cause()).as(check.message()).isEqualTo(entry.checkCause);
                assertThat(diagnosis.nextSteps()).isNotEmpty().noneSatisfy(step -> assertThat(step).contains("retries"));
                assertThat(report.checks()).anySatisfy(c -> assertThat(c.status()).isEqualTo(Check.Status.SKIP));
            }

            if (entry.probeVerdict != null) {
                Diagnosis probed = probe(port);
                assertThat(probed.verdict()).isEqualTo(entry.probeVerdict);
                assertThat(probed.firewall()).isEmpty();
                assertThat(probed.cause()).isEqualTo(entry.probeCause);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Entry.class, names = {"SELF_SIGNED", "MISSING_INTERMEDIATE", "EXPIRED", "WRONG_HOST",
        "UNTRUSTED_CHAIN", "UNTRUSTED_WITHOUT_INTERMEDIATE", "WRONG_HOST_AND_UNTRUSTED"})
    void theDoctorSaysWhatTheServerSent(Entry entry) throws Exception {
        try (LocalTlsServer server = server(entry)) {
            String message = doctor().check("https://localhost:" + server.port()).checks().stream()
                    .filter(c -> c.area().equals("tls")).findFirst().orElseThrow().message();

            assertThat(message).startsWith(switch (entry) {
                case SELF_SIGNED -> "self-signed certificate: CN=localhost is signed by itself";
                case MISSING_INTERMEDIATE -> "unable to get local issuer certificate: the server sent its chain up to "
                        + "CN=localhost without the certificate of its issuer CN=Callback Kit Test Intermediate (a missing "
                        + "intermediate certificate: browsers fetch it from " + TestPki.INTERMEDIATE_URL;
                case EXPIRED -> "certificate has expired: CN=localhost expired";
                case WRONG_HOST -> "hostname mismatch: the certificate is for [wrong-host.test], not localhost (";
                case UNTRUSTED_CHAIN -> "untrusted authority: the chain leads, through " + TestPki.OTHER_ROOT_URL
                        + ", to CN=Untrusted Test Root, a root that is not a trusted authority";
                case UNTRUSTED_WITHOUT_INTERMEDIATE -> "untrusted authority: the chain leads, through "
                        + TestPki.OTHER_INTERMEDIATE_URL + ", to CN=Untrusted Test Intermediate and on to "
                        + "CN=Untrusted Test Root that is not a trusted authority";
                case WRONG_HOST_AND_UNTRUSTED -> "hostname mismatch: the certificate is for [wrong-host.test], not "
                        + "localhost; besides, untrusted authority";
                default -> throw new AssertionError(entry);
            });
        }
    }

    /** The AIA fetch over real HTTP, as the doctor makes it by default: DER from a CA's web server, nothing else. */
    @org.junit.jupiter.api.Test
    void theIssuerIsFetchedFromItsAiaUrlOverHttp() throws Exception {
        com.sun.net.httpserver.HttpServer ca = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] der = TestPki.get().issuers().fetch(URI.create(TestPki.INTERMEDIATE_URL)).get(0).getEncoded();
        ca.createContext("/intermediate.der", exchange -> {
            exchange.sendResponseHeaders(200, der.length);
            exchange.getResponseBody().write(der);
            exchange.close();
        });
        ca.createContext("/missing", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        ca.start();
        try {
            String base = "http://127.0.0.1:" + ca.getAddress().getPort();
            TlsInspector.IssuerFetcher http = TlsInspector.httpFetcher(Duration.ofSeconds(2));

            assertThat(http.fetch(URI.create(base + "/intermediate.der"))).singleElement()
                    .satisfies(found -> assertThat(found.getSubjectX500Principal().getName())
                            .isEqualTo("CN=Callback Kit Test Intermediate"));
            assertThat(http.fetch(URI.create(base + "/missing"))).isEmpty();
            assertThat(http.fetch(URI.create("http://127.0.0.1:" + LocalTlsServer.refusedPort() + "/x"))).isEmpty();
        } finally {
            ca.stop(0);
        }
    }

    private static LocalTlsServer server(Entry entry) throws Exception {
        if (entry.server != null) {
            return LocalTlsServer.tls(TestPki.get().keyStore(entry.server));
        }
        return entry == Entry.NEVER_ANSWERS ? LocalTlsServer.silent() : null;
    }

    private static CallbackDoctor doctor() {
        return CallbackDoctor.builder()
                .providers(List.of(KLARNA))
                .allowPrivate(true)
                .trustStore(TestPki.get().trustStore())
                .issuers(TestPki.get().issuers())
                .timeout(TIMEOUT)
                .burst(0, Duration.ZERO)
                .resolver(TlsCorpusTest::resolve)
                .build();
    }

    /** localhost without asking DNS; every other name does not resolve. */
    static List<InetAddress> resolve(String host) throws UnknownHostException {
        if (host.equals("localhost") || host.equals("127.0.0.1")) {
            return List.of(InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1}));
        }
        throw new UnknownHostException(host);
    }

    private static Diagnosis probe(int port) {
        Prober prober = new Prober(TlsInspector.trusting(TestPki.get().trustStore()).context(), TlsCorpusTest::resolve,
                TIMEOUT, 16 * 1024, Clock.systemUTC());
        Prober.Request request = Prober.requests(URI.create("https://localhost:" + port + "/callbacks"), KLARNA, PUSH).get(0);
        DeliveryAttempt attempt = prober.probe(KLARNA, PUSH, request, "t", 1, Clock.systemUTC().instant());
        return StatusClassifier.expert(KLARNA.endpoints()).classify(attempt);
    }

}
