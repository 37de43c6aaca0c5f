package org.callbackkit.test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.callbackkit.core.intake.CallbackOutcome;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.core.intake.CallbackResponse;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.core.journal.JournalEntry;
import org.callbackkit.core.journal.JournalQuery;

/**
 * What a provider module's endpoints promise for any request, however hostile, checked on every
 * dispatch: the oracle of fuzz tests and property tests of provider modules, ours and third
 * parties'. {@link #dispatch(CallbackRequest)} routes the request and throws an
 * {@link AssertionError} saying which promise broke:
 *
 * <ul>
 *   <li>dispatch does not throw;</li>
 *   <li>the status is not 5xx: a 500 means a handler threw on what the request carried (a
 *       provider's documented 503 for a dependency that is down needs a fake that fails, which a
 *       fuzz test does not script);</li>
 *   <li>exactly one journal entry is recorded, with the method, path and status of this dispatch,
 *       and with every value of the {@linkplain Builder#masked secret header or parameter} masked,
 *       whatever became of the request;</li>
 *   <li>a rejection (any 4xx the host's own code did not choose) has a short JSON body
 *       {@code {"error":"..."}} and leaves every {@linkplain Builder#untouchedWhenRejected watched
 *       state} as it was: the host's listener not called, nothing scheduled.</li>
 * </ul>
 *
 * <p>Checks the router's journal by its count of entries recorded, so it holds however many
 * entries the journal keeps.
 */
public final class DispatchInvariants {

    /** The longest error body accepted for a rejection, in bytes. */
    public static final int MAX_ERROR_BODY_BYTES = 256;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String MASK = "***";

    private final CallbackRouter router;
    private final InMemoryCallbackJournal journal;
    private final Map<String, Supplier<?>> watched;
    private final List<String> maskedNames;
    private final BooleanSupplier hostRejected;

    private DispatchInvariants(Builder builder) {
        this.router = builder.router;
        this.journal = builder.journal;
        this.watched = Map.copyOf(builder.watched);
        this.maskedNames = List.copyOf(builder.maskedNames);
        this.hostRejected = builder.hostRejected;
    }

    /**
     * Invariants for dispatches through {@code router}, which records into {@code journal}.
     *
     * @throws IllegalArgumentException if the router records elsewhere
     */
    public static Builder builder(CallbackRouter router, InMemoryCallbackJournal journal) {
        return new Builder(router, journal);
    }

    /**
     * Dispatches {@code request} and checks every invariant on the answer.
     *
     * @return the answer
     * @throws AssertionError naming the first invariant broken
     */
    public CallbackResponse dispatch(CallbackRequest request) {
        Map<String, Object> before = snapshot();
        long recordedBefore = recorded();
        CallbackResponse response;
        try {
            response = router.dispatch(request);
        } catch (Throwable e) {
            throw new AssertionError("dispatch threw on " + request + ": " + e, e);
        }
        long newEntries = recorded() - recordedBefore;
        if (newEntries != 1) {
            throw new AssertionError(newEntries + " journal entries recorded for " + request + ", expected exactly 1");
        }
        JournalEntry entry = journal.find(JournalQuery.builder().limit(1).build()).get(0);
        String context = request + " answered " + response.status() + " (journal: " + entry.outcome() + ", "
                + entry.detail() + ")";
        if (response.status() >= 500) {
            throw new AssertionError("server error for " + context);
        }
        if (entry.status() != response.status() || !entry.method().equals(request.method())
                || !entry.path().equals(request.path())) {
            throw new AssertionError("journal entry " + entry.method() + " " + entry.path() + " " + entry.status()
                    + " does not match " + context);
        }
        for (String name : maskedNames) {
            if (!masked(entry.headers(), name) || !masked(entry.query(), name)) {
                throw new AssertionError("the journal holds " + name + " in clear: " + context);
            }
        }
        if (response.status() >= 400 && !hostRejected.getAsBoolean()) {
            checkRejection(response, context);
            Map<String, Object> after = snapshot();
            before.forEach((what, value) -> {
                if (!Objects.equals(value, after.get(what))) {
                    throw new AssertionError(what + " changed although the request was rejected: " + context
                            + "; before " + value + ", after " + after.get(what));
                }
            });
        }
        return response;
    }

