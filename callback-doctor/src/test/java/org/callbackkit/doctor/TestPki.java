package org.callbackkit.doctor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A small PKI made with the JDK's keytool at test time: a root CA (the only authority the doctor
 * is told to trust), an intermediate CA, and server certificates signed by the intermediate: a good
 * one for {@code localhost}, an expired one, one for another host, and a self-signed one. Made once
 * per test JVM under {@code target/test-pki} (about ten keytool runs, independent ones in parallel).
 */
final class TestPki {

    /** The server certificates the TLS tests serve. */
    enum Server {
        /** Leaf for localhost and 127.0.0.1, sent with its intermediate. */
        GOOD,
        /** The same leaf sent without its intermediate. */
        NO_INTERMEDIATE,
        /** A leaf that expired 30 days ago, sent with its intermediate. */
        EXPIRED,
        /** A leaf for wrong-host.test only, sent with its intermediate. */
        WRONG_HOST,
        /** A certificate for localhost that signed itself. */
        SELF_SIGNED,
        /** Leaf for localhost sent with its intermediate, both of another PKI, whose root is not trusted. */
        OTHER_CA,
        /** The other PKI's leaf for localhost, sent without its intermediate. */
        OTHER_CA_NO_INTERMEDIATE,
        /** The other PKI's leaf for wrong-host.test only, sent with its intermediate. */
        OTHER_CA_WRONG_HOST
    }

    /** Where the certificates' AIA extensions say their issuers are, for {@link #issuers()}. */
    static final String INTERMEDIATE_URL = "http://pki.test/intermediate.der";
    static final String OTHER_ROOT_URL = "http://pki.test/other-root.der";
    static final String OTHER_INTERMEDIATE_URL = "http://pki.test/other-intermediate.der";

    private static final char[] PASSWORD = "changeit".toCharArray();
    private static TestPki instance;

    private final Path dir;
    private final X509Certificate root;
    private final X509Certificate intermediate;
    private final PrivateKey leafKey;
    private final X509Certificate otherRoot;
    private final X509Certificate otherIntermediate;

    private TestPki(Path dir) throws IOException, GeneralSecurityException {
        this.dir = dir;
        this.root = (X509Certificate) load("root.p12").getCertificate("root");
        this.intermediate = pem("ca.pem");
        this.leafKey = (PrivateKey) load("leaf.p12").getKey("leaf", PASSWORD);
        this.otherRoot = (X509Certificate) load("root2.p12").getCertificate("root2");
        this.otherIntermediate = pem("ca2.pem");
    }

    /** What the AIA URLs serve, as a CA's web server would: the issuers, DER encoded. */
    TlsInspector.IssuerFetcher issuers() {
        return url -> switch (url.toString()) {
            case INTERMEDIATE_URL -> List.of(intermediate);
            case OTHER_ROOT_URL -> List.of(otherRoot);
            case OTHER_INTERMEDIATE_URL -> List.of(otherIntermediate);
            default -> List.of();
        };
    }

    /** The test root's certificate, PEM encoded, as `--ca-cert` takes it. */
    Path rootPem() {
        return dir.resolve("root.pem");
    }

