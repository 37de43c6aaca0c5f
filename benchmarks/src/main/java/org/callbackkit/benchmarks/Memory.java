package org.callbackkit.benchmarks;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.core.schedule.DelayedAction;
import org.callbackkit.core.schedule.InMemoryDelayedActionScheduler;
import org.callbackkit.core.state.InMemoryStateStore;
import org.callbackkit.klarna.KlarnaFlavour;
import org.callbackkit.klarna.testing.KlarnaCallbackRequests;

/**
 * Benchmark 5: retained heap per pending action in the in-memory scheduler and per entry of the
 * in-memory journal, measured as the used heap after full collections before and after filling
 * them (the objects are kept reachable until the second measurement). Actions are Klarna push
 * actions as the module schedules them ({@code klarna.push}, a 36-character order id, payload
 * {@code {}}); journal entries are the ones the router writes for real Klarna pushes. Writes the
 * {@code memory} section of RESULTS.md.
 *
 * <p>System property {@code count} (default 100,000).
 */
public final class Memory {

    private Memory() {
    }

    /** Measures both and writes the {@code memory} section. */
    public static void main(String[] args) throws Exception {
        int count = Results.intProperty("count", 100_000);
        Instant later = Instant.now().plus(Duration.ofDays(1));

        InMemoryDelayedActionScheduler scheduler = InMemoryDelayedActionScheduler.builder().threads(0).build();
        scheduler.register("klarna.push", context -> org.callbackkit.core.schedule.ActionResult.done());
        long before = usedAfterGc();
        for (int i = 0; i < count; i++) {
            scheduler.schedule(new DelayedAction("klarna.push", orderId(i), "{}", later));
        }
        long perAction = (usedAfterGc() - before) / count;
        int pending = scheduler.pending().size();
        scheduler.close();

        InMemoryCallbackJournal journal = new InMemoryCallbackJournal(count);
        InMemoryDelayedActionScheduler pushes = InMemoryDelayedActionScheduler.builder().threads(0).build();
        long perEntry;
        int entries;
        try (BenchShop shop = new BenchShop(journal, pushes, new InMemoryStateStore())) {
            KlarnaCallbackRequests requests = new KlarnaCallbackRequests(KlarnaFlavour.KLARNA);
            shop.router().dispatch(requests.push(orderId(-1)).build()); // first use: classes, caches
            long beforeJournal = usedAfterGc();
            for (int i = 0; i < count; i++) {
                shop.router().dispatch(requests.push(orderId(i)).build());
            }
            // each push also left a pending action: subtract its weight, measured above
            perEntry = (usedAfterGc() - beforeJournal) / count - perAction;
            entries = journal.size();
        }
        pushes.close();
        Results.write("memory", "5. Memory: heap per pending action and per journal entry",
                Results.command(Memory.class),
                String.format(Locale.ROOT, """
                        Retained heap, from `MemoryMXBean` used heap after `System.gc()` (repeated until stable)
                        before and after filling, divided by the count; the JVM's default collector and
                        compressed pointers. A journal entry is what the router records for a real Klarna push
                        (`KlarnaCallbackRequests.push`, dispatched through `CallbackRouter`); the pending action
                        each push also leaves is subtracted.

                        | what | count | bytes each |
                        |---|---:|---:|
                        | pending action, in-memory scheduler (`klarna.push`, 36-char key, payload `{}`) | %,d | %,d |
                        | journal entry, in-memory journal, Klarna push | %,d | %,d |

                        So 100,000 pending actions take about %,d MiB, and a full default journal ring
                        (%,d entries) about %,d MiB.
                        """, pending, perAction, entries, perEntry, perAction * 100_000 / (1024 * 1024),
                        InMemoryCallbackJournal.DEFAULT_CAPACITY,
                        perEntry * InMemoryCallbackJournal.DEFAULT_CAPACITY / (1024 * 1024)));
    }

    private static String orderId(int i) {
        return String.format(Locale.ROOT, "%08x-5001-4d6a-9c1e-%012d", i, (long) i);
    }

    private static long usedAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(50);
            long now = memory.getHeapMemoryUsage().getUsed();
            if (Math.abs(now - used) < 64 * 1024) {
                return now;
            }
            used = now;
        }
        return used;
    }
}
