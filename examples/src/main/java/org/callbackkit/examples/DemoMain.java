package org.callbackkit.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Runs the demo: starts a {@link DemoShop}, drives callbacks at it over HTTP with
 * {@link DemoDriver}, prints what happened, then runs the callback doctor against the shop with
 * nothing in front of it and behind each {@link SimulatedFirewall}, and stops the shop. Exits
 * with status 1 if a scenario did not get the expected answer.
 *
 * <pre>
 * DemoMain [--port N] [--durable]     run the demo once (default port 0, an ephemeral one)
 * DemoMain --serve [--port N] [--durable] [--payment-delay SECONDS] [--firewall MODE]
 *                                     only serve the shop (default port 8080) until Ctrl-C, behind
 *                                     none, modsecurity, wordfence, cloudflare or catch-all
 * </pre>
 *
 * With {@code --durable} the journal and the delayed actions are kept in the SQLite file
 * {@value #DURABLE_FILE} (callback-jdbc). Run once, the demo starts from an empty
 * file, then also stops the shop while a payment's action is pending and starts it again to show
 * the action run after the restart. Served, the file is kept: stop the shop while an action is
 * pending (a long {@code --payment-delay} helps) and start it again to see the action resume.
 */
public final class DemoMain {

    /** Where {@code --durable} keeps the shop's journal and delayed actions. */
    static final String DURABLE_FILE = "demo-data/shop.db";

    private DemoMain() {
    }

    public static void main(String[] args) throws Exception {
        Integer port = null;
        boolean serve = false;
        Path durable = null;
        Duration paymentDelay = DemoShop.DEFAULT_PAYMENT_DELAY;
        SimulatedFirewall.Mode firewall = SimulatedFirewall.Mode.NONE;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--serve" -> serve = true;
                case "--durable" -> durable = Path.of(DURABLE_FILE);
                case "--port" -> port = Integer.valueOf(value(args, i++));
                case "--payment-delay" -> paymentDelay = Duration.ofSeconds(Long.parseLong(value(args, i++)));
                case "--firewall" -> firewall = SimulatedFirewall.Mode.parse(value(args, i++));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: DemoMain [--serve] [--port N] [--durable] [--payment-delay SECONDS]"
                        + " [--firewall none|modsecurity|wordfence|cloudflare|catch-all]");
            }
        }
        if (serve) {
            serve(port == null ? 8080 : port, durable, paymentDelay, firewall);
        } else if (!runDemo(port == null ? 0 : port, System.out, durable)) {
            System.exit(1);
        }
    }

    private static String value(String[] args, int i) {
        if (i + 1 == args.length) {
            throw new IllegalArgumentException(args[i] + " needs a value");
        }
        return args[i + 1];
    }

    /** Starts a shop, runs the driver against it, stops the shop; true if every scenario passed. */
    static boolean runDemo(int port, PrintStream out) throws Exception {
        return runDemo(port, out, null);
    }

    /**
     * As {@link #runDemo(int, PrintStream)}, with journal and delayed actions in the SQLite file
     * {@code durable} (emptied first) unless it is null, and then a restart with an action pending.
     */
    static boolean runDemo(int port, PrintStream out, Path durable) throws Exception {
        long started = System.nanoTime();
        if (durable != null) {
            for (String suffix : new String[] {"", "-wal", "-shm"}) { // the database and its write-ahead log
                Files.deleteIfExists(Path.of(durable + suffix));
            }
        }
        boolean passed;
        DemoDriver driver;
        try (DemoShop shop = shop(port, durable, DemoShop.DEFAULT_PAYMENT_DELAY)) {
            out.println("Demo shop listening on " + shop.baseUri() + "; order " + DemoShop.DEMO_ORDER_ID
                    + " awaits payment of " + DemoShop.DEMO_ORDER_AMOUNT
                    + (durable == null ? "" : "; journal and delayed actions in " + durable));
            driver = driver(shop, out);
            passed = driver.run();
            passed &= DemoDoctor.run(shop, out);
            String statuses = java.util.stream.Stream.of(java.util.stream.Stream.of(DemoShop.DEMO_ORDER_ID,
                    DemoShop.BITCOIN_ORDER_ID, DemoShop.UNDERPAID_ORDER_ID, DemoShop.KLARNA_SHOP_ORDER_ID),
                    DemoShop.ECSTER_SHOP_ORDERS.stream(), DemoShop.AVARDA_SHOP_ORDERS.stream()).flatMap(ids -> ids)
                    .map(id -> id + " " + shop.orders().find(id).map(o -> o.status().name()).orElse("missing"))
                    .collect(java.util.stream.Collectors.joining(", "));
            out.printf("Demo %s in %d ms: orders %s; %d became paid%n", passed ? "passed" : "FAILED",
                    (System.nanoTime() - started) / 1_000_000, statuses, shop.orders().paidTransitions());
            if (durable != null) {
                out.println("Restart: a payment for order " + DemoShop.SECOND_ORDER_ID
                        + ", then the shop stops before its action runs");
                passed &= driver.pay(DemoShop.SECOND_ORDER_ID);
                out.println("... stopping the shop with " + shop.scheduler().health().pending() + " action(s) pending");
            }
        }
        if (durable != null) {
            try (DemoShop restarted = shop(port, durable, DemoShop.DEFAULT_PAYMENT_DELAY)) {
                out.println("... started again on " + restarted.baseUri() + " (orders are in memory: all unpaid again)");
                boolean ran = DemoDriver.pollingHealth(restarted.baseUri(), Duration.ofSeconds(10)).letRun();
                boolean paid = driver(restarted, out).orderHasStatus(DemoShop.SECOND_ORDER_ID, "PAID");
                out.println("Restart " + (ran && paid ? "passed" : "FAILED") + ": the action committed before the"
                        + " restart ran after it");
                passed &= ran && paid;
            }
        }
        return passed;
    }

    private static DemoShop shop(int port, Path durable, Duration paymentDelay) throws IOException {
        DemoShop.Builder shop = DemoShop.builder().port(port).paymentDelay(paymentDelay);
        return (durable == null ? shop : shop.durable(durable)).start();
    }

    private static DemoDriver driver(DemoShop shop, PrintStream out) {
        return new DemoDriver(shop.baseUri(), shop.secret(), shop.blockonomicsSecret(),
                DemoDriver.pollingHealth(shop.baseUri(), Duration.ofSeconds(10)), out);
    }

    private static void serve(int port, Path durable, Duration paymentDelay, SimulatedFirewall.Mode firewall)
            throws Exception {
        DemoShop shop = shop(port, durable, paymentDelay);
        shop.firewall(firewall);
        Runtime.getRuntime().addShutdownHook(new Thread(shop::close, "demo-shop-shutdown"));
        String base = shop.baseUri().toString();
        System.out.println("Demo shop listening on " + base + " (Ctrl-C stops it), in front of its callbacks: "
                + firewall.description());
        if (durable != null) {
            System.out.println("Journal and delayed actions in " + durable + ": stop the shop while an action is"
                    + " pending and start it again, and the action runs (" + shop.scheduler().health().pending()
                    + " pending now)");
        }
        System.out.println("  POST " + base + "callbacks/demo/payment/{orderId}  header "
                + DemoShop.SECRET_HEADER + ": " + shop.secret() + "  (orders " + DemoShop.DEMO_ORDER_ID + ", "
                + DemoShop.SECOND_ORDER_ID + "; paid " + paymentDelay.toSeconds() + " s later)");
        System.out.println("  GET  " + base + "callbacks/blockonomics/payment?secret=" + shop.blockonomicsSecret()
                + "&status=2&addr=" + DemoShop.BITCOIN_ADDRESS + "&value=" + DemoShop.BITCOIN_AMOUNT_SATOSHI + "&txid=t1");
        shop.klarnaMerchantUrls().forEach((kind, url) -> System.out.println("  POST " + url + "  (Klarna " + kind + ")"));
        System.out.println("  POST " + base + "callbacks/ecster/notification  header " + DemoEcster.HEADER + ": "
                + DemoEcster.HEADER_VALUE + "  {\"orderId\":\"" + DemoEcster.MOBILE_ORDER + "\"}");
        System.out.println("  POST " + base + "callbacks/avarda/completed  header Authorization: " + DemoAvarda.AUTHORIZATION
                + "  {\"purchaseId\":\"" + DemoAvarda.MOBILE_PURCHASE + "\"}");
        System.out.println("  GET  " + base + "checkout/ecster/return?orderId=" + DemoEcster.RACE_ORDER);
        System.out.println("  GET  " + base + "callbacks/journal?provider=demo&outcome=ACCEPTED&limit=10");
        System.out.println("  GET  " + base + "callbacks/health");
        System.out.println("  the journal page: " + base + DemoShop.JOURNAL_PAGE + "  (with the cookie "
                + DemoShop.ADMIN_COOKIE + "=" + shop.adminToken() + ")");
        System.out.println("  the doctor: java -jar callback-doctor/target/callback-doctor-*-all.jar check " + base
                + " --provider klarna,blockonomics --allow-private --allow-http");
        System.out.println("  GET  " + base + "orders/" + DemoShop.DEMO_ORDER_ID);
        System.out.println("Try: curl -i -H 'Content-Type: application/json' -H '" + DemoShop.SECRET_HEADER + ": "
                + shop.secret() + "' -d '{\"event\":\"PAID\",\"amount\":" + DemoShop.DEMO_ORDER_AMOUNT + "}' "
                + base + "callbacks/demo/payment/" + DemoShop.DEMO_ORDER_ID);
        shop.join();
    }
}
