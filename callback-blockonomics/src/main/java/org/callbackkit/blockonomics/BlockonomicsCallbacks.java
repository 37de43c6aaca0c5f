package org.callbackkit.blockonomics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.callbackkit.core.InvalidCallbackException;
import org.callbackkit.core.RetrySchedule;
import org.callbackkit.core.SharedSecret;
import org.callbackkit.core.UnauthenticatedCallbackException;
import org.callbackkit.core.intake.CallbackEndpoint;
import org.callbackkit.core.intake.CallbackOutcome;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.core.intake.CallbackResponse;
import org.callbackkit.core.state.InMemoryStateStore;
import org.callbackkit.core.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes Blockonomics payment callbacks: checks the secret in constant time, parses the query
 * strictly, and applies the payment rules to the host's order exactly once per payment.
 *
 * <pre>{@code
 * BlockonomicsCallbacks blockonomics = BlockonomicsCallbacks.builder()
 *         .secret(secretFromConfig)
 *         .shop(myBlockonomicsShop)          // findOrder by address (or txid), onPayment
 *         .stateStore(store.stateStore())    // the counted payments, shared by every node
 *         .build();
 * CallbackRouter router = CallbackRouter.builder().endpoints(blockonomics.endpoints()).build();
 * String urlToRegister = blockonomics.callbackUrl("https://shop.example/callbacks");
 * }</pre>
 *
 * <p>Answers: 200 for every accepted callback, duplicates included; 403 for a missing or wrong
 * secret (the official plugin answers 200, which hides a misconfigured secret); 400 for a
 * malformed query. A payment the shop knows no order for is answered 200 and journaled
 * {@link CallbackOutcome#NO_ORDER}, as Blockonomics' own plugin answers it: merchants take personal
 * payments to the same wallet, and a red, retried callback for each would alarm them
 * ({@link Builder#refusePaymentsWithoutOrder} answers 404 instead). The work is quick and local, so
 * it is done before answering: a listener failure is answered 500, nothing is recorded, and
 * Blockonomics retries.
 *
 * <p><b>Why not on the reconciliation engine.</b> The other providers' callbacks are signals that
 * the engine turns into one settlement per order, read back from the provider's API. A Blockonomics
 * callback is the payment itself (amount, confirmations, transaction id), authenticated by its
 * secret, so there is nothing to re-read; one order is paid by several transactions whose
 * confirmations accumulate, so it is not settled once but counted per transaction; and the work is
 * quick and local, so it is done before answering. What the engine's guarantee rests on is the same
 * here: each order's payments change inside {@link org.callbackkit.core.state.StateStore#update} of that
 * order ({@link PaymentLedger#in}), atomic on every node sharing the store.
 */
public final class BlockonomicsCallbacks {

    private static final Logger LOG = LoggerFactory.getLogger(BlockonomicsCallbacks.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The provider name journaled. */
    public static final String PROVIDER = "blockonomics";
    /** The callback kind journaled. */
    public static final String KIND = "payment";
    /** Where the endpoint is mounted below the servlet unless told otherwise. */
    public static final String DEFAULT_PATH = "/blockonomics/payment";
    /** The callback kind journaled for an Order Hook callback. */
    public static final String ORDER_HOOK_KIND = "order";
    /** Where the Order Hook endpoint is mounted below the servlet, once {@link Builder#orderHooks} is set, unless told otherwise. */
    public static final String DEFAULT_ORDER_HOOK_PATH = "/blockonomics/order";
    /** The state store scope of the statuses told per Order Hook order. */
    static final String ORDER_HOOK_SCOPE = "blockonomics.order-hook";
    /**
     * How Blockonomics re-sends a callback not answered 200: 7 retries, exponential from 4 s
     * (the exact schedule is not documented; doubling is assumed).
     */
    public static final RetrySchedule RETRY_SCHEDULE =
            RetrySchedule.exponential(Duration.ofSeconds(4), 2.0, Duration.ofHours(1), 8);

    private final String path;
    private final List<SharedSecret> secrets;
    private final String currentSecret;
    private final BlockonomicsShop shop;
    private final PaymentLedger ledger;
    private final PaymentRules rules;
    private final boolean refuseWithoutOrder;
    private final OrderHookListener orderHooks;
    private final String orderHookPath;
    private final StateStore orderHookStore;

    private BlockonomicsCallbacks(Builder builder) {
        this.path = builder.path;
        this.orderHooks = builder.orderHooks;
        this.orderHookPath = builder.orderHookPath;
        this.orderHookStore = builder.store;
        this.currentSecret = builder.secret;
        this.secrets = new ArrayList<>();
        secrets.add(SharedSecret.of(builder.secret));
        if (builder.previousSecret != null) {
            secrets.add(SharedSecret.of(builder.previousSecret));
        }
        this.shop = builder.shop;
        this.ledger = builder.ledger;
        this.rules = new PaymentRules(builder.confirmationsRequired, builder.underpaymentSlackPercent);
        this.refuseWithoutOrder = builder.refuseWithoutOrder;
    }

    /** A builder: the secret, and a shop or order hooks (or both), are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * The endpoints to mount: the payment callback, GET {@value #DEFAULT_PATH}, when a
     * {@linkplain Builder#shop shop} is set, and the Order Hook, GET {@value #DEFAULT_ORDER_HOOK_PATH},
     * when {@linkplain Builder#orderHooks order hooks} are (unless other paths were given).
     */
    public List<CallbackEndpoint> endpoints() {
        List<CallbackEndpoint> endpoints = new ArrayList<>();
        if (shop != null) {
            endpoints.add(endpoint(path).handler(this::handle).build());
        }
        if (orderHooks != null) {
            endpoints.add(orderHookEndpoint(orderHookPath).handler(this::handleOrderHook).build());
        }
        return List.copyOf(endpoints);
    }

    private static CallbackEndpoint.Builder endpoint(String path) {
        return CallbackEndpoint.builder(PROVIDER, KIND)
                .path(path)
                .methods("GET")
                .retrySchedule(RETRY_SCHEDULE)
                .redact("secret")
                .orderReferenceParameter("addr") // a refused payment (a wrong secret) is found by its address
                .orderReferenceParameter("txid")
                .authentication("the secret query parameter of the registered URL, compared in constant time");
    }

    /**
     * Every endpoint the module can mount at its default paths, the payment callback and the Order
     * Hook, readable without building it (for tools such as the doctor): descriptions only, never to
     * be mounted.
     */
    public static List<CallbackEndpoint> describeEndpoints() {
        return List.of(endpoint(DEFAULT_PATH).describe(), orderHookEndpoint(DEFAULT_ORDER_HOOK_PATH).describe());
    }

    private static CallbackEndpoint.Builder orderHookEndpoint(String path) {
        return CallbackEndpoint.builder(PROVIDER, ORDER_HOOK_KIND).path(path).methods("GET")
                .retrySchedule(RETRY_SCHEDULE).redact("secret").orderReferenceParameter("order_id")
                .authentication("the secret query parameter of the Order Hook URL, compared in constant time");
    }

    /**
     * The callback URL to register in the Blockonomics dashboard: {@code mountUrl} (the public URL
     * the callback servlet is mounted at, e.g. {@code https://shop.example/callbacks}) plus the
     * endpoint path and the current secret.
     */
    public String callbackUrl(String mountUrl) {
        return urlWithSecret(mountUrl, path);
    }

    private String urlWithSecret(String mountUrl, String endpointPath) {
        String base = mountUrl.endsWith("/") ? mountUrl.substring(0, mountUrl.length() - 1) : mountUrl;
        return base + endpointPath + "?secret=" + URLEncoder.encode(currentSecret, StandardCharsets.UTF_8);
    }

    /**
     * The Order Hook URL to set in the Blockonomics dashboard (Buttons &amp; Links): {@code mountUrl}
     * plus the Order Hook path and the current secret.
     *
     * @throws IllegalStateException unless {@linkplain Builder#orderHooks order hooks} are set
     */
    public String orderHookUrl(String mountUrl) {
        if (orderHooks == null) {
            throw new IllegalStateException("order hooks are not set: BlockonomicsCallbacks.Builder.orderHooks(listener)");
        }
        return urlWithSecret(mountUrl, orderHookPath);
    }

    /** The ledger in use, to show an order's payments. */
    public PaymentLedger ledger() {
        return ledger;
    }

    private CallbackResponse handle(CallbackRequest request) {
        authenticate(request);
        BlockonomicsCallback callback = BlockonomicsCallbackParser.parse(request);
        if (callback.isTest()) {
            shop.onTestCallback(callback);
            return CallbackResponse.ok().withDetail("test callback from the dashboard; not a payment");
        }
        Optional<ExpectedPayment> expected = shop.findOrder(callback);
        if (expected.isEmpty()) {
            CallbackResponse answer = refuseWithoutOrder ? CallbackResponse.notFound("no order for this payment")
                    : CallbackResponse.ok();
            return answer.withOutcome(CallbackOutcome.NO_ORDER)
                    .withDetail("no order for " + callback.crypto() + " address " + callback.address() + " / tx "
                            + callback.txid())
                    .withOrderReference(callback.address()).withOrderReference(callback.txid());
        }
        ExpectedPayment order = expected.get();
        BlockonomicsCallback payment = order.crypto() == Crypto.BCH && !request.query().containsKey("crypto")
                ? callback.withCrypto(Crypto.BCH)
                : callback;
        AtomicReference<PaymentRules.Decision> decision = new AtomicReference<>();
        ledger.update(order.orderId(), before -> {
            PaymentRules.Decision made = rules.apply(before, payment, order);
            if (made.event() != null) {
                shop.onPayment(made.event());
            }
            decision.set(made);
            return made.payments();
        });
        PaymentRules.Decision made = decision.get();
        if (made.event() != null && made.event().kind() == PaymentEvent.Kind.REVERSED_AFTER_PAID) {
            LOG.warn("Blockonomics order {}: {}", order.orderId(), made.event().description());
        }
        String detail = "order " + order.orderId() + ": " + made.detail();
        return (made.duplicate() ? CallbackResponse.duplicate().withDetail(detail) : CallbackResponse.ok().withDetail(detail))
                .withOrderReference(order.orderId()).withOrderReference(callback.address())
                .withOrderReference(callback.txid());
    }

    /** Tells the listener each status of an order once, recorded under the order's key in the state store. */
    private CallbackResponse handleOrderHook(CallbackRequest request) {
        authenticate(request);
        OrderHookCallback callback = BlockonomicsCallbackParser.parseOrderHook(request);
        boolean[] toldNow = new boolean[1];
        orderHookStore.update(ORDER_HOOK_SCOPE, callback.orderId(), document -> {
            Set<Integer> told = toldStatuses(document);
            if (!told.add(callback.status())) {
                return document.orElseThrow();
            }
            if (callback.state() == OrderHookState.PAYMENT_ERROR && told.contains(2)) {
                LOG.warn("Blockonomics order {} reported a payment error after it was paid: goods may have shipped",
                        callback.orderId());
            }
            orderHooks.onOrderStatus(callback);
            toldNow[0] = true;
            ArrayNode statuses = MAPPER.createObjectNode().putArray("told");
            told.stream().sorted().forEach(statuses::add);
            return MAPPER.createObjectNode().set("told", statuses).toString();
        });
        String detail = "order " + callback.orderId() + " status " + callback.status() + " (" + callback.state() + ")";
        return (toldNow[0] ? CallbackResponse.ok().withDetail(detail + ": told")
                : CallbackResponse.duplicate().withDetail(detail + ": told before"))
                .withOrderReference(callback.orderId());
    }

    private static Set<Integer> toldStatuses(Optional<String> document) {
        Set<Integer> told = new LinkedHashSet<>();
        if (document.isPresent()) {
            try {
                MAPPER.readTree(document.get()).path("told").forEach(status -> told.add(status.asInt()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("the stored Order Hook state is not JSON", e);
            }
        }
        return told;
    }

    /** Compares the given secret with every valid one, in constant time, without stopping early. */
    private void authenticate(CallbackRequest request) {
        List<String> given = request.query().getOrDefault("secret", List.of());
        if (given.isEmpty() || given.get(0).isEmpty()) {
            throw new UnauthenticatedCallbackException("missing secret");
        }
        if (given.size() > 1) {
            throw new InvalidCallbackException("parameter secret given more than once");
        }
        boolean match = false;
        for (SharedSecret secret : secrets) {
            match |= secret.matches(given.get(0));
        }
        if (!match) {
            throw new UnauthenticatedCallbackException("wrong secret");
        }
    }

    /** Builds {@link BlockonomicsCallbacks}; each value is checked as it is set. Not thread-safe. */
    public static final class Builder {
        private String path = DEFAULT_PATH;
        private String secret;
        private String previousSecret;
        private BlockonomicsShop shop;
        private PaymentLedger ledger = new InMemoryPaymentLedger();
        private int confirmationsRequired = 2;
        private BigDecimal underpaymentSlackPercent = BigDecimal.ZERO;
        private boolean refuseWithoutOrder;
        private StateStore store = new InMemoryStateStore();
        private OrderHookListener orderHooks;
        private String orderHookPath = DEFAULT_ORDER_HOOK_PATH;

        private Builder() {
        }

        /**
         * The secret in the registered callback URL. Make a new one with
         * {@link BlockonomicsSecrets#generate()}; a secret the merchant already registered is accepted
         * as it is, whatever its length, so callbacks in flight keep working, with a warning logged
         * (never the secret) when it holds fewer than {@value BlockonomicsSecrets#RECOMMENDED_BITS}
         * bits ({@link BlockonomicsSecrets#estimatedBits}).
         *
         * @throws NullPointerException if {@code secret} is null
         * @throws IllegalArgumentException if it is blank
         */
        public Builder secret(String secret) {
            this.secret = requireSecret(secret);
            return this;
        }

        /**
         * The secret being replaced, still accepted during a change-over: set the new one with
         * {@link #secret(String)}, register its URL with Blockonomics, then drop this. Checked and
         * warned about as {@link #secret(String)} is.
         *
         * @throws NullPointerException if {@code previousSecret} is null
         * @throws IllegalArgumentException if it is blank
         */
        public Builder previousSecret(String previousSecret) {
            this.previousSecret = requireSecret(previousSecret);
            return this;
        }

        /** The path below the servlet's mount point; default {@value BlockonomicsCallbacks#DEFAULT_PATH}. */
        public Builder path(String path) {
            this.path = Objects.requireNonNull(path, "path");
            return this;
        }

        /**
         * Takes the Order Hook callbacks of Blockonomics-managed orders (payment buttons, payment
         * links, hosted checkouts) at {@value BlockonomicsCallbacks#DEFAULT_ORDER_HOOK_PATH} (see
         * {@link #orderHookPath}): each status of each order told to {@code listener} once. Set the
         * dashboard's Order Hook URL to {@link BlockonomicsCallbacks#orderHookUrl}. Default: not mounted.
         */
        public Builder orderHooks(OrderHookListener listener) {
            this.orderHooks = Objects.requireNonNull(listener, "listener");
            return this;
        }

        /** The Order Hook's path below the servlet's mount point; default {@value BlockonomicsCallbacks#DEFAULT_ORDER_HOOK_PATH}. */
        public Builder orderHookPath(String path) {
            this.orderHookPath = Objects.requireNonNull(path, "path");
            return this;
        }

        /**
         * Finds the order a payment is for, and is told what each callback meant; required for the
         * payment callback, which is mounted only with it.
         */
        public Builder shop(BlockonomicsShop shop) {
            this.shop = Objects.requireNonNull(shop, "shop");
            return this;
        }

        /**
         * Where each order's counted payments ({@link PaymentLedger#in}) and the Order Hook statuses
         * told are kept; default in memory, lost on restart. Shops with several nodes or restarts
         * pass the durable store they share. Replaces a {@link #ledger} given before (the last one
         * given wins).
         */
        public Builder stateStore(StateStore store) {
            this.store = Objects.requireNonNull(store, "store");
            this.ledger = PaymentLedger.in(store);
            return this;
        }

        /**
         * The ledger itself, instead of one in a {@linkplain #stateStore state store}: a test's, to
         * inspect. Replaces the ledger of a state store given before (the last one given wins); the
         * Order Hook statuses stay in that store.
         */
        public Builder ledger(PaymentLedger ledger) {
            this.ledger = Objects.requireNonNull(ledger, "ledger");
            return this;
        }

        /**
         * Confirmations a payment needs to count: 0, 1 or 2 (default 2).
         *
         * @throws IllegalArgumentException outside 0..2
         */
        public Builder confirmationsRequired(int confirmations) {
            if (confirmations < 0 || confirmations > 2) {
                throw new IllegalArgumentException("confirmations must be 0, 1 or 2: " + confirmations);
            }
            this.confirmationsRequired = confirmations;
            return this;
        }

        /**
         * How far below the expected amount, in percent, still counts as paid (default 0): exchange
         * rates and wallet fees make exact amounts rare.
         *
         * @throws IllegalArgumentException outside 0..100
         */
        public Builder underpaymentSlackPercent(BigDecimal percent) {
            if (percent.signum() < 0 || percent.compareTo(BigDecimal.valueOf(100)) > 0) {
                throw new IllegalArgumentException("slack must be 0..100 percent: " + percent);
            }
            this.underpaymentSlackPercent = percent;
            return this;
        }

        /**
         * Whether a payment the shop knows no order for is answered 404, so Blockonomics retries it and
         * its dashboard shows it red, instead of 200 (default false). Either way it is journaled
         * {@link CallbackOutcome#NO_ORDER} and never reaches {@link BlockonomicsShop#onPayment}. Refuse
         * when the wallet takes no other payments, so that a lost order shows.
         */
        public Builder refusePaymentsWithoutOrder(boolean refuse) {
            this.refuseWithoutOrder = refuse;
            return this;
        }

        /**
         * Builds the module.
         *
         * @throws IllegalStateException without secret, without both shop and order hooks, or when the previous
         *     secret equals the current one
         */
        public BlockonomicsCallbacks build() {
            if (secret == null) {
                throw new IllegalStateException("secret is required");
            }
            if (shop == null && orderHooks == null) {
                throw new IllegalStateException("shop (for payment callbacks) or orderHooks is required");
            }
            if (secret.equals(previousSecret)) {
                throw new IllegalStateException("previous secret equals the current one");
            }
            return new BlockonomicsCallbacks(this);
        }

        private static String requireSecret(String secret) {
            Objects.requireNonNull(secret, "secret");
            if (secret.isBlank()) {
                throw new IllegalArgumentException("the secret is blank");
            }
            int bits = BlockonomicsSecrets.estimatedBits(secret);
            if (bits < BlockonomicsSecrets.RECOMMENDED_BITS) {
                LOG.warn("The Blockonomics callback secret holds at most {} bits, below the recommended {}: make a new"
                        + " one with BlockonomicsSecrets.generate(), register its callback URL, and keep this one as"
                        + " previousSecret until callbacks use the new one", bits, BlockonomicsSecrets.RECOMMENDED_BITS);
            }
            return secret;
        }
    }
}
