package org.callbackkit.core.diagnose;

import java.net.URI;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.callbackkit.core.intake.CallbackHeaders;
import org.callbackkit.core.intake.CallbackRouter;

/**
 * What one delivery of a callback saw, as a provider's log or our own probe reports it: either an
 * HTTP answer (status, reason phrase, headers, the start of the body) or a transport failure.
 * Immutable; build with {@link #builder(String, String)}.
 */
public final class DeliveryAttempt {

    /** How much of the body is kept: enough to recognise a block page. */
    public static final int MAX_BODY_START = 4096;

    private final String provider;
    private final String kind;
    private final Instant attemptedAt;
    private final Instant firstAttemptAt;
    private final int attemptNumber;
    private final Integer status;
    private final String reasonPhrase;
    private final CallbackHeaders headers;
    private final String bodyStart;
    private final TransportFailure failure;
    private final String failureMessage;
    private final URI url;
    private final boolean probe;

    private DeliveryAttempt(Builder b) {
        this.provider = b.provider;
        this.kind = b.kind;
        this.attemptedAt = b.attemptedAt;
        this.firstAttemptAt = b.firstAttemptAt == null ? b.attemptedAt : b.firstAttemptAt;
        this.attemptNumber = b.attemptNumber;
        this.status = b.status;
        this.reasonPhrase = b.reasonPhrase;
        this.headers = b.headers;
        this.bodyStart = b.bodyStart.length() > MAX_BODY_START ? b.bodyStart.substring(0, MAX_BODY_START) : b.bodyStart;
        this.failure = b.failure;
        this.failureMessage = b.failureMessage;
        this.url = b.url;
        this.probe = b.probe;
    }

    /** An attempt to deliver {@code provider}'s callback {@code kind}. */
    public static Builder builder(String provider, String kind) {
        return new Builder(provider, kind);
    }

    /** The provider that delivered (or whose delivery was probed). */
    public String provider() {
        return provider;
    }

    /** The callback kind. */
    public String kind() {
        return kind;
    }

    /** When this attempt was made. */
    public Instant attemptedAt() {
        return attemptedAt;
    }

    /** When the first attempt of this delivery was made; this attempt's time if not told. */
    public Instant firstAttemptAt() {
        return firstAttemptAt;
    }

    /** 1 for the first delivery, 2 for the first redelivery, ... */
    public int attemptNumber() {
        return attemptNumber;
    }

    /** The HTTP status, absent when the attempt failed before an answer. */
    public OptionalInt status() {
        return status == null ? OptionalInt.empty() : OptionalInt.of(status);
    }

    /** The reason phrase; empty when none was seen. */
    public String reasonPhrase() {
        return reasonPhrase;
    }

    /** The answer's headers; empty for a transport failure. */
    public CallbackHeaders headers() {
        return headers;
    }

    /** The first {@value #MAX_BODY_START} characters of the answer's body. */
    public String bodyStart() {
        return bodyStart;
    }

    /** The transport failure, absent when an HTTP answer came. */
    public Optional<TransportFailure> failure() {
        return Optional.ofNullable(failure);
    }

    /** The failure's message as the client reported it; empty when none. */
    public String failureMessage() {
        return failureMessage;
    }

    /** The URL the attempt was sent to, when known (it explains redirects). */
    public Optional<URI> url() {
        return Optional.ofNullable(url);
    }

    /**
     * Whether this attempt was a Callback Kit probe (it carried {@link CallbackRouter#PROBE_HEADER}),
     * so that a 2xx that is not the router's probe answer came from something else.
     */
    public boolean probe() {
        return probe;
    }

    @Override
    public String toString() {
        return "DeliveryAttempt[" + provider + "/" + kind + " #" + attemptNumber + " "
                + (status != null ? status + " " + reasonPhrase : failure + " " + failureMessage) + "]";
    }

    /** Builds a {@link DeliveryAttempt}; exactly one of status or failure is required. */
    public static final class Builder {
        private final String provider;
        private final String kind;
        private Instant attemptedAt;
        private Instant firstAttemptAt;
        private int attemptNumber = 1;
        private Integer status;
        private String reasonPhrase = "";
        private CallbackHeaders headers = CallbackHeaders.empty();
        private String bodyStart = "";
        private TransportFailure failure;
        private String failureMessage = "";
        private URI url;
        private boolean probe;

        private Builder(String provider, String kind) {
            this.provider = Objects.requireNonNull(provider, "provider");
            this.kind = Objects.requireNonNull(kind, "kind");
        }

        /** When this attempt was made; required. */
        public Builder attemptedAt(Instant attemptedAt) {
            this.attemptedAt = Objects.requireNonNull(attemptedAt, "attemptedAt");
            return this;
        }

        /** When the first attempt of this delivery was made; default this attempt's time. */
        public Builder firstAttemptAt(Instant firstAttemptAt) {
            this.firstAttemptAt = Objects.requireNonNull(firstAttemptAt, "firstAttemptAt");
            return this;
        }

        /** @throws IllegalArgumentException if &lt; 1 */
        public Builder attemptNumber(int attemptNumber) {
            if (attemptNumber < 1) {
                throw new IllegalArgumentException("attempts are numbered from 1: " + attemptNumber);
            }
            this.attemptNumber = attemptNumber;
            return this;
        }

        /** @throws IllegalArgumentException if not 100..599 */
        public Builder status(int status) {
            if (status < 100 || status > 599) {
                throw new IllegalArgumentException("status must be 100..599: " + status);
            }
            this.status = status;
            return this;
        }

        /** The status line's reason phrase, e.g. "ModSecurity Action". */
        public Builder reasonPhrase(String reasonPhrase) {
            this.reasonPhrase = Objects.requireNonNull(reasonPhrase, "reasonPhrase");
            return this;
        }

        /** The answer's headers. */
        public Builder headers(CallbackHeaders headers) {
            this.headers = Objects.requireNonNull(headers, "headers");
            return this;
        }

        /** The start of the answer's body; longer text is cut. */
        public Builder bodyStart(String bodyStart) {
            this.bodyStart = Objects.requireNonNull(bodyStart, "bodyStart");
            return this;
        }

        /** The transport failure instead of an HTTP answer, with the client's message. */
        public Builder failure(TransportFailure failure, String message) {
            this.failure = Objects.requireNonNull(failure, "failure");
            this.failureMessage = Objects.requireNonNullElse(message, "");
            return this;
        }

        /**
         * The URL the attempt was sent to; lets the classifier explain a redirect.
         *
         * @throws IllegalArgumentException unless an absolute http or https URL
         */
        public Builder url(URI url) {
            Objects.requireNonNull(url, "url");
            if (url.getHost() == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
                throw new IllegalArgumentException("url must be an absolute http(s) URL: " + url);
            }
            this.url = url;
            return this;
        }

        /** Marks the attempt as a Callback Kit probe that carried {@link CallbackRouter#PROBE_HEADER}. */
        public Builder probe(boolean probe) {
            this.probe = probe;
            return this;
        }

        /**
         * @throws IllegalStateException without attemptedAt, or with both or neither of status and failure
         */
        public DeliveryAttempt build() {
            if (attemptedAt == null) {
                throw new IllegalStateException("attemptedAt is required");
            }
            if ((status == null) == (failure == null)) {
                throw new IllegalStateException("exactly one of status and failure is required");
            }
            return new DeliveryAttempt(this);
        }
    }
}
