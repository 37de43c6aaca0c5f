package org.callbackkit.doctor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.callbackkit.core.diagnose.TransportFailure;

/**
 * Connects over TLS the way a provider's HTTP client does (the JDK's, like curl, validates the
 * chain the server sends and never fetches a missing intermediate, and checks the host name), and
 * when the handshake fails, says why in the words providers' logs use: self-signed, expired,
 * hostname mismatch, missing intermediate certificate, or untrusted root.
 */
final class TlsInspector {

    /** What the handshake showed: the chain the server sent, and the failure if any. */
    record Result(List<X509Certificate> chain, String protocol, Failures.Failure failure) {
        boolean ok() {
            return failure == null;
        }
    }

    /**
     * Fetches the certificate an Authority Information Access "CA Issuers" URL points at (DER or
     * PKCS#7), as a browser would to complete a chain; providers' clients never do.
     */
    @FunctionalInterface
    interface IssuerFetcher {
        /** The certificates at {@code url}; empty when they cannot be had. Never throws. */
        List<X509Certificate> fetch(URI url);
    }

    /** The OID of the Authority Information Access extension, and of its "CA Issuers" access method. */
    private static final String AIA = "1.3.6.1.5.5.7.1.1";
    private static final byte[] CA_ISSUERS = {0x06, 0x08, 0x2B, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x02};

    private final SSLContext context;
    private final RecordingTrustManager trust;
    private final IssuerFetcher issuers;

    private TlsInspector(SSLContext context, RecordingTrustManager trust, IssuerFetcher issuers) {
        this.context = context;
        this.trust = trust;
        this.issuers = issuers;
    }

    /**
     * An inspector trusting the authorities of {@code trustStore}, or the JDK's when null, fetching
     * missing issuers over http(s) within 3 s.
     *
     * @throws IllegalStateException if the JDK's TLS cannot be set up
     */
    static TlsInspector trusting(KeyStore trustStore) {
        return trusting(trustStore, httpFetcher(Duration.ofSeconds(3)));
    }