    private static void checkRejection(CallbackResponse response, String context) {
        if (response.outcome() == CallbackOutcome.ACCEPTED || response.outcome() == CallbackOutcome.DUPLICATE) {
            throw new AssertionError("a rejection journaled as " + response.outcome() + ": " + context);
        }
        byte[] body = response.body();
        if (body.length > MAX_ERROR_BODY_BYTES) {
            throw new AssertionError("error body of " + body.length + " bytes: " + context);
        }
        if (!response.contentType().map(type -> type.startsWith("application/json")).orElse(false)) {
            throw new AssertionError("error body is not application/json: " + context);
        }
        JsonNode json;
        try {
            json = MAPPER.readTree(body);
        } catch (IOException e) {
            throw new AssertionError("error body is not JSON: " + context + ": " + response.bodyAsString());
        }
        if (json == null || !json.isObject() || !json.path("error").isTextual() || json.path("error").asText().isBlank()) {
            throw new AssertionError("error body has no \"error\" text: " + context + ": " + response.bodyAsString());
        }
    }

    /** Whether every value of {@code name} (in any case) is the journal's mask. */
    private static boolean masked(Map<String, List<String>> values, String name) {
        return values.entrySet().stream().filter(entry -> entry.getKey().equalsIgnoreCase(name))
                .allMatch(entry -> entry.getValue().stream().allMatch(MASK::equals));
    }

    private long recorded() {
        return journal.size() + journal.evicted();
    }

    private Map<String, Object> snapshot() {
        Map<String, Object> values = new LinkedHashMap<>();
        watched.forEach((what, state) -> values.put(what, state.get()));
        return values;
    }

    /** Builds {@link DispatchInvariants}; not thread-safe. */
    public static final class Builder {
        private final CallbackRouter router;
        private final InMemoryCallbackJournal journal;
        private final Map<String, Supplier<?>> watched = new LinkedHashMap<>();
        private final List<String> maskedNames = new ArrayList<>();
        private BooleanSupplier hostRejected = () -> false;

        private Builder(CallbackRouter router, InMemoryCallbackJournal journal) {
            this.router = Objects.requireNonNull(router, "router");
            this.journal = Objects.requireNonNull(journal, "journal");
            if (router.journal() != journal) {
                throw new IllegalArgumentException("the router records into another journal");
            }
        }

        /**
         * A state a rejected request must leave as it was, compared with {@link Object#equals}
         * before and after: how often the host's listener was called, the scheduler's pending
         * actions, a ledger's content.
         */
        public Builder untouchedWhenRejected(String what, Supplier<?> state) {
            watched.put(Objects.requireNonNull(what, "what"), Objects.requireNonNull(state, "state"));
            return this;
        }

        /**
         * A header or query parameter that carries the provider's secret (a shared header,
         * {@code Authorization}, Blockonomics' {@code secret}): the journal must mask its values,
         * in any case of the name, also when the request missed the endpoint. Only the name is
         * checked, so that the oracle never compares the secret itself, which would teach it to
         * the fuzzer.
         */
        public Builder masked(String name) {
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("a name must not be blank");
            }
            maskedNames.add(name);
            return this;
        }

        /**
         * Says, right after a dispatch, whether the host's own code chose its 4xx answer (Klarna's
         * validator rejecting a purchase answers 400 in Klarna's format, not ours): such an answer
         * is the host's business, not a rejection of the request. Default: never.
         */
        public Builder hostRejected(BooleanSupplier hostRejected) {
            this.hostRejected = Objects.requireNonNull(hostRejected, "hostRejected");
            return this;
        }

        /** Builds the invariants. */
        public DispatchInvariants build() {
            return new DispatchInvariants(this);
        }
    }
}
