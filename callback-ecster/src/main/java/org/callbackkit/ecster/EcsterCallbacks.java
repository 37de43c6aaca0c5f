package org.callbackkit.ecster;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.callbackkit.core.InvalidCallbackException;
import org.callbackkit.core.ProviderApiException;
import org.callbackkit.core.RetrySchedule;
import org.callbackkit.core.SharedSecret;
import org.callbackkit.core.UnauthenticatedCallbackException;
import org.callbackkit.core.UntrustedText;
import org.callbackkit.core.intake.CallbackEndpoint;
import org.callbackkit.core.intake.CallbackJson;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.core.intake.CallbackResponse;
import org.callbackkit.core.reconcile.OrderState;
import org.callbackkit.core.reconcile.ProviderModuleBuilder;
import org.callbackkit.core.reconcile.Reconciler;
import org.callbackkit.core.reconcile.Settlement;

/**
 * Takes Ecster Pay's order event notifications and finishes the shop's order from them, exactly
 * once, also when the shopper paid in another app (Swish, BankID) and never came back.
 *
 * <pre>{@code
 * EcsterCallbacks ecster = EcsterCallbacks.builder()
 *         .environment(EcsterEnvironment.LIVE)
 *         .credentials(new EcsterCredentials(apiKey, merchantKey))
 *         .sharedHeader("X-Shop-Notification", headerValueAgreedWithEcster)   // optional
 *         .shop(myEcsterShop)                 // find by Ecster order id or temporary reference; told of changes
 *         .scheduler(scheduler)
 *         .build();
 * CallbackRouter router = CallbackRouter.builder().endpoints(ecster.endpoints()).build();
 * String notificationUrl = ecster.notificationUrl("https://shop.example/callbacks", cartReference);
 * // on the return page: ecster.confirmOrder(ecsterOrderId)
 * }</pre>
 *
 * <p><b>The notification</b> ({@code POST} JSON {@code orderId}, {@code orderReference},
 * {@code status}, {@code time}, {@code event}) is only a signal. It is answered 200 as soon as a
 * delayed action of type {@value #ACTION_TYPE}, keyed by the Ecster order, is scheduled
 * {@link Builder#processingDelay(Duration) 120 s} later (so that it does not race the shopper's
 * own confirmation); more notifications for that order while it waits are the same action, which
 * reads the latest state. Answers: 200 accepted or already pending; 400 for a body that is not
 * such JSON; 403 for a missing or wrong shared header; 405, 413 and 415 from the router. A
 * scheduler that cannot store the action makes the router answer 503, and Ecster re-sends in 2 h.
 *
 * <p><b>The action</b> and {@link #confirmOrder(String)} run one code path on core's
 * {@link Reconciler}: find the shop's order ({@link EcsterShop}), read Ecster's order from the
 * API, and report the change: paid once per order, on every node sharing the
 * {@link Builder#stateStore state store}, when Ecster's amount and currency are the shop order's
 * (within {@link Builder#amountTolerance}; otherwise on hold, once, with the difference); other
 * statuses once each; a paid order never cancelled or failed afterwards, but told of a partial
 * delivery. Once paid, the shop's order reference is set on Ecster's order
 * ({@link EcsterApi#updateOrderReference}), unless Ecster has it already. API failures that may pass (5xx, 429, timeouts) and a shop
 * order that does not exist yet are retried on {@link #ACTION_RETRY_SCHEDULE}; when the shop order
 * never appears the action ends dead with the reason, unless {@link EcsterShop#createOrder} creates it.
 */
public final class EcsterCallbacks {

