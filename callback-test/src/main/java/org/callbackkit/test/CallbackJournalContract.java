package org.callbackkit.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.callbackkit.core.OrderActivity;
import org.callbackkit.core.intake.CallbackOutcome;
import org.callbackkit.core.journal.CallbackJournal;
import org.callbackkit.core.journal.JournalEntry;
import org.callbackkit.core.journal.JournalQuery;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link CallbackJournal} must have. Extend it and create an empty journal,
 * able to hold at least 10,000 entries, in {@link #createJournal()}.
 */
public abstract class CallbackJournalContract {

    private static final Instant T0 = Instant.parse("2026-11-21T12:00:00Z");

    protected CallbackJournal journal;

    /** An empty journal holding at least 10,000 entries. */
    protected abstract CallbackJournal createJournal();

    @BeforeEach
    void createJournalUnderTest() {
        journal = createJournal();
    }

    /** An entry received {@code second} seconds after a fixed start. */
    protected static JournalEntry entry(String id, int second, String provider, String kind, CallbackOutcome outcome) {
        return new JournalEntry(id, T0.plusSeconds(second), provider, kind, outcome,
                outcome == CallbackOutcome.REJECTED_AUTH ? 403 : 200, Duration.ofMillis(3), "203.0.113.7", "POST",
                "/" + provider + "/" + kind + "/" + id, Map.of("status", List.of("2"), "secret", List.of("***")),
                Map.of("User-Agent", List.of("APIs-Klarna")), 42, "detail " + id);
    }

    @Test
    void keepsEveryFieldOfAnOrdersApiCallsAndActionRuns() {
        OrderActivity call = OrderActivity.apiCall("4711", T0, "klarna", "POST /ordermanagement/v1/orders/{id}/acknowledge",
                204, null, Duration.ofMillis(87).plusNanos(3000));
        OrderActivity failed = OrderActivity.apiCall("4711", T0.plusSeconds(1), "klarna", "GET /ordermanagement/v1/orders/{id}",
                0, "timed out after 10000 ms", Duration.ofSeconds(10));
        OrderActivity run = OrderActivity.actionRun("klarna.push", "4711", T0.plusSeconds(2), 3,
                OrderActivity.ActionRunResult.FAILED, "no shop order yet", Duration.ofMillis(120), T0.plusSeconds(62));
        journal.recordActivity(call);
        journal.recordActivity(failed);
        journal.recordActivity(run);

        assertThat(journal.findActivity("4711", 10)).containsExactly(run, failed, call);
    }

    @Test
    void findsAnOrdersActivityNewestFirstUpToTheLimitAndNoOtherOrders() {
        for (int i = 0; i < 6; i++) {
            journal.recordActivity(OrderActivity.actionRun("ecster.orders", i % 2 == 0 ? "even" : "odd/event-" + i,
                    T0.plusSeconds(i), 1, OrderActivity.ActionRunResult.DONE, "", Duration.ofMillis(i), null));
        }

        assertThat(journal.findActivity("even", 2)).extracting(OrderActivity::at)
                .containsExactly(T0.plusSeconds(4), T0.plusSeconds(2));
        assertThat(journal.findActivity("odd", 10)).extracting(OrderActivity::subject)
                .containsExactly("odd/event-5", "odd/event-3", "odd/event-1");
        assertThat(journal.findActivity("nobody", 10)).isEmpty();
        assertThat(journal.find(JournalQuery.all())).as("activity is no callback").isEmpty();
    }

    @Test
    void anEmptyJournalFindsNothing() {
        assertThat(journal.find(JournalQuery.all())).isEmpty();
    }

    @Test
    void keepsEveryFieldOfAnEntry() {
        JournalEntry entry = entry("e1", 0, "klarna", "push", CallbackOutcome.ACCEPTED);
        journal.record(entry);
        assertThat(journal.find(JournalQuery.all())).containsExactly(entry);
    }

    @Test
    void findsNewestFirstUpToTheLimit() {
        for (int i = 0; i < 10; i++) {
            journal.record(entry("e" + i, i, "klarna", "push", CallbackOutcome.ACCEPTED));
        }
        assertThat(journal.find(JournalQuery.builder().limit(3).build()))
                .extracting(JournalEntry::id).containsExactly("e9", "e8", "e7");
    }

    @Test
    void filtersByProviderKindAndOutcome() {
        journal.record(entry("a", 1, "klarna", "push", CallbackOutcome.ACCEPTED));
        journal.record(entry("b", 2, "klarna", "validation", CallbackOutcome.REJECTED_INPUT));
        journal.record(entry("c", 3, "blockonomics", "payment", CallbackOutcome.REJECTED_AUTH));
        journal.record(entry("d", 4, "klarna", "push", CallbackOutcome.DUPLICATE));

        assertThat(ids(JournalQuery.builder().provider("klarna").build())).containsExactly("d", "b", "a");
        assertThat(ids(JournalQuery.builder().provider("klarna").kind("push").build())).containsExactly("d", "a");
        assertThat(ids(JournalQuery.builder().outcomes(CallbackOutcome.REJECTED_AUTH, CallbackOutcome.REJECTED_INPUT)
                .build())).containsExactly("c", "b");
        assertThat(ids(JournalQuery.builder().provider("avarda").build())).isEmpty();
    }

    @Test
    void filtersByTimeRangeFromInclusiveToExclusive() {
        for (int i = 0; i < 5; i++) {
            journal.record(entry("e" + i, i * 60, "ecster", "notification", CallbackOutcome.ACCEPTED));
        }
        JournalQuery range = JournalQuery.builder().from(T0.plusSeconds(60)).to(T0.plusSeconds(180)).build();
        assertThat(ids(range)).containsExactly("e2", "e1");
    }

    @Test
    void keepsOrderReferencesAndFindsByEach() {
        JournalEntry base = entry("p", 1, "blockonomics", "payment", CallbackOutcome.ACCEPTED);
        JournalEntry payment = new JournalEntry(base.id(), base.receivedAt(), base.provider(), base.kind(), base.outcome(),
                base.status(), base.latency(), base.remoteAddress(), base.method(), base.path(), base.query(),
                base.headers(), base.bodyBytes(), base.detail(), List.of("bc1qaddress", "f00dtx"),
                Map.of("query:secret", "a1b2.0c0ffee0"), new JournalEntry.Answer(Map.of("Content-Type",
                        List.of("application/json")), "{\"error\":\"no order\"}", 20));
        journal.record(payment);
        journal.record(entry("q", 2, "blockonomics", "payment", CallbackOutcome.ACCEPTED)
                .withOrderReferences(List.of("bc1qother")));
        journal.record(entry("r", 3, "klarna", "push", CallbackOutcome.ACCEPTED));

        assertThat(journal.find(JournalQuery.builder().orderReference("f00dtx").build())).containsExactly(payment);
        assertThat(ids(JournalQuery.builder().orderReference("bc1qaddress").build())).containsExactly("p");
        assertThat(ids(JournalQuery.builder().orderReference("bc1q").build())).isEmpty();
        assertThat(journal.find(JournalQuery.builder().id("r").build())).singleElement()
                .satisfies(e -> assertThat(e.orderReferences()).isEmpty());
    }

    @Test
    void pagesWithACursorSeeEveryEntryOnceEvenWithinOneInstant() {
        for (int i = 0; i < 7; i++) {
            journal.record(entry("e" + i, i < 4 ? 0 : i, "klarna", "push", CallbackOutcome.ACCEPTED)); // e0..e3 at once
        }
        List<String> seen = new ArrayList<>();
        JournalQuery.Builder page = JournalQuery.builder().limit(3);
        while (true) {
            List<JournalEntry> found = journal.find(page.build());
            found.forEach(e -> seen.add(e.id()));
            if (found.size() < 3) {
                break;
            }
            page.olderThan(JournalQuery.Cursor.parse(JournalQuery.Cursor.of(found.get(found.size() - 1)).toString()));
        }
        assertThat(seen).containsExactly("e6", "e5", "e4", "e3", "e2", "e1", "e0");
    }

    @Test
    void leavesOutProbesWhenAskedAndFiltersByStatus() {
        journal.record(entry("real", 1, "klarna", "push", CallbackOutcome.ACCEPTED));
        journal.record(new JournalEntry("probe", T0.plusSeconds(2), "klarna", "push", CallbackOutcome.ACCEPTED, 200,
                Duration.ZERO, "", "POST", "/klarna/push", Map.of(), Map.of("x-callback-kit-probe", List.of("p1")), 0,
                "probe (X-Callback-Kit-Probe)"));
        journal.record(entry("refused", 3, "klarna", "push", CallbackOutcome.REJECTED_AUTH));

        assertThat(ids(JournalQuery.all())).containsExactly("refused", "probe", "real");
        assertThat(ids(JournalQuery.builder().probes(false).build())).containsExactly("refused", "real");
        assertThat(ids(JournalQuery.builder().statuses(400, 500).build())).containsExactly("refused");
    }

    @Test
    void recordsFromManyThreadsLoseNothing() throws Exception {
        int threads = 8;
        int perThread = 250;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        journal.record(entry("t" + thread + "-" + i, i, "p", "k", CallbackOutcome.ACCEPTED));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> future : done) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        List<JournalEntry> all = journal.find(JournalQuery.builder().limit(threads * perThread + 10).build());
        Set<String> ids = new HashSet<>();
        all.forEach(e -> ids.add(e.id()));
        assertThat(ids).hasSize(threads * perThread);
    }

    private List<String> ids(JournalQuery query) {
        return journal.find(query).stream().map(JournalEntry::id).toList();
    }
}
