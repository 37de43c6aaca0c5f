package org.callbackkit.doctor;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import org.callbackkit.core.diagnose.DeliveryAttempt;
import org.callbackkit.core.diagnose.TransportFailure;
import org.callbackkit.core.intake.CallbackEndpoint;
import org.callbackkit.core.intake.CallbackHeaders;
import org.callbackkit.core.intake.CallbackRouter;

/**
 * Sends one probe that looks like the provider: the endpoint's method and content type, the
 * provider's {@code User-Agent}, no {@code Referer}, no cookies, a harmless body, and
 * {@link CallbackRouter#PROBE_HEADER}. Never follows a redirect; bounds the time of the whole
 * exchange and the bytes read.
 */
final class Prober {

    /** What replaces each {@code {name}} segment of an endpoint's path. */
    static final String PATH_VALUE = "callback-kit-probe";
    /** The body of a probe to a JSON endpoint: recognisable, and meaningless as an order. */
    static final String JSON_BODY = "{\"callback_kit_probe\":true}";

    private final HttpClient http;
    private final Duration timeout;
    private final int maxBodyBytes;
    private final Clock clock;

    Prober(SSLContext tls, Duration timeout, int maxBodyBytes, Clock clock) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                .sslContext(tls)
                .build();
        this.timeout = timeout;
        this.maxBodyBytes = maxBodyBytes;
        this.clock = clock;
    }

    /** The URL a probe of {@code endpoint} goes to below {@code mountUrl}. */
    static URI url(URI mountUrl, CallbackEndpoint endpoint) {
        String mount = mountUrl.toString().endsWith("/") ? mountUrl.toString().substring(0, mountUrl.toString().length() - 1)
                : mountUrl.toString();
        return URI.create(mount + endpoint.path().replaceAll("\\{[^}/]+}", PATH_VALUE));
    }

    /**
     * Sends the probe and reads what came back as a delivery attempt; never throws for what the
     * network or the server does.
     *
     * @param attemptNumber 1, or the request's place in a burst
     * @param firstAttemptAt when the first request of a burst was sent
     */
    DeliveryAttempt probe(ProviderProfile provider, CallbackEndpoint endpoint, URI url, String probeId,
            int attemptNumber, Instant firstAttemptAt) {
        String method = endpoint.methods().iterator().next();
        String contentType = endpoint.contentTypes().isEmpty() ? null : endpoint.contentTypes().iterator().next();
        boolean json = contentType != null && contentType.contains("json");
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("User-Agent", provider.userAgent())
                .header(CallbackRouter.PROBE_HEADER, probeId)
                .method(method, method.equals("GET") || method.equals("HEAD") ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json ? JSON_BODY : "", StandardCharsets.UTF_8));
        if (contentType != null) {
            request.header("Content-Type", contentType + (json ? "; charset=utf-8" : ""));
        }
        Instant sent = clock.instant();
        DeliveryAttempt.Builder attempt = DeliveryAttempt.builder(provider.name(), endpoint.kind())
                .attemptedAt(sent)
                .firstAttemptAt(attemptNumber == 1 ? sent : firstAttemptAt)
                .attemptNumber(attemptNumber)
                .url(url)
                .probe(true);
        CompletableFuture<HttpResponse<byte[]>> exchange =
                http.sendAsync(request.build(), info -> new LimitedBody(maxBodyBytes));
        try {
            // the request timeout covers the headers; this bounds the body too
            HttpResponse<byte[]> response = exchange.get(timeout.toMillis() * 2, TimeUnit.MILLISECONDS);
            Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            response.headers().map().forEach((name, values) -> {
                if (!name.startsWith(":")) {
                    headers.computeIfAbsent(name, n -> new ArrayList<>()).addAll(values);
                }
            });
            return attempt.status(response.statusCode())
                    .headers(CallbackHeaders.of(headers))
                    .bodyStart(new String(response.body(), StandardCharsets.UTF_8))
                    .build();
        } catch (InterruptedException e) {
            exchange.cancel(true);
            Thread.currentThread().interrupt();
            return attempt.failure(TransportFailure.OTHER, "interrupted").build();
        } catch (TimeoutException e) {
            exchange.cancel(true);
            return attempt.failure(TransportFailure.TIMEOUT,
                    "no complete answer within " + timeout.toMillis() * 2 + " ms").build();
        } catch (ExecutionException e) {
            Failures.Failure failure = Failures.of(e);
            return attempt.failure(failure.kind(), failure.message()).build();
        }
    }

    /** Collects at most {@code limit} bytes of the body, then stops reading. */
    private static final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final int limit;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        LimitedBody(int limit) {
            this.limit = limit;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                int take = Math.min(buffer.remaining(), limit - bytes.size());
                byte[] chunk = new byte[take];
                buffer.get(chunk);
                bytes.write(chunk, 0, take);
            }
            if (bytes.size() >= limit) {
                subscription.cancel();
                result.complete(bytes.toByteArray());
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable error) {
            result.completeExceptionally(error);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }
    }
}