    private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}");
    private static final List<String> OPTIONAL_TEXT_FIELDS = List.of("orderReference", "status", "time", "event");

    /** The provider name journaled. */
    public static final String PROVIDER = "ecster";
    /** The callback kind journaled. */
    public static final String KIND = "notification";
    /** Where the endpoint is mounted below the servlet unless told otherwise. */
    public static final String DEFAULT_PATH = "/ecster/notification";
    /** How many minor units Ecster's amount may differ from the shop order's, unless told otherwise. */
    public static final long DEFAULT_AMOUNT_TOLERANCE = 1;
    /** The delayed action type registered on the scheduler. */
    public static final String ACTION_TYPE = "ecster.notification";
    /** The query parameter of the notification URL that carries the shop's temporary reference. */
    public static final String TEMPORARY_REFERENCE_PARAMETER = "temporaryReference";
    /** How long after a notification its order is read, unless told otherwise: 120 s, as the plugin does. */
    public static final Duration DEFAULT_PROCESSING_DELAY = Duration.ofSeconds(120);
    /**
     * How Ecster re-sends a notification not answered 200: 2 hours apart, 24 times (Ecster's
     * "Order Event Notification" documentation; whether 24 counts the first is not said).
     */
    public static final RetrySchedule RETRY_SCHEDULE = RetrySchedule.fixed(Duration.ofHours(2), 24);
    /**
     * How the action retries API failures and a shop order not created yet: soon at first, then
     * every 2 hours for as long as Ecster itself would re-send (48 h).
     */
    public static final RetrySchedule ACTION_RETRY_SCHEDULE = RetrySchedule
            .ofDelays(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(15), Duration.ofMinutes(30),
                    Duration.ofHours(1))
            .thenEvery(Duration.ofHours(2), Duration.ofHours(48));

    private final CallbackEndpoint endpoint;
    private final Reconciler<EcsterOrder, EcsterShopOrder, EcsterOrderState> engine;
    private final String headerName;
    private final SharedSecret headerValue;

    private EcsterCallbacks(Builder builder, String path,
            Reconciler<EcsterOrder, EcsterShopOrder, EcsterOrderState> engine) {
        this.headerName = builder.headerName;
        this.headerValue = builder.headerValue;
        this.engine = engine;
        CallbackEndpoint.Builder endpoint = endpoint(path, headerName).handler(this::handle);
        if (headerName != null) {
            endpoint.redact(headerName);
        }
        this.endpoint = endpoint.build();
    }

    private static CallbackEndpoint.Builder endpoint(String path, String headerName) {
        return CallbackEndpoint.builder(PROVIDER, KIND)
                .path(path)
                .methods("POST")
                .contentTypes("application/json")
                .retrySchedule(RETRY_SCHEDULE)
                .orderReferenceParameter("orderId") // a refused notification is found by its order too
                .authentication((headerName == null ? "none by default (optionally a shared header, compared in"
                        + " constant time)" : "the shared header " + headerName + ", compared in constant time")
                        + "; the order is always re-read from Ecster's API, never taken from the notification");
    }

    /**
     * What the module mounts by default, readable without building it (for tools such as the
     * doctor): descriptions only, never to be mounted.
     */
    public static List<CallbackEndpoint> describeEndpoints() {
        return List.of(endpoint(DEFAULT_PATH, null).describe());
    }

    /** A builder: shop, scheduler, and credentials (with an environment) or an API are required. */
    public static Builder builder() {
        return new Builder();
    }

    /** The endpoint to mount: POST {@value #DEFAULT_PATH} (JSON) unless another path was given. */
    public List<CallbackEndpoint> endpoints() {
        return List.of(endpoint);
    }

    /**
     * The {@code notificationUrl} to give Ecster when creating the cart: {@code mountUrl} (where the
     * callback servlet is mounted, e.g. {@code https://shop.example/callbacks}) plus the endpoint
     * path and, when given, the shop's temporary reference for this cart, which
     * {@link EcsterShop#findByTemporaryReference} receives.
     *
     * @param temporaryReference the shop's reference for the cart, or null
     * @throws IllegalArgumentException unless {@code mountUrl} is an absolute http(s) URL without
     *     query, and the reference (if any) is 1-128 of A-Z, a-z, 0-9, '.', '_', '~', '-'
     */
    public String notificationUrl(String mountUrl, String temporaryReference) {
        String url = endpoint.urlBelow(mountUrl);
        if (temporaryReference == null) {
            return url;
        }
        UntrustedText.requirePathSegmentId(temporaryReference, "temporary reference");
        return url + "?" + TEMPORARY_REFERENCE_PARAMETER + "=" + URLEncoder.encode(temporaryReference, StandardCharsets.UTF_8);
    }

    /**
     * Reads the Ecster order now and applies it to the shop's order, for the shopper's return page:
     * the same code as the notification's delayed action, so whichever comes second finds the work
     * done, on any node sharing the state store. Link the Ecster order id to the shop's order
     * first, so that {@link EcsterShop#findOrder} finds it. When Ecster cannot be read for
     * a reason that may pass, the delayed action is scheduled too.
     *
     * @throws IllegalArgumentException if the id is not an Ecster order id
     * @throws ProviderApiException if Ecster's API cannot be read ({@link ProviderApiException#retryable()} says whether to try again)
     * @throws RuntimeException whatever the shop threw; nothing was recorded then
     */
    public Settlement confirmOrder(String ecsterOrderId) {
        UntrustedText.requirePathSegmentId(ecsterOrderId, "Ecster order id");
        return engine.settle(ecsterOrderId);
    }

    /** What the engine knows of the Ecster order: settled (paid), the statuses reported. */
    public OrderState orderState(String ecsterOrderId) {
        return engine.state(ecsterOrderId);
    }

    // ---- the notification ------------------------------------------------------------------

    private CallbackResponse handle(CallbackRequest request) {
        authenticate(request);
        Notification notification = Notification.parse(request);
        Optional<Instant> runAt = engine.accept(notification.orderId(), temporaryReference(request));
        String detail = "order " + notification.orderId() + " " + notification.describe()
                + runAt.map(at -> ": will be read from Ecster at " + at).orElse(": collapsed into the action already pending");
        return (runAt.isPresent() ? CallbackResponse.ok().withDetail(detail) : CallbackResponse.duplicate().withDetail(detail))
                .withOrderReference(notification.orderId());
    }

    /** The shared header, compared as SHA-256 digests in constant time whatever the lengths. */
    private void authenticate(CallbackRequest request) {
        if (headerName == null) {
            return;
        }
        List<String> given = request.headers().all(headerName);
        if (given.isEmpty()) {
            throw new UnauthenticatedCallbackException("missing " + headerName + " header");
        }
        if (given.size() > 1 || !headerValue.matches(given.get(0))) {
            throw new UnauthenticatedCallbackException("wrong " + headerName + " header");
        }
    }

    private static Optional<String> temporaryReference(CallbackRequest request) {
        List<String> values = request.query().getOrDefault(TEMPORARY_REFERENCE_PARAMETER, List.of());
        if (values.isEmpty()) {
            return Optional.empty();
        }
        if (values.size() > 1 || !UntrustedText.isPathSegmentId(values.get(0))) {
            throw new InvalidCallbackException(TEMPORARY_REFERENCE_PARAMETER + " is malformed");
        }
        return Optional.of(values.get(0));
    }

    /** What the notification said; only the order id is acted on, the rest is for the journal. */
    private record Notification(String orderId, String status, String event) {

        static Notification parse(CallbackRequest request) {
            JsonNode body = CallbackJson.readObject(request);
            JsonNode orderId = body.get("orderId");
            if (orderId == null || orderId.isNull()) {
                throw new InvalidCallbackException("orderId is missing");
            }
            if (!orderId.isTextual() || !UntrustedText.isPathSegmentId(orderId.textValue())) {
                throw new InvalidCallbackException("orderId must be an Ecster order id string");
            }
            for (String field : OPTIONAL_TEXT_FIELDS) {
                JsonNode value = body.get(field);
                if (value != null && !value.isNull() && !value.isTextual()) {
                    throw new InvalidCallbackException(field + " must be a string");
                }
            }
            return new Notification(orderId.textValue(), CallbackJson.text(body, "status"), CallbackJson.text(body, "event"));
        }

        String describe() {
            return "(status " + (status.isEmpty() ? "-" : UntrustedText.printable(status)) + ", event "
                    + (event.isEmpty() ? "-" : UntrustedText.printable(event)) + ")";
        }
    }

    /** Builds {@link EcsterCallbacks}; each value is checked as it is set. Not thread-safe. */
    public static final class Builder
            extends ProviderModuleBuilder<Builder, EcsterApi, EcsterEnvironment, EcsterCredentials, EcsterShop> {
        private String headerName;
        private SharedSecret headerValue;
        private long amountTolerance = DEFAULT_AMOUNT_TOLERANCE;

        private Builder() {
            super(PROVIDER, KIND, DEFAULT_PATH, DEFAULT_PROCESSING_DELAY);
        }

        /**
         * The custom header Ecster is configured to send with each notification, and its value;
         * compared in constant time, a mismatch answered 403. The value is a secret: keep it in
         * configuration, make it long and random. Default: no check.
         *
         * @throws IllegalArgumentException if the name is not an HTTP header name or the value is blank
         */
        public Builder sharedHeader(String name, String value) {
            if (name == null || !HEADER_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("not an HTTP header name: " + name);
            }
            this.headerValue = SharedSecret.of(value);
            this.headerName = name;
            return this;
        }

        /**
         * How far Ecster's order amount may be from the shop order's before the order is put on hold
         * instead of paid, in minor units; default {@value EcsterCallbacks#DEFAULT_AMOUNT_TOLERANCE}
         * (rounding of VAT per row). The currency must always be the same.
         *
         * @throws IllegalArgumentException if negative
         */
        public Builder amountTolerance(long minorUnits) {
            if (minorUnits < 0) {
                throw new IllegalArgumentException("amount tolerance must not be negative: " + minorUnits);
            }
            this.amountTolerance = minorUnits;
            return this;
        }

        /**
         * Builds the module and registers {@value EcsterCallbacks#ACTION_TYPE} on the scheduler.
         *
         * @throws IllegalStateException without shop or scheduler; without credentials when no API is
         *     given, or credentials without an environment or base URI; with an API and HTTP settings
         *     it would ignore; or when the scheduler already has the action type
         */
        public EcsterCallbacks build() {
            EcsterApi api = api(environment() == null ? null : environment().baseUri(),
                    "environment is required: LABS or LIVE", http -> new EcsterHttpApi(http, credentials()));
            return new EcsterCallbacks(this, path(), reconciler(new EcsterFlow(api, shop(), amountTolerance),
                    ACTION_RETRY_SCHEDULE));
        }
    }
}
