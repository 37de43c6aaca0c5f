package org.callbackkit.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.callbackkit.avarda.AvardaCallbacks;
import org.callbackkit.avarda.testing.AvardaCallbackRequests;
import org.callbackkit.avarda.testing.AvardaPaymentBuilder;
import org.callbackkit.avarda.testing.FakeAvardaApi;
import org.callbackkit.blockonomics.BlockonomicsCallbacks;
import org.callbackkit.blockonomics.BlockonomicsSecrets;
import org.callbackkit.blockonomics.testing.BlockonomicsCallbackRequests;
import org.callbackkit.core.ProviderApiException;
import org.callbackkit.core.RetrySchedule;
import org.callbackkit.core.intake.CallbackOutcome;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.intake.CallbackServlet;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.core.journal.JournalEntry;
import org.callbackkit.core.journal.JournalQuery;
import org.callbackkit.core.schedule.DeadAction;
import org.callbackkit.core.schedule.SchedulerHealth;
import org.callbackkit.core.testing.FaultPlan;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.core.testing.MutableClock;
import org.callbackkit.ecster.EcsterCallbacks;
import org.callbackkit.ecster.testing.EcsterCallbackRequests;
import org.callbackkit.ecster.testing.EcsterOrderBuilder;
import org.callbackkit.ecster.testing.FakeEcsterApi;
import org.callbackkit.examples.SoakShop.Order;
import org.callbackkit.examples.SoakShop.Provider;
import org.callbackkit.examples.SoakShop.Status;
import org.callbackkit.klarna.KlarnaCallbacks;
import org.callbackkit.klarna.KlarnaEnvironment;
import org.callbackkit.klarna.KlarnaFlavour;
import org.callbackkit.klarna.KlarnaOrder;
import org.callbackkit.klarna.testing.FakeKlarnaOrderManagement;
import org.callbackkit.klarna.testing.KlarnaCallbackRequests;
import org.callbackkit.klarna.testing.KlarnaOrderBuilder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Faults under load. Every provider module on one real {@link CallbackServlet} over embedded Jetty
 * on 127.0.0.1, fed by a bounded pool of HTTP clients: Klarna pushes and fraud notifications,
 * Ecster notifications, Avarda notifications and Blockonomics payment callbacks (status 0, 1 and 2),
 * duplicated, out of order, some before the shop has the order (answered 404 and sent again on
 * the provider's own schedule), with the shopper's browser confirming Klarna, Ecster and Avarda
 * orders while the callbacks' work runs. The fake provider APIs answer 5xx, stall past the
 * clients' read timeout, or drop the connection at random ({@link FaultPlan}); the modules'
 * own retry paths recover.
 *
 * <p>Time is a {@link MutableClock}: the loop fires what is due at each moment concurrently, runs
 * the due delayed actions on two threads at the same time ({@link ManualDelayedActionScheduler}),
 * then moves the clock to the next moment anything is due. Nothing sleeps; a stall costs the
 * clients' read timeout ({@value #READ_TIMEOUT_MILLIS} ms) of real time.
 *
 * <p>At the end: every order was answered 2xx at least once and is paid, reported paid exactly
 * once and never told anything after; Klarna orders confirmed once, acknowledged and referenced;
 * no action pending, running, overdue or dead (above a fault rate of {@value #PLAUSIBLE_DEAD_RATE},
 * an action may use up its 48 h of retries on faults alone: it is reported with its reason, and
 * its order need only not be paid twice); every request journaled once. A line reports the
 * counts. Size and seed come from system properties ({@code soak.orders}, {@code soak.seed},
 * {@code soak.faultRate}, {@code soak.threads}, {@code soak.maxSeconds}); the seed is printed. It
 * replays the plan (orders, callbacks, their times and duplicates, the fault draws); which call
 * draws which fault also depends on how the threads interleave.
 */
class SoakTest {

    /** The article every Klarna order holds. */
    static final String SKU = "soak-sku-1";

    private static final long READ_TIMEOUT_MILLIS = 300;
    private static final Duration READ_TIMEOUT = Duration.ofMillis(READ_TIMEOUT_MILLIS);
    private static final Duration CALLBACK_TIMEOUT = Duration.ofSeconds(10);
    private static final int ACTION_RUNNERS = 2;
    private static final int MAX_STEPS = 200_000;
    /** Every retry window (Klarna 48 h, Ecster and Avarda 48 h, Avarda's 20 resends) ends before this. */
    private static final Duration VIRTUAL_LIMIT = Duration.ofHours(72);
    /** Above this fault rate an action may use up its retries on faults alone; see {@link #givenUpOnFaults()}. */
    private static final double PLAUSIBLE_DEAD_RATE = 0.3;
    /** How the modules' API exceptions describe a timeout, a dropped connection or a 5xx. */
    private static final Pattern API_FAILURE = Pattern.compile("timed out|failed: java\\.io\\.|answered 5\\d\\d");
    private static final String ECSTER_HEADER = "X-Soak-Ecster";
    private static final String ECSTER_HEADER_VALUE = "soak-ecster-shared-header-value";
    private static final String AVARDA_AUTHORIZATION = "Basic c29hay1zaG9wOnNvYWstYXZhcmRh";

    private final long seed = Long.getLong("soak.seed", new Random().nextLong());
    private final int ordersPerProvider = Integer.getInteger("soak.orders", 40);
    private final int clientThreads = Integer.getInteger("soak.threads", 8);
    private final Duration wallLimit = Duration.ofSeconds(Integer.getInteger("soak.maxSeconds", 120));
    private final FaultPlan faults = FaultPlan.evenly(Double.parseDouble(System.getProperty("soak.faultRate", "0.12")));

    private final MutableClock clock = MutableClock.atFixedStart();
    private final Instant start = clock.instant();
    private final CountingScheduler scheduler = new CountingScheduler(new ManualDelayedActionScheduler(clock));
    private final InMemoryCallbackJournal journal = new InMemoryCallbackJournal(1_000_000);
    private final SoakShop shop = new SoakShop();
    private final FakeKlarnaOrderManagement klarnaApi = new FakeKlarnaOrderManagement();
    private final FakeEcsterApi ecsterApi = new FakeEcsterApi();
    private final FakeAvardaApi avardaApi = new FakeAvardaApi().clock(clock);
    private final String blockonomicsSecret = BlockonomicsSecrets.generate();
    private final Timeline timeline = new Timeline();
    private final Counts counts = new Counts();
    private final ExecutorService clients = Executors.newFixedThreadPool(clientThreads, daemon("soak-client"));
    private final ExecutorService runners = Executors.newFixedThreadPool(ACTION_RUNNERS, daemon("soak-actions"));
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CALLBACK_TIMEOUT).build();
    private final Map<String, Boolean> fraudPending = new ConcurrentHashMap<>();

    private KlarnaCallbacks klarna;
    private EcsterCallbacks ecster;
    private AvardaCallbacks avarda;
    private Server server;
    private URI callbacks;

    @BeforeEach
    void wireTheShop() throws Exception {
        klarna = KlarnaCallbacks.builder()
                .environment(KlarnaEnvironment.PLAYGROUND)
                .credentials(klarnaApi.credentials())
                .apiBaseUri(klarnaApi.serve())
                .readTimeout(READ_TIMEOUT)
                .shop(shop)
                .scheduler(scheduler)
                .journal(journal)
                .clock(clock)
                .build();
        ecster = EcsterCallbacks.builder()
                .apiBaseUri(ecsterApi.serve())
                .credentials(ecsterApi.credentials())
                .readTimeout(READ_TIMEOUT)
                .sharedHeader(ECSTER_HEADER, ECSTER_HEADER_VALUE)
                .shop(shop.ecster())
                .scheduler(scheduler)
                .clock(clock)
                .build();
        avarda = AvardaCallbacks.builder()
                .apiBaseUri(avardaApi.serve())
                .credentials(avardaApi.credentials())
                .readTimeout(READ_TIMEOUT)
                .authorization(AVARDA_AUTHORIZATION)
                .shop(shop.avarda())
                .scheduler(scheduler)
                .clock(clock)
                .build();
        BlockonomicsCallbacks blockonomics = BlockonomicsCallbacks.builder()
                .secret(blockonomicsSecret)
                .shop(shop.blockonomics())
                // the plan creates some shop orders late: their payments must be refused and re-sent, not
                // answered 200 as a payment to an address no order uses (the default)
                .refusePaymentsWithoutOrder(true)
                .build();
        CallbackRouter router = CallbackRouter.builder()
                .journal(journal)
                .clock(clock)
                .endpoints(klarna.endpoints())
                .endpoints(ecster.endpoints())
                .endpoints(avarda.endpoints())
                .endpoints(blockonomics.endpoints())
                .build();
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.addServlet(new ServletHolder("callbacks", new CallbackServlet(router)), "/callbacks/*");
        server.setHandler(context);
        server.start();
        callbacks = URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/callbacks");
    }

    @AfterEach
    void stop() throws Exception {
        clients.shutdownNow();
        runners.shutdownNow();
        server.stop();
        klarna.close();
        klarnaApi.close();
        ecsterApi.close();
        avardaApi.close();
        scheduler.close();
    }

    @Test
    void everyCallbackAnswered2xxIsProcessedExactlyOnceWhileTheProviderApisFailAtRandom() throws Exception {
        System.out.printf("soak: seed %d, %d orders per provider, fault rate %.2f (replay: -Dsoak.seed=%d"
                + " -Dsoak.orders=%d)%n", seed, ordersPerProvider, faults.rate(), seed, ordersPerProvider);
        Random plan = new Random(seed);
        klarnaApi.faults(faults, new Random(plan.nextLong()));
        ecsterApi.faults(faults, new Random(plan.nextLong()));
        avardaApi.faults(faults, new Random(plan.nextLong()));
        String run = HexFormat.of().toHexDigits((int) seed);
        for (int i = 0; i < ordersPerProvider; i++) {
            planKlarna("soak-" + run + "-k" + i, plan);
            planEcster("soak" + run + "e" + i, plan);
            planAvarda("soak" + run + "a" + i, plan);
            planBlockonomics("bc1qsoak" + run + "b" + i, plan);
        }

        long started = System.nanoTime();
        drive(started);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);

        String report = report(elapsed);
        System.out.println(report);
        assertThat(problems()).as(report).isEmpty();
        assertThat(counts.sent.get()).as("callbacks sent").isGreaterThanOrEqualTo(4 * ordersPerProvider);
        if (faults.rate() > 0) {
            assertThat(injected().values().stream().mapToInt(Integer::intValue).sum()).as(report).isPositive();
            assertThat(scheduler.retries()).as("the modules' retry paths ran: " + report).isPositive();
        }
    }

    // ---- the plan: what each provider sends, and when ----------------------------------------

    /**
     * A Klarna purchase: pushed soon after (1-4 times, some at once), its browser confirming half
     * the time around the push; a quarter start with fraud status PENDING, turn ACCEPTED later and
     * are notified; a fifth of the shop orders are created only after the first push.
     */
    private void planKlarna(String orderId, Random random) {
        long amount = 10_000 + random.nextInt(90_000);
        boolean pending = random.nextDouble() < 0.25;
        fraudPending.put(orderId, pending);
        klarnaApi.putOrder(KlarnaOrderBuilder.order(orderId).fraudStatus(pending ? "PENDING" : "ACCEPTED")
                .line(SKU, 1, amount).build());
        shop.add(Provider.KLARNA, orderId, amount);
        long purchase = between(random, 0, 120);
        long push = purchase + between(random, 0, 120);
        long created = random.nextDouble() < 0.2 ? push + between(random, 10, 300) : 0;
        timeline.change(at(created), () -> shop.create(orderId));
        KlarnaCallbackRequests requests = new KlarnaCallbackRequests(KlarnaFlavour.KLARNA);
        send(Provider.KLARNA, orderId, requests.push(orderId).build(), KlarnaCallbacks.PUSH_RETRY_SCHEDULE, push, random);
        if (random.nextBoolean()) {
            browser(Math.max(created, push + between(random, -60, 60)), () -> klarna.confirmOrder(orderId));
        }
        if (pending) {
            long decided = push + between(random, 0, 600);
            timeline.change(at(decided), () -> acceptFraudRisk(orderId));
            send(Provider.KLARNA, orderId, requests.notification(orderId, "FRAUD_RISK_ACCEPTED").build(),
                    RetrySchedule.none(), decided + between(random, 0, 120), random);
        }
    }

    /** Klarna decides: the order's fraud status turns ACCEPTED, the references set meanwhile kept. */
    private void acceptFraudRisk(String orderId) {
        ObjectNode json = klarnaApi.order(orderId).orElseThrow().jsonTree();
        klarnaApi.putOrder(KlarnaOrder.parse(json.put("fraud_status", "ACCEPTED").toString()));
    }

    /**
     * An Ecster order: notified while pending, then READY (1-4 times); a third get a late PENDING
     * notification after the READY one; half the browsers confirm around the change; a fifth of
     * the shop orders appear late.
     */
    private void planEcster(String ecsterOrderId, Random random) {
        long amount = 10_000 + random.nextInt(90_000);
        ecsterApi.putOrder(EcsterOrderBuilder.order(ecsterOrderId).status("PENDING_SIGNATURE")
                .line(SKU, "Mug", 1, amount).build());
        shop.add(Provider.ECSTER, ecsterOrderId, amount);
        long created = random.nextDouble() < 0.2 ? between(random, 30, 300) : 0;
        timeline.change(at(created), () -> shop.create(ecsterOrderId));
        EcsterCallbackRequests requests = new EcsterCallbackRequests().sharedHeader(ECSTER_HEADER, ECSTER_HEADER_VALUE);
        long notified = between(random, 0, 120);
        long ready = notified + between(random, 30, 600);
        send(Provider.ECSTER, ecsterOrderId, requests.notification(ecsterOrderId, "PENDING_SIGNATURE"),
                EcsterCallbacks.RETRY_SCHEDULE, notified, random);
        timeline.change(at(ready), () -> ecsterApi.setStatus(ecsterOrderId, "READY"));
        send(Provider.ECSTER, ecsterOrderId, requests.notification(ecsterOrderId, "READY", "FULL_DEBIT"),
                EcsterCallbacks.RETRY_SCHEDULE, ready + between(random, 0, 60), random);
        if (random.nextDouble() < 0.3) {
            send(Provider.ECSTER, ecsterOrderId, requests.notification(ecsterOrderId, "PENDING_SIGNATURE"),
                    EcsterCallbacks.RETRY_SCHEDULE, ready + between(random, 60, 900), random);
        }
        if (random.nextBoolean()) {
            browser(Math.max(created, ready + between(random, -60, 120)), () -> ecster.confirmOrder(ecsterOrderId));
        }
    }

    /**
     * An Avarda purchase: completed at some point, notified 0-10 min later (1-4 times); half the
     * browsers confirm around the completion; a fifth of the shop orders appear late, so that the
     * notification is answered 404 and Avarda sends it again 10 minutes later.
     */
    private void planAvarda(String purchaseId, Random random) {
        long amount = 10_000 + random.nextInt(90_000);
        avardaApi.putPayment(AvardaPaymentBuilder.payment(purchaseId).step("WaitingForSwish")
                .totalPrice(BigDecimal.valueOf(amount, 2).toPlainString()).build());
        shop.add(Provider.AVARDA, purchaseId, amount);
        long created = random.nextDouble() < 0.2 ? between(random, 60, 900) : 0;
        timeline.change(at(created), () -> shop.create(purchaseId));
        long completed = between(random, 0, 300);
        timeline.change(at(completed), () -> avardaApi.setStep(purchaseId, "Completed"));
        send(Provider.AVARDA, purchaseId, new AvardaCallbackRequests().authorization(AVARDA_AUTHORIZATION)
                .completed(purchaseId), AvardaCallbacks.RETRY_SCHEDULE, completed + between(random, 0, 600), random);
        if (random.nextBoolean()) {
            browser(Math.max(created, completed + between(random, -60, 120)), () -> avarda.confirmOrder(purchaseId));
        }
    }

    /**
     * A bitcoin payment: status 0, 1 and 2 (1-4 times each), out of order for a third; a tenth of
     * the shop orders appear late, so that the callbacks are answered 404 and sent again.
     */
    private void planBlockonomics(String address, Random random) {
        long satoshi = 50_000 + random.nextInt(950_000);
        String txid = HexFormat.of().formatHex(longs(random, 4));
        shop.add(Provider.BLOCKONOMICS, address, satoshi);
        long created = random.nextDouble() < 0.1 ? between(random, 0, 120) : 0;
        timeline.change(at(created), () -> shop.create(address));
        List<Long> times = new ArrayList<>();
        times.add(between(random, 0, 300));
        times.add(times.get(0) + between(random, 60, 600));
        times.add(times.get(1) + between(random, 60, 600));
        if (random.nextDouble() < 0.3) {
            Collections.shuffle(times, random);
        }
        BlockonomicsCallbackRequests requests = new BlockonomicsCallbackRequests(blockonomicsSecret);
        send(Provider.BLOCKONOMICS, address, requests.unconfirmed(address, satoshi, txid),
                BlockonomicsCallbacks.RETRY_SCHEDULE, times.get(0), random);
        send(Provider.BLOCKONOMICS, address, requests.partiallyConfirmed(address, satoshi, txid),
                BlockonomicsCallbacks.RETRY_SCHEDULE, times.get(1), random);
        send(Provider.BLOCKONOMICS, address, requests.confirmed(address, satoshi, txid),
                BlockonomicsCallbacks.RETRY_SCHEDULE, times.get(2), random);
    }

    /**
     * One callback, delivered 1 to 4 times: the copies at the same moment (sent at once) or up to
     * five minutes later. Each delivery not answered 2xx is sent again as the provider would.
     */
    private void send(Provider provider, String orderId, CallbackRequest callback, RetrySchedule redelivery,
            long firstSecond, Random random) {
        HttpRequest request = http(callback);
        int copies = 1 + random.nextInt(4);
        counts.duplicatesPlanned.addAndGet(copies - 1);
        for (int copy = 0; copy < copies; copy++) {
            long second = copy == 0 || random.nextBoolean() ? firstSecond : firstSecond + between(random, 10, 300);
            timeline.task(at(second), () -> deliver(new Delivery(provider, orderId, request, redelivery, 1)));
        }
    }

    private void browser(long second, Supplier<?> confirmation) {
        timeline.task(at(second), () -> {
            counts.browser.incrementAndGet();
            try {
                confirmation.get();
            } catch (ProviderApiException e) {
                browserFailed(e, e.retryable());
            }
        });
    }

    /** The return page says "we are processing your order"; the callbacks must finish it. */
    private void browserFailed(RuntimeException e, boolean retryable) {
        assertThat(retryable).as(e.getMessage()).isTrue();
        counts.browserFailed.incrementAndGet();
    }

    private static long between(Random random, long from, long to) {
        return from + (long) (random.nextDouble() * (to - from));
    }

    private static byte[] longs(Random random, int count) {
        byte[] bytes = new byte[8 * count];
        random.nextBytes(bytes);
        return bytes;
    }

    /** A moment {@code second}s after the start, on a 30 s grid, so that many things happen at once. */
    private Instant at(long second) {
        return start.plusSeconds(Math.max(0, second) / 30 * 30);
    }

    private HttpRequest http(CallbackRequest callback) {
        String target = callback.pathAndQuery();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(callbacks + target)).timeout(CALLBACK_TIMEOUT)
                .method(callback.method(), callback.body().length == 0
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(callback.body()));
        callback.headers().asMap().forEach((name, values) -> values.forEach(value -> request.header(name, value)));
        return request.build();
    }

    // ---- the run -----------------------------------------------------------------------------

    /** One delivery of one callback: its provider re-sends it on its schedule unless answered 2xx. */
    private record Delivery(Provider provider, String orderId, HttpRequest request, RetrySchedule redelivery,
            int attempt) {
    }

    private void deliver(Delivery delivery) {
        counts.sent.incrementAndGet();
        int status;
        try {
            status = http.send(delivery.request(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            status = 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        counts.statuses.merge(status, 1, Integer::sum);
        if (status >= 200 && status < 300) {
            counts.answered2xx.add(delivery.orderId());
            return;
        }
        boolean orderNotThereYet = status == 404
                && (delivery.provider() == Provider.AVARDA || delivery.provider() == Provider.BLOCKONOMICS);
        if (!orderNotThereYet) {
            counts.unexpected.add(delivery.provider() + " callback for " + delivery.orderId() + " answered "
                    + (status == 0 ? "nothing" : status));
        }
        Optional<Duration> again = delivery.redelivery().nextAttemptAfter(delivery.attempt());
        if (again.isEmpty()) {
            counts.givenUp.incrementAndGet();
            return;
        }
        counts.redelivered.incrementAndGet();
        Delivery next = new Delivery(delivery.provider(), delivery.orderId(), delivery.request(), delivery.redelivery(),
                delivery.attempt() + 1);
        timeline.task(clock.instant().plus(again.get()), () -> deliver(next));
    }

    /**
     * Runs the timeline: at each moment, the plan's changes one by one, then its callbacks and
     * browser confirmations on the client threads and the due delayed actions on two runner
     * threads, all at once; then the clock moves to the next moment anything is due. Bounded in
     * steps, in the test's time and in real time.
     */
    private void drive(long startedNanos) throws InterruptedException {
        long deadline = startedNanos + wallLimit.toNanos();
        for (int step = 0; ; step++) {
            if (step >= MAX_STEPS || System.nanoTime() > deadline) {
                fail("soak still running after " + step + " steps and " + wallLimit + ": "
                        + report(Duration.ofNanos(System.nanoTime() - startedNanos)));
            }
            Instant now = clock.instant();
            timeline.dueChanges(now).forEach(Runnable::run);
            List<Runnable> due = timeline.dueTasks(now);
            if (due.isEmpty() && !scheduler.hasDue()) {
                Optional<Instant> next = Stream.of(timeline.next(), scheduler.nextDue()).flatMap(Optional::stream)
                        .min(Instant::compareTo);
                if (next.isEmpty()) {
                    return;
                }
                if (next.get().isAfter(start.plus(VIRTUAL_LIMIT))) {
                    fail("work still due after " + VIRTUAL_LIMIT + " of the test's clock, at " + next.get() + ": "
                            + scheduler.pending());
                }
                clock.set(next.get());
                continue;
            }
            List<Future<?>> running = new ArrayList<>();
            due.forEach(task -> running.add(clients.submit(task)));
            for (int i = 0; i < ACTION_RUNNERS; i++) {
                running.add(runners.submit(scheduler::runDue));
            }
            for (Future<?> task : running) {
                try {
                    task.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (ExecutionException e) {
                    throw new AssertionError("a soak task failed at " + now, e.getCause());
                } catch (TimeoutException e) {
                    fail("a soak task was still running at the time bound " + wallLimit + " (moment " + now + ")");
                }
            }
        }
    }

    // ---- the verdict -------------------------------------------------------------------------

    private List<String> problems() {
        List<String> problems = new ArrayList<>(shop.violations());
        Map<String, DeadAction> givenUp = givenUpOnFaults();
        for (Order order : shop.orders()) {
            if (givenUp.containsKey(order.providerId)) {
                if (order.paidReports > 1) {
                    problems.add(order + ": reported paid more than once");
                }
                continue; // its API failed for the whole retry window: unfinished, and rightly so
            }
            if (!counts.answered2xx.contains(order.providerId)) {
                problems.add(order + ": no callback of it was ever answered 2xx");
            }
            if (order.status != Status.PAID || order.paidReports != 1) {
                problems.add(order + ": not paid exactly once");
            }
            if (order.provider == Provider.KLARNA) {
                problems.addAll(klarnaProblems(order));
            }
            if (order.provider == Provider.ECSTER && order.otherReports > 1) {
                problems.add(order + ": PENDING reported " + order.otherReports + " times");
            }
            if (order.provider == Provider.BLOCKONOMICS && order.otherReports > 2) {
                problems.add(order + ": DETECTED reported " + order.otherReports + " times");
            }
        }
        scheduler.dead().stream().filter(action -> !givenUp.containsValue(action)).forEach(action -> problems.add(
                "dead action " + action.action().type() + " " + action.action().key() + " after " + action.attempts()
                        + " attempts: " + action.lastError()));
        SchedulerHealth health = scheduler.health();
        if (!scheduler.pending().isEmpty() || health.running() > 0 || health.overdue() > 0) {
            problems.add("actions left: " + health + " " + scheduler.pending());
        }
        problems.addAll(counts.unexpected);
        long journaled = journalEntries().stream().filter(entry -> !entry.method().equals("ACTION")).count();
        if (journaled != counts.sent.get()) {
            problems.add(counts.sent.get() + " callbacks sent but " + journaled + " journaled");
        }
        return problems;
    }

    /**
     * The dead actions the faults explain, by the order they were for: those that used every
     * attempt of their module's retry schedule (48 h) and failed last on the provider's API (a
     * timeout, a dropped connection, a 5xx). Only with a fault rate above
     * {@value #PLAUSIBLE_DEAD_RATE}: below it even a Klarna push, which needs a read and an
     * acknowledge to succeed in one attempt, fails all of its 18 attempts with a chance of about
     * 1e-5 per order, so a dead action there is a bug and fails the soak.
     */
    private Map<String, DeadAction> givenUpOnFaults() {
        Map<String, DeadAction> givenUp = new HashMap<>();
        if (faults.rate() <= PLAUSIBLE_DEAD_RATE) {
            return givenUp;
        }
        for (DeadAction dead : scheduler.dead()) {
            Map<String, RetrySchedule> retries = Map.of(
                    klarna.pushActionType(), KlarnaCallbacks.ACTION_RETRY_SCHEDULE,
                    klarna.notificationActionType(), KlarnaCallbacks.ACTION_RETRY_SCHEDULE,
                    EcsterCallbacks.ACTION_TYPE, EcsterCallbacks.ACTION_RETRY_SCHEDULE,
                    AvardaCallbacks.ACTION_TYPE, AvardaCallbacks.ACTION_RETRY_SCHEDULE);
            RetrySchedule schedule = retries.get(dead.action().type());
            if (schedule != null && dead.attempts() >= schedule.maxAttempts()
                    && API_FAILURE.matcher(dead.lastError()).find()) {
                givenUp.put(dead.action().key().split("/")[0], dead); // klarna.notification keys are order/event
            }
        }
        return givenUp;
    }

    private List<String> klarnaProblems(Order order) {
        List<String> problems = new ArrayList<>();
        boolean pending = fraudPending.get(order.providerId);
        if (order.confirmations != 1) {
            problems.add(order + ": confirmed " + order.confirmations + " times");
        }
        if (order.fraudDecisions != (pending ? 1 : 0)) {
            problems.add(order + ": " + order.fraudDecisions + " fraud decisions");
        }
        if (!klarna.isAcknowledged(order.providerId) || !klarnaApi.acknowledged().contains(order.providerId)) {
            problems.add(order + ": not acknowledged to Klarna");
        }
        Optional<String> reference = klarnaApi.order(order.providerId).orElseThrow().merchantReference1();
        if (!reference.equals(Optional.of(order.reference))) {
            problems.add(order + ": merchant_reference1 is " + reference);
        }
        return problems;
    }

    private Map<FaultPlan.Fault, Integer> injected() {
        Map<FaultPlan.Fault, Integer> injected = new EnumMap<>(FaultPlan.Fault.class);
        Stream.of(klarnaApi.faultsInjected(), ecsterApi.faultsInjected(), avardaApi.faultsInjected())
                .forEach(each -> each.forEach((fault, howMany) -> injected.merge(fault, howMany, Integer::sum)));
        return injected;
    }

    /** Everything journaled: the callbacks, and the {@code push.completed} entries Klarna's actions write. */
    private List<JournalEntry> journalEntries() {
        return journal.find(JournalQuery.builder().limit(1_000_000).build());
    }

    private String report(Duration elapsed) {
        long duplicates = journalEntries().stream().filter(entry -> entry.outcome() == CallbackOutcome.DUPLICATE).count();
        long paid = shop.orders().stream().filter(order -> order.status == Status.PAID).count();
        Map<FaultPlan.Fault, Integer> injected = injected();
        return String.format("soak seed=%d orders=4x%d callbacks sent=%d answered=%s (duplicates planned %d, journaled"
                        + " DUPLICATE %d, re-sent %d, given up %d) browser confirmations=%d (failed %d)"
                        + " api faults 5xx=%d stall=%d disconnect=%d actions runs=%d (retries %d, ended asking for one %d)"
                        + " effects paid=%d/%d dead=%d (given up on faults %d) test clock +%s elapsed=%.1fs",
                seed, ordersPerProvider, counts.sent.get(), new TreeMap<>(counts.statuses), counts.duplicatesPlanned.get(),
                duplicates, counts.redelivered.get(), counts.givenUp.get(), counts.browser.get(),
                counts.browserFailed.get(), injected.getOrDefault(FaultPlan.Fault.SERVER_ERROR, 0),
                injected.getOrDefault(FaultPlan.Fault.STALL, 0), injected.getOrDefault(FaultPlan.Fault.DISCONNECT, 0),
                scheduler.runs(), scheduler.retries(), scheduler.failedRuns(), paid, shop.orders().size(),
                scheduler.dead().size(), givenUpOnFaults().size(), Duration.between(start, clock.instant()),
                elapsed.toMillis() / 1000.0);
    }

    /** What the run counted, from many threads. */
    private static final class Counts {
        final AtomicInteger sent = new AtomicInteger();
        final Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        final Set<String> answered2xx = ConcurrentHashMap.newKeySet();
        final List<String> unexpected = Collections.synchronizedList(new ArrayList<>());
        final AtomicInteger duplicatesPlanned = new AtomicInteger();
        final AtomicInteger redelivered = new AtomicInteger();
        final AtomicInteger givenUp = new AtomicInteger();
        final AtomicInteger browser = new AtomicInteger();
        final AtomicInteger browserFailed = new AtomicInteger();
    }

    /**
     * What is due when by the test's clock: changes (the shop creating an order, a provider
     * moving one on) run one by one before anything else at their moment; tasks (deliveries,
     * browser confirmations) run at once on the client threads. Thread-safe: deliveries add their
     * re-sends while a step runs.
     */
    private static final class Timeline {
        private final TreeMap<Instant, List<Runnable>> changes = new TreeMap<>();
        private final TreeMap<Instant, List<Runnable>> tasks = new TreeMap<>();

        synchronized void change(Instant at, Runnable change) {
            changes.computeIfAbsent(at, t -> new ArrayList<>()).add(change);
        }

        synchronized void task(Instant at, Runnable task) {
            tasks.computeIfAbsent(at, t -> new ArrayList<>()).add(task);
        }

        synchronized List<Runnable> dueChanges(Instant now) {
            return due(changes, now);
        }

        synchronized List<Runnable> dueTasks(Instant now) {
            return due(tasks, now);
        }

        synchronized Optional<Instant> next() {
            return Stream.of(changes, tasks).filter(map -> !map.isEmpty()).map(TreeMap::firstKey).min(Instant::compareTo);
        }

        private static List<Runnable> due(TreeMap<Instant, List<Runnable>> timeline, Instant now) {
            List<Runnable> due = new ArrayList<>();
            while (!timeline.isEmpty() && !timeline.firstKey().isAfter(now)) {
                due.addAll(timeline.pollFirstEntry().getValue());
            }
            return due;
        }
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