    /**
     * An inspector trusting the authorities of {@code trustStore}, or the JDK's when null, fetching
     * missing issuers with {@code issuers}.
     *
     * @throws IllegalStateException if the JDK's TLS cannot be set up
     */
    static TlsInspector trusting(KeyStore trustStore, IssuerFetcher issuers) {
        try {
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trustStore);
            X509ExtendedTrustManager delegate = null;
            for (TrustManager manager : factory.getTrustManagers()) {
                if (manager instanceof X509ExtendedTrustManager extended) {
                    delegate = extended;
                }
            }
            if (delegate == null) {
                throw new IllegalStateException("no X509 trust manager");
            }
            RecordingTrustManager recording = new RecordingTrustManager(delegate);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {recording}, null);
            return new TlsInspector(context, recording, issuers);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS cannot be set up: " + e.getMessage(), e);
        }
    }

    /** The context probes use too, so they trust exactly what this inspector trusts. */
    SSLContext context() {
        return context;
    }

    /** Handshakes with {@code host} at {@code address}:{@code port}; never throws for what the server does. */
    Result inspect(String host, InetAddress address, int port, Duration timeout, Instant now) {
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        AtomicReference<List<X509Certificate>> seen = new AtomicReference<>(List.of());
        trust.seen.set(seen);
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(address, port), millis);
            plain.setSoTimeout(millis);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(plain, host, port, false)) {
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                if (!Character.isDigit(host.charAt(0)) && !host.contains(":")) {
                    parameters.setServerNames(List.of(new SNIHostName(host)));
                }
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                return new Result(seen.get(), socket.getSession().getProtocol(), null);
            }
        } catch (IOException | RuntimeException e) {
            Failures.Failure failure = Failures.of(e);
            List<X509Certificate> chain = seen.get();
            if (failure.kind() == TransportFailure.CERTIFICATE || failure.kind() == TransportFailure.TLS_HANDSHAKE) {
                failure = explain(chain, failure, host, now, List.of(trust.getAcceptedIssuers()), issuers);
            }
            return new Result(chain, "", failure);
        } finally {
            trust.seen.remove();
        }
    }

    /**
     * The failure in the words of providers' logs, read off the chain the server sent, checked
     * against the {@code trusted} authorities: expired, hostname mismatch (whatever else is wrong),
     * self-signed, an authority that is not trusted (a private or test CA, the chain complete or
     * not), or a missing intermediate (the issuer, fetched from the certificate's AIA URL as a
     * browser would, leads to a trusted authority).
     */
    static Failures.Failure explain(List<X509Certificate> chain, Failures.Failure failure, String host, Instant now,
            List<X509Certificate> trusted, IssuerFetcher issuers) {
        if (chain.isEmpty()) {
            return failure;
        }
        Date at = Date.from(now);
        for (X509Certificate certificate : chain) {
            if (at.after(certificate.getNotAfter())) {
                return certificate(failure, "certificate has expired: " + subject(certificate) + " expired "
                        + certificate.getNotAfter().toInstant());
            }
            if (at.before(certificate.getNotBefore())) {
                return certificate(failure, "certificate is not yet valid: " + subject(certificate) + " is valid from "
                        + certificate.getNotBefore().toInstant());
            }
        }
        X509Certificate leaf = chain.get(0);
        X509Certificate top = chain.get(chain.size() - 1);
        boolean selfIssued = top.getSubjectX500Principal().equals(top.getIssuerX500Principal());
        String trust = selfIssued || isTrusted(top, trusted) ? trustOfSelfIssued(top, trusted)
                : trustOfIssuer(top, trusted, issuers);
        if (!matches(leaf, host)) {
            return certificate(failure, "hostname mismatch: the certificate is for " + names(leaf) + ", not " + host
                    + (trust.isEmpty() ? "" : "; besides, " + trust));
        }
        if (selfIssued && chain.size() == 1) {
            return certificate(failure, "self-signed certificate: " + subject(leaf) + " is signed by itself, not by a "
                    + "public certificate authority");
        }
        return trust.isEmpty() ? failure : certificate(failure, trust);
    }

    /** Empty when {@code top} is itself trusted; else that the chain ends at an authority not trusted. */
    private static String trustOfSelfIssued(X509Certificate top, List<X509Certificate> trusted) {
        return isTrusted(top, trusted) ? "" : "untrusted authority: the chain the server sent ends at " + subject(top)
                + ", which is not a trusted authority (a private or test CA)";
    }

    /** Whether {@code top}'s issuer, not sent, is trusted, can be fetched and leads to a trusted one, or neither. */
    private static String trustOfIssuer(X509Certificate top, List<X509Certificate> trusted, IssuerFetcher issuers) {
        String issuer = top.getIssuerX500Principal().getName();
        if (trusted.stream().anyMatch(authority -> signed(top, authority))) {
            return ""; // the chain reaches a trusted authority: the failure is something else
        }
        Optional<URI> aia = caIssuersUrl(top);
        List<X509Certificate> fetched = aia.map(issuers::fetch).orElse(List.of());
        for (X509Certificate candidate : fetched) {
            if (signed(top, candidate) && (isTrusted(candidate, trusted)
                    || trusted.stream().anyMatch(authority -> signed(candidate, authority)))) {
                return "unable to get local issuer certificate: the server sent its chain up to " + subject(top)
                        + " without the certificate of its issuer " + issuer + " (a missing intermediate "
                        + "certificate: browsers fetch it from " + aia.get() + ", providers' clients do not)";
            }
        }
        if (!fetched.isEmpty()) {
            X509Certificate found = fetched.get(0);
            boolean root = found.getSubjectX500Principal().equals(found.getIssuerX500Principal());
            return "untrusted authority: the chain leads, through " + aia.get() + ", to " + issuer
                    + (root ? ", a root" : " and on to " + found.getIssuerX500Principal().getName())
                    + " that is not a trusted authority (a private or test CA); serving more of the chain would not help";
        }
        return "untrusted authority: " + subject(top) + " is issued by " + issuer + ", which the server did not send "
                + "and which is not a trusted authority" + (aia.isPresent() ? " (its certificate could not be had from "
                + aia.get() + ")" : "; the certificate names no AIA URL, as public CAs' certificates do, so most likely "
                + "a private or test CA, else a missing intermediate certificate");
    }

    private static boolean isTrusted(X509Certificate certificate, List<X509Certificate> trusted) {
        return trusted.stream().anyMatch(authority -> authority.equals(certificate));
    }

    /** Whether {@code issuer} issued {@code certificate}: its name, and a signature its key verifies. */
    private static boolean signed(X509Certificate certificate, X509Certificate issuer) {
        if (!certificate.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return false;
        }
        try {
            certificate.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** The host name check of RFC 6125 as clients make it: a DNS name (one leading wildcard label) or an IP address. */
    static boolean matches(X509Certificate leaf, String host) {
        String wanted = host.toLowerCase(Locale.ROOT);
        try {
            Collection<List<?>> alternatives = leaf.getSubjectAlternativeNames();
            if (alternatives == null) {
                return false;
            }
            for (List<?> entry : alternatives) {
                String name = String.valueOf(entry.get(1)).toLowerCase(Locale.ROOT);
                int type = (Integer) entry.get(0);
                if (type == 7 && name.equals(wanted)) { // iPAddress
                    return true;
                }
                if (type == 2 && (name.equals(wanted) || name.startsWith("*.") && wanted.indexOf('.') > 0
                        && wanted.substring(wanted.indexOf('.')).equals(name.substring(1)))) {
                    return true;
                }
            }
        } catch (CertificateException e) {
            return false;
        }
        return false;
    }

    /** The "CA Issuers" URL of {@code certificate}'s Authority Information Access extension, if any. */
    static Optional<URI> caIssuersUrl(X509Certificate certificate) {
        byte[] value = certificate.getExtensionValue(AIA);
        if (value == null) {
            return Optional.empty();
        }
        for (int i = 0; i + CA_ISSUERS.length + 2 < value.length; i++) {
            if (Arrays.equals(value, i, i + CA_ISSUERS.length, CA_ISSUERS, 0, CA_ISSUERS.length)
                    && (value[i + CA_ISSUERS.length] & 0xff) == 0x86) { // [6] uniformResourceIdentifier
                int length = value[i + CA_ISSUERS.length + 1] & 0xff;
                int start = i + CA_ISSUERS.length + 2;
                if (length < 0x80 && start + length <= value.length) {
                    try {
                        URI url = URI.create(new String(value, start, length, StandardCharsets.US_ASCII));
                        return "http".equals(url.getScheme()) || "https".equals(url.getScheme()) ? Optional.of(url)
                                : Optional.empty();
                    } catch (IllegalArgumentException e) {
                        return Optional.empty();
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** Fetches an issuer's certificate over http(s) within {@code timeout}, at most 64 KiB. */
    static IssuerFetcher httpFetcher(Duration timeout) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL)
                .build();
        return url -> {
            try {
                HttpResponse<byte[]> answer = client.send(HttpRequest.newBuilder(url).timeout(timeout).GET().build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (answer.statusCode() != 200 || answer.body().length > 64 * 1024) {
                    return List.of();
                }
                return certificates(answer.body());
            } catch (IOException | RuntimeException e) {
                return List.of();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return List.of();
            }
        };
    }

    /** The X.509 certificates in DER, PEM or PKCS#7 {@code bytes}; empty when there are none. */
    static List<X509Certificate> certificates(byte[] bytes) {
        try {
            List<X509Certificate> certificates = new ArrayList<>();
            for (Certificate certificate : CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(bytes))) {
                certificates.add((X509Certificate) certificate);
            }
            return certificates;
        } catch (CertificateException e) {
            return List.of();
        }
    }

    /** One line about a good chain: protocol, leaf, issuer, expiry. */
    static String describe(Result result) {
        if (result.chain().isEmpty()) {
            return result.protocol();
        }
        X509Certificate leaf = result.chain().get(0);
        return result.protocol() + ", certificate for " + names(leaf) + " issued by "
                + leaf.getIssuerX500Principal().getName() + ", valid until " + leaf.getNotAfter().toInstant()
                + "; " + result.chain().size() + (result.chain().size() == 1 ? " certificate" : " certificates")
                + " sent, trusted";
    }

    private static Failures.Failure certificate(Failures.Failure original, String message) {
        return new Failures.Failure(TransportFailure.CERTIFICATE, message + " (" + original.message() + ")");
    }

    private static String subject(X509Certificate certificate) {
        return certificate.getSubjectX500Principal().getName();
    }

    private static String names(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        try {
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                alternatives.forEach(entry -> names.add(String.valueOf(entry.get(1))));
            }
        } catch (CertificateException e) {
            // fall back to the subject
        }
        return names.isEmpty() ? subject(certificate) : names.toString();
    }

    /** Delegates every decision to the real trust manager, remembering the chain the server sent. */
    private static final class RecordingTrustManager extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager delegate;
        private final ThreadLocal<AtomicReference<List<X509Certificate>>> seen = new ThreadLocal<>();

        RecordingTrustManager(X509ExtendedTrustManager delegate) {
            this.delegate = delegate;
        }

        private void record(X509Certificate[] chain) {
            AtomicReference<List<X509Certificate>> sink = seen.get();
            if (sink != null) {
                sink.set(List.of(chain));
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            record(chain);
            delegate.checkServerTrusted(chain, authType, socket);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            record(chain);
            delegate.checkServerTrusted(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            record(chain);
            delegate.checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            delegate.checkClientTrusted(chain, authType, socket);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            delegate.checkClientTrusted(chain, authType, engine);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            delegate.checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
