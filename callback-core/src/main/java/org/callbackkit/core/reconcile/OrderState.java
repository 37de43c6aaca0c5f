package org.callbackkit.core.reconcile;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What the engine knows of one order, kept in the {@link org.callbackkit.core.state.StateStore} under the
 * flow's name and the order's key: whether it is settled, which facts the host was told, and which
 * follow-up calls to the provider are still to make.
 *
 * @param settled whether the order is settled: it is never decided again, so never downgraded
 * @param told the facts the host was told, each once (see {@link Decision#fact()})
 * @param followUps follow-up calls still to make after the settlement, in order, by name, with their argument
 */
public record OrderState(boolean settled, Set<String> told, Map<String, String> followUps) {

    /** The state of an order the engine has not decided yet. */
    public static final OrderState NEW = new OrderState(false, Set.of(), Map.of());

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** @throws NullPointerException if told or followUps is null */
    public OrderState {
        told = Set.copyOf(told);
        followUps = Collections.unmodifiableMap(new LinkedHashMap<>(followUps)); // made in the order asked for
    }

    /** Whether the host was told {@code fact}. */
    public boolean wasTold(String fact) {
        return told.contains(fact);
    }

    /** Settled, and every follow-up made: nothing is left to do for this order. */
    public boolean finished() {
        return settled && followUps.isEmpty();
    }

    OrderState after(Decision<?> decision, boolean toldNow) {
        Set<String> facts = told;
        if (toldNow) {
            facts = new LinkedHashSet<>(told);
            facts.add(decision.fact());
        }
        Map<String, String> pending = followUps;
        if (!decision.followUps().isEmpty()) {
            pending = new LinkedHashMap<>(followUps);
            pending.putAll(decision.followUps());
        }
        return new OrderState(settled || decision.settles(), facts, pending);
    }

    OrderState settledSilently() {
        return new OrderState(true, told, followUps);
    }

    OrderState withoutFollowUp(String name) {
        Map<String, String> pending = new LinkedHashMap<>(followUps);
        pending.remove(name);
        return new OrderState(settled, told, pending);
    }

    String toJson() {
        ObjectNode json = MAPPER.createObjectNode().put("settled", settled);
        told.stream().sorted().forEach(json.putArray("told")::add);
        ObjectNode pending = json.putObject("followUps");
        followUps.forEach(pending::put);
        return json.toString();
    }

    /** @throws IllegalStateException if the stored document is not an order state */
    static OrderState fromJson(String document) {
        try {
            JsonNode json = MAPPER.readTree(Objects.requireNonNull(document, "document"));
            Set<String> told = new LinkedHashSet<>();
            json.path("told").forEach(fact -> told.add(fact.asText()));
            Map<String, String> followUps = new LinkedHashMap<>();
            json.path("followUps").fields().forEachRemaining(entry -> followUps.put(entry.getKey(), entry.getValue().asText()));
            if (!json.path("settled").isBoolean()) {
                throw new IllegalStateException("not an order state: " + document.length() + " characters");
            }
            return new OrderState(json.path("settled").booleanValue(), told, followUps);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the stored order state is not JSON", e);
        }
    }
}