    /** The PKI, made on first use. */
    static synchronized TestPki get() {
        if (instance == null) {
            try {
                instance = new TestPki(make(Path.of("target", "test-pki")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return instance;
    }

    /** A trust store holding only the test root. */
    KeyStore trustStore() {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("root", root);
            return store;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key store a TLS server presents as {@code server}: one key entry, alias {@code server}. */
    KeyStore keyStore(Server server) {
        try {
            if (server == Server.SELF_SIGNED) {
                KeyStore self = load("self.p12");
                return single((PrivateKey) self.getKey("self", PASSWORD), self.getCertificate("self"));
            }
            return switch (server) {
                case GOOD -> single(leafKey, pem("good.pem"), intermediate);
                case NO_INTERMEDIATE -> single(leafKey, pem("good.pem"));
                case EXPIRED -> single(leafKey, pem("expired.pem"), intermediate);
                case WRONG_HOST -> single(leafKey, pem("wrong-host.pem"), intermediate);
                case OTHER_CA -> single(leafKey, pem("other.pem"), otherIntermediate);
                case OTHER_CA_NO_INTERMEDIATE -> single(leafKey, pem("other.pem"));
                case OTHER_CA_WRONG_HOST -> single(leafKey, pem("other-wrong-host.pem"), otherIntermediate);
                case SELF_SIGNED -> throw new AssertionError();
            };
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The password of every key store here. */
    static char[] password() {
        return PASSWORD.clone();
    }

    private static KeyStore single(PrivateKey key, Certificate... chain) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("server", key, PASSWORD, chain);
        return store;
    }

    private KeyStore load(String file) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(file))) {
            store.load(in, PASSWORD);
        }
        return store;
    }

    private X509Certificate pem(String file) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(dir.resolve(file))) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static Path make(Path dir) throws IOException {
        if (Files.exists(dir.resolve("complete-v2"))) {
            return dir;
        }
        Files.createDirectories(dir);
        try (var files = Files.list(dir)) {
            for (Path file : files.toList()) {
                Files.delete(file);
            }
        }
        String ec = "-keyalg EC -groupname secp256r1";
        parallel(dir,
                "-genkeypair -alias root " + ec + " -dname CN=Callback_Kit_Test_Root -ext bc:c -validity 3650 -keystore root.p12",
                "-genkeypair -alias ca " + ec + " -dname CN=Callback_Kit_Test_Intermediate -keystore ca.p12",
                "-genkeypair -alias root2 " + ec + " -dname CN=Untrusted_Test_Root -ext bc:c -validity 3650 -keystore root2.p12",
                "-genkeypair -alias ca2 " + ec + " -dname CN=Untrusted_Test_Intermediate -keystore ca2.p12",
                "-genkeypair -alias leaf " + ec + " -dname CN=localhost -keystore leaf.p12",
                "-genkeypair -alias self " + ec + " -dname CN=localhost -ext san=dns:localhost,ip:127.0.0.1 -keystore self.p12");
        parallel(dir,
                "-certreq -alias ca -keystore ca.p12 -file ca.csr",
                "-certreq -alias ca2 -keystore ca2.p12 -file ca2.csr",
                "-certreq -alias leaf -keystore leaf.p12 -file leaf.csr",
                "-exportcert -alias root -keystore root.p12 -rfc -file root.pem");
        String leaf = "-gencert -alias ca -keystore ca.p12 -infile leaf.csr -rfc -ext aia=caIssuers:uri:" + INTERMEDIATE_URL + " ";
        String otherLeaf = "-gencert -alias ca2 -keystore ca2.p12 -infile leaf.csr -rfc -ext aia=caIssuers:uri:"
                + OTHER_INTERMEDIATE_URL + " ";
        parallel(dir,
                "-gencert -alias root -keystore root.p12 -infile ca.csr -outfile ca.pem -rfc -validity 3650 "
                        + "-ext bc:c=ca:true,pathlen:0 -ext ku:c=keyCertSign,cRLSign",
                "-gencert -alias root2 -keystore root2.p12 -infile ca2.csr -outfile ca2.pem -rfc -validity 3650 "
                        + "-ext bc:c=ca:true,pathlen:0 -ext ku:c=keyCertSign,cRLSign -ext aia=caIssuers:uri:" + OTHER_ROOT_URL,
                leaf + "-outfile good.pem -validity 365 -ext san=dns:localhost,ip:127.0.0.1",
                leaf + "-outfile expired.pem -startdate -60d -validity 30 -ext san=dns:localhost,ip:127.0.0.1",
                leaf + "-outfile wrong-host.pem -validity 365 -ext san=dns:wrong-host.test",
                otherLeaf + "-outfile other.pem -validity 365 -ext san=dns:localhost,ip:127.0.0.1",
                otherLeaf + "-outfile other-wrong-host.pem -validity 365 -ext san=dns:wrong-host.test");
        Files.writeString(dir.resolve("complete-v2"), "made by TestPki\n");
        return dir;
    }

    private static void parallel(Path dir, String... commands) {
        List<CompletableFuture<Void>> runs = new ArrayList<>();
        for (String command : commands) {
            runs.add(CompletableFuture.runAsync(() -> keytool(dir, command)));
        }
        runs.forEach(CompletableFuture::join);
    }

    private static void keytool(Path dir, String arguments) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        for (String argument : arguments.split(" ")) {
            command.add(argument.replace('_', ' '));
        }
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit", "-noprompt"));
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("keytool " + arguments + " failed:\n" + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
