package org.callbackkit.test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.schedule.DelayedActionScheduler;
import org.callbackkit.core.schedule.SchedulerHealth;

/**
 * What {@link HostileInputContract} attacks: a router with a provider module's endpoints, one
 * valid request per endpoint (the sample each hostile request is made from), and the two things
 * that must not move when a hostile request arrives: the count of calls into the host's
 * listeners, and the scheduler (for a module that schedules work).
 *
 * <p>Build one with {@link #builder(CallbackRouter)}; immutable once built.
 */
public final class HostileInputTarget {

    private final CallbackRouter router;
    private final Map<String, CallbackRequest> samples;
    private final LongSupplier listenerCalls;
    private final DelayedActionScheduler scheduler;

    private HostileInputTarget(Builder builder) {
        this.router = builder.router;
        this.samples = Collections.unmodifiableMap(new LinkedHashMap<>(builder.samples)); // in the order given
        this.listenerCalls = builder.listenerCalls;
        this.scheduler = builder.scheduler;
    }

    /** A builder for a target that mounts {@code router} behind a real servlet container. */
    public static Builder builder(CallbackRouter router) {
        return new Builder(router);
    }

    /** The router under attack; its journal is the one checked. */
    public CallbackRouter router() {
        return router;
    }

    /** The valid requests, by name, in the order given. */
    public List<Map.Entry<String, CallbackRequest>> samples() {
        return new ArrayList<>(samples.entrySet());
    }

    long listenerCalls() {
        return listenerCalls.getAsLong();
    }

    /** The scheduler's health, or null for a module that schedules nothing. */
    SchedulerHealth schedulerHealth() {
        return scheduler == null ? null : scheduler.health();
    }

    /** Builds a {@link HostileInputTarget}; not thread-safe. */
    public static final class Builder {
        private final CallbackRouter router;
        private final Map<String, CallbackRequest> samples = new LinkedHashMap<>();
        private LongSupplier listenerCalls;
        private DelayedActionScheduler scheduler;

        private Builder(CallbackRouter router) {
            this.router = Objects.requireNonNull(router, "router");
        }

        /**
         * A request the endpoint at its path accepts with a 2xx, exactly as the provider sends
         * it (path below the router, query, headers including any secret, body). Every hostile
         * request is this one with one thing broken; after each, this one is sent again and must
         * still be accepted, which shows the server stayed healthy.
         *
         * @throws IllegalArgumentException if the name is taken
         */
        public Builder sample(String name, CallbackRequest validRequest) {
            Objects.requireNonNull(validRequest, "validRequest");
            if (samples.putIfAbsent(Objects.requireNonNull(name, "name"), validRequest) != null) {
                throw new IllegalArgumentException("sample " + name + " is already given");
            }
            return this;
        }

        /** How many times the host's listeners (validators, order lookups, payment listeners) were called so far. */
        public Builder listenerCalls(LongSupplier listenerCalls) {
            this.listenerCalls = Objects.requireNonNull(listenerCalls, "listenerCalls");
            return this;
        }

        /**
         * The scheduler the endpoints schedule their delayed work on; its health must not change.
         * Required for a module that schedules work; leave it out for one that answers at once
         * (Blockonomics).
         */
        public Builder scheduler(DelayedActionScheduler scheduler) {
            this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
            return this;
        }

        /**
         * Builds the target.
         *
         * @throws IllegalStateException without a sample or the listener count
         */
        public HostileInputTarget build() {
            if (samples.isEmpty()) {
                throw new IllegalStateException("no sample request: give one per endpoint");
            }
            if (listenerCalls == null) {
                throw new IllegalStateException("listenerCalls is required: it proves the host was not reached");
            }
            return new HostileInputTarget(this);
        }
    }
}
