package org.callbackkit.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.callbackkit.core.ProviderApiException;
import org.callbackkit.core.intake.CallbackOutcome;
import org.callbackkit.core.intake.CallbackResponse;
import org.callbackkit.core.state.InMemoryStateStore;
import org.callbackkit.core.state.StateStore;
import org.callbackkit.core.testing.DeliveryTarget;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.core.testing.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every provider module promises about delivery, run against its {@link DeliveryTarget}:
 * duplicates, sequential and concurrent, are one payment; deliveries in any order settle each
 * order once; the shopper's browser racing the callback pays once; a provider API that fails and
 * then answers settles; a shop order that never appears ends with a reason an operator can read;
 * a settled order is never downgraded. Extend it and build the module in {@link #createTarget}:
 *
 * <pre>{@code
 * class EcsterDeliveryTest extends ProviderDeliveryContract {
 *     protected DeliveryTarget createTarget(StateStore store, ManualDelayedActionScheduler scheduler) {
 *         return new EcsterDeliveryTarget(store, scheduler);
 *     }
 * }
 * }</pre>
 *
 * Override {@link #stateStore()} to run the same checks on a durable store. Time is the manual
 * scheduler's clock: nothing sleeps.
 */
public abstract class ProviderDeliveryContract {

    private static final String ORDER = "order0001";
    private static final String OTHER = "order0002";

    /** The scheduler the module runs on; its clock is the test's. */
    protected final ManualDelayedActionScheduler scheduler = new ManualDelayedActionScheduler(
            MutableClock.atFixedStart());
    private DeliveryTarget target;

    /** The module under test on {@code store} and {@code scheduler}. */
    protected abstract DeliveryTarget createTarget(StateStore store, ManualDelayedActionScheduler scheduler);

    /** The store each test runs on; default a new in-memory one. Called once per test. */
    protected StateStore stateStore() {
        return new InMemoryStateStore();
    }

    @BeforeEach
    void target() {
        target = createTarget(stateStore(), scheduler);
    }

    private CallbackResponse deliver(String orderId) {
        return target.router().dispatch(target.paidCallback(orderId));
    }

    /** Runs the delayed work, retries included, until nothing is pending (at most two days of provider time). */
    private void runTheWork() {
        for (int i = 0; i < 200 && !scheduler.pending().isEmpty(); i++) {
            scheduler.tick(Duration.ofMinutes(30));
        }
    }

    private void paidInShopAndAtProvider(String orderId) {
        target.shopHasOrder(orderId);
        target.providerHasPaid(orderId);
    }

    @Test
    void aHundredDuplicateDeliveriesInARowAreOnePayment() {
        paidInShopAndAtProvider(ORDER);

        for (int i = 0; i < 100; i++) {
            assertThat(deliver(ORDER).status()).as("delivery %d", i).isEqualTo(200);
        }
        runTheWork();
        for (int i = 0; i < 100; i++) {
            assertThat(deliver(ORDER).status()).as("redelivery %d", i).isEqualTo(200);
        }
        runTheWork();

        assertThat(target.timesPaid(ORDER)).isEqualTo(1);
        assertThat(scheduler.dead()).isEmpty();
    }

    @Test
    void aHundredConcurrentDeliveriesAreOnePayment() throws Exception {
        paidInShopAndAtProvider(ORDER);

        List<Integer> statuses = onManyThreads(100, () -> deliver(ORDER).status());
        runTheWork();
        statuses.addAll(onManyThreads(100, () -> deliver(ORDER).status()));

        assertThat(statuses).containsOnly(200);
        runTheWork();
        assertThat(target.timesPaid(ORDER)).isEqualTo(1);
    }

    @Test
    void deliveriesOutOfOrderSettleEachOrderOnce() {
        target.providerHasPaid(ORDER);
        target.providerHasPaid(OTHER);
        target.shopHasOrder(OTHER);

        deliver(ORDER); // before the shop has the order
        deliver(OTHER);
        runTheWork();
        target.shopHasOrder(ORDER); // the shop's order appears late
        deliver(OTHER); // an old one again
        deliver(ORDER);
        runTheWork();
        target.confirm(OTHER);
        deliver(ORDER);
        runTheWork();

        assertThat(target.timesPaid(ORDER)).isEqualTo(1);
        assertThat(target.timesPaid(OTHER)).isEqualTo(1);
    }

    @Test
    void theBrowserRacingTheCallbackOnManyThreadsPaysOnce() throws Exception {
        paidInShopAndAtProvider(ORDER);
        deliver(ORDER);
        scheduler.clock().advance(Duration.ofHours(1)); // the work is due

        List<Object> results = onManyThreads(16, () -> {
            if (Thread.currentThread().getName().endsWith("-1")) {
                return scheduler.runDue();
            }
            return target.confirm(ORDER);
        });
        runTheWork();

        assertThat(results).hasSize(16);
        assertThat(target.timesPaid(ORDER)).isEqualTo(1);
        assertThat(target.confirm(ORDER).settled()).isTrue();
    }

    @Test
    void aProviderApiThatFailsAndThenAnswersSettlesTheOrder() {
        paidInShopAndAtProvider(ORDER);
        target.providerFailsNext(503);

        assertThat(deliver(ORDER).status()).isEqualTo(200);
        runTheWork();

        assertThat(target.timesPaid(ORDER)).isEqualTo(1);
        assertThat(scheduler.dead()).isEmpty();
    }

    @Test
    void theBrowserThatMeetsAFailingApiLeavesTheWorkToTheBackground() {
        paidInShopAndAtProvider(ORDER);
        target.providerFailsNext(503);

        try {
            assertThat(target.confirm(ORDER).settled()).as("a module that retries by itself settles at once").isTrue();
        } catch (ProviderApiException e) {
            assertThat(e.retryable()).as("a failure that may pass is said to be one").isTrue();
            assertThat(target.timesPaid(ORDER)).as("not paid before the provider answered").isZero();
        }
        runTheWork();

        assertThat(target.timesPaid(ORDER)).isEqualTo(1);
    }

    @Test
    void aShopOrderThatNeverAppearsEndsWithAReasonAnOperatorCanRead() {
        target.providerHasPaid(ORDER);

        CallbackResponse first = deliver(ORDER);
        runTheWork();

        assertThat(target.timesPaid(ORDER)).isZero();
        if (first.status() == 200) {
            assertThat(scheduler.dead()).as("the work gives up with a reason").singleElement()
                    .satisfies(dead -> assertThat(dead.lastError()).isNotBlank().contains(ORDER));
        } else {
            assertThat(first.status()).as("or the callback is refused, for the provider to retry").isEqualTo(404);
            assertThat(first.outcome()).isEqualTo(CallbackOutcome.REJECTED_INPUT);
            assertThat(first.detail()).contains(ORDER);
        }
    }

    @Test
    void aSettledOrderIsNeverDowngraded() {
        paidInShopAndAtProvider(ORDER);
        deliver(ORDER);
        runTheWork();

        target.providerHasCancelled(ORDER);
        deliver(ORDER);
        runTheWork();
        assertThat(target.confirm(ORDER).settled()).isTrue();

        assertThat(target.timesPaid(ORDER)).isEqualTo(1);
        assertThat(target.otherNews(ORDER)).isEmpty();
    }

    /** Runs {@code work} {@code times} times at once, threads named {@code ...-1} to {@code ...-times}. */
    private static <T> List<T> onManyThreads(int times, java.util.concurrent.Callable<T> work) throws Exception {
        int[] names = {0};
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(times, 16),
                runnable -> new Thread(runnable, "delivery-" + ++names[0]));
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < times; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return work.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
