package org.callbackkit.doctor;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.callbackkit.core.diagnose.TransportFailure;

/** What kind of transport failure an exception of the JDK's HTTP or TLS stack stands for. */
final class Failures {

    private Failures() {
    }

    /** The failure and a message made of the exception chain's messages. */
    record Failure(TransportFailure kind, String message) {
    }

    static Failure of(Throwable thrown) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = thrown; t != null && !chain.contains(t); t = t.getCause()) {
            if (!(t instanceof ExecutionException || t instanceof CompletionException)) {
                chain.add(t);
            }
        }
        return new Failure(kind(chain), message(chain));
    }

    private static TransportFailure kind(List<Throwable> chain) {
        if (any(chain, UnknownHostException.class) || any(chain, UnresolvedAddressException.class)) {
            return TransportFailure.DNS;
        }
        if (any(chain, HttpTimeoutException.class) || any(chain, TimeoutException.class)
                || any(chain, SocketTimeoutException.class)) {
            return TransportFailure.TIMEOUT;
        }
        if (any(chain, SSLHandshakeException.class) || any(chain, SSLException.class)) {
            return any(chain, CertificateException.class) || any(chain, CertPathValidatorException.class)
                    || chain.stream().anyMatch(t -> String.valueOf(t.getMessage()).contains("PKIX"))
                    ? TransportFailure.CERTIFICATE : TransportFailure.TLS_HANDSHAKE;
        }
        if (any(chain, ConnectException.class) || any(chain, NoRouteToHostException.class)) {
            return TransportFailure.CONNECTION_REFUSED;
        }
        return TransportFailure.OTHER;
    }

    private static String message(List<Throwable> chain) {
        List<String> parts = new ArrayList<>();
        for (Throwable t : chain) {
            String text = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (parts.stream().noneMatch(p -> p.contains(text))) {
                parts.add(text);
            }
        }
        return String.join(": ", parts);
    }

    private static boolean any(List<Throwable> chain, Class<? extends Throwable> type) {
        return chain.stream().anyMatch(type::isInstance);
    }
}
