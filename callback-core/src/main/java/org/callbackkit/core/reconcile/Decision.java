package org.callbackkit.core.reconcile;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a provider's pure {@link OrderFlow#decide} makes of an order: settle it (telling the host
 * once), tell the host a fact once without settling, wait and look again later, give up, or do
 * nothing. The engine carries it out while the order's key is held, and records it.
 *
 * @param <E> the provider's event type, what its host listener is told
 */
public final class Decision<E> {

    /** The kinds of decision, and what the engine does with each. */
    public enum Kind {
        /** Tell the host the event (unless it is empty) and record the order as settled; the action is done. */
        SETTLE,
        /** Tell the host the event once per {@link Decision#fact()}; the order stays open; the action is done. */
        TELL,
        /** Nothing can be decided yet (the shop order is missing, the provider is still deciding): look again later. */
        WAIT,
        /** It will never settle: tell the host once, if there is an event, and keep the action as dead with the reason. */
        GIVE_UP,
        /** Nothing to tell and nothing to wait for; the action is done. */
        NOTHING
    }

    /** The fact recorded when a {@link Kind#SETTLE} decision tells the host. */
    public static final String SETTLED_FACT = "settled";

    private final Kind kind;
    private final E event;
    private final String fact;
    private final String detail;
    private final Map<String, String> followUps;
    private final String providerStatus;

    private Decision(Kind kind, E event, String fact, String detail, Map<String, String> followUps) {
        this(kind, event, fact, detail, followUps, "");
    }

    private Decision(Kind kind, E event, String fact, String detail, Map<String, String> followUps,
            String providerStatus) {
        if (Objects.requireNonNull(detail, "detail").isBlank()) {
            throw new IllegalArgumentException("a decision needs a detail an operator can read");
        }
        this.kind = kind;
        this.event = event;
        this.fact = fact;
        this.detail = detail;
        this.followUps = followUps;
        this.providerStatus = Objects.requireNonNull(providerStatus, "providerStatus");
    }

    /**
     * Settle the order and tell the host {@code event}: at most once per order, on every node that
     * shares the state store.
     *
     * @throws NullPointerException if event or detail is null
     * @throws IllegalArgumentException if detail is blank
     */
    public static <E> Decision<E> settle(E event, String detail) {
        return new Decision<>(Kind.SETTLE, Objects.requireNonNull(event, "event"), SETTLED_FACT, detail, Map.of());
    }

    /**
     * Record the order as settled without telling the host: the shop already has it so. The
     * settlement's outcome is then {@link Settlement.Outcome#ALREADY_SETTLED}.
     *
     * @throws IllegalArgumentException if detail is blank
     */
    public static <E> Decision<E> settleSilently(String detail) {
        return new Decision<>(Kind.SETTLE, null, SETTLED_FACT, detail, Map.of());
    }

    /**
     * Tell the host {@code event} unless it was told {@code fact} before (a cancellation, a fraud
     * decision); the order stays open for later decisions.
     *
     * @throws IllegalArgumentException if fact or detail is blank, or fact is {@value #SETTLED_FACT}
     */
    public static <E> Decision<E> tellOnce(String fact, E event, String detail) {
        return new Decision<>(Kind.TELL, Objects.requireNonNull(event, "event"), requireFact(fact), detail, Map.of());
    }

    /**
     * Nothing to decide yet; the action looks again on the flow's retry schedule, and ends dead
     * with {@code reason} when the schedule is used up.
     *
     * @throws IllegalArgumentException if reason is blank
     */
    public static <E> Decision<E> waitFor(String reason) {
        return new Decision<>(Kind.WAIT, null, null, reason, Map.of());
    }

    /**
     * The order will never settle: the action ends dead with {@code reason} for an operator.
     *
     * @throws IllegalArgumentException if reason is blank
     */
    public static <E> Decision<E> giveUp(String reason) {
        return new Decision<>(Kind.GIVE_UP, null, null, reason, Map.of());
    }

    /**
     * The order will never settle, and the host hears {@code event} once per {@code fact} (an
     * order put on hold for a mismatch); the action ends dead with {@code reason}.
     *
     * @throws IllegalArgumentException if fact or reason is blank, or fact is {@value #SETTLED_FACT}
     */
    public static <E> Decision<E> giveUp(String fact, E event, String reason) {
        return new Decision<>(Kind.GIVE_UP, Objects.requireNonNull(event, "event"), requireFact(fact), reason, Map.of());
    }

    /**
     * The order will not settle as it stands, and the host hears {@code event} every time it is
     * decided so (each redelivery compares again: an order whose difference the shop should see
     * until it is fixed); the action ends dead with {@code reason}.
     *
     * @throws IllegalArgumentException if reason is blank
     */
    public static <E> Decision<E> giveUpTellingEachTime(E event, String reason) {
        return new Decision<>(Kind.GIVE_UP, Objects.requireNonNull(event, "event"), null, reason, Map.of());
    }

    /**
     * Nothing to tell and nothing to wait for (a cancelled order the shop never had).
     *
     * @throws IllegalArgumentException if detail is blank
     */
    public static <E> Decision<E> nothing(String detail) {
        return new Decision<>(Kind.NOTHING, null, null, detail, Map.of());
    }

    /**
     * The same settlement, with a call to the provider to make after it is recorded (acknowledge
     * the order, set the shop's reference): see {@link OrderFlow#followUp}. Each runs once it is
     * committed, while the order's key is held, until it succeeds.
     *
     * @throws IllegalStateException unless this decision settles
     * @throws IllegalArgumentException if name is blank
     */
    public Decision<E> withFollowUp(String name, String argument) {
        if (kind != Kind.SETTLE) {
            throw new IllegalStateException("only a settlement has follow-ups");
        }
        Map<String, String> more = new LinkedHashMap<>(followUps);
        more.put(requireFact(name), Objects.requireNonNull(argument, "argument"));
        return new Decision<>(kind, event, fact, detail, Collections.unmodifiableMap(more), providerStatus);
    }

    /**
     * The same decision, saying the order's status as the provider reported it (Klarna's fraud
     * status, Ecster's status, Avarda's step): the settlement hands it to the shopper's return page.
     *
     * @throws NullPointerException if status is null
     */
    public Decision<E> withProviderStatus(String status) {
        return new Decision<>(kind, event, fact, detail, followUps, status);
    }

    /** What kind of decision. */
    public Kind kind() {
        return kind;
    }

    /** What the host is told, if anything. */
    public Optional<E> event() {
        return Optional.ofNullable(event);
    }

    /** What telling the host is recorded as, so that it is told once; null when nothing is told or it is told each time. */
    public String fact() {
        return fact;
    }

    /** A plain sentence for the operator: what was decided and why. */
    public String detail() {
        return detail;
    }

    /** The order's status as the provider reported it; empty when not said. */
    public String providerStatus() {
        return providerStatus;
    }

    /** The follow-up calls to make after a settlement, in the order they were added, by name. */
    public Map<String, String> followUps() {
        return followUps;
    }

    boolean settles() {
        return kind == Kind.SETTLE;
    }

    @Override
    public String toString() {
        return "Decision[" + kind + (event == null ? "" : " " + event) + ": " + detail + "]";
    }

    private static String requireFact(String fact) {
        if (fact == null || fact.isBlank() || fact.equals(SETTLED_FACT)) {
            throw new IllegalArgumentException("a fact must not be blank or '" + SETTLED_FACT + "': " + fact);
        }
        return fact;
    }
}
