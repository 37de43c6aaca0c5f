package org.callbackkit.doctor;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
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

    private final SSLContext context;
    private final RecordingTrustManager trust;

    private TlsInspector(SSLContext context, RecordingTrustManager trust) {
        this.context = context;
        this.trust = trust;
    }

    /**
     * An inspector trusting the authorities of {@code trustStore}, or the JDK's when null.
     *
     * @throws IllegalStateException if the JDK's TLS cannot be set up
     */
    static TlsInspector trusting(KeyStore trustStore) {
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
            return new TlsInspector(context, recording);
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
                failure = explain(chain, failure, host, now);
            }
            return new Result(chain, "", failure);
        } finally {
            trust.seen.remove();
        }
    }

    /** The failure in the words of providers' logs, read off the chain the server sent. */
    static Failures.Failure explain(List<X509Certificate> chain, Failures.Failure failure, String host, Instant now) {
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
        if (failure.message().contains("No subject alternative") || failure.message().contains("No name matching")) {
            return certificate(failure, "hostname mismatch: the certificate is for " + names(leaf) + ", not " + host);
        }
        X509Certificate top = chain.get(chain.size() - 1);
        boolean selfIssued = top.getSubjectX500Principal().equals(top.getIssuerX500Principal());
        if (selfIssued && chain.size() == 1) {
            return certificate(failure, "self-signed certificate: " + subject(leaf) + " is signed by itself, not by a "
                    + "public certificate authority");
        }
        if (selfIssued) {
            return certificate(failure, "untrusted root: the chain the server sent ends at " + subject(top)
                    + ", which is not a trusted authority");
        }
        return certificate(failure, "unable to get local issuer certificate: the server sent " + chain.size()
                + (chain.size() == 1 ? " certificate" : " certificates") + " ending at " + subject(top)
                + " without the certificate of its issuer " + top.getIssuerX500Principal().getName()
                + " (a missing intermediate certificate: providers' clients do not fetch it)");
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
