package org.callbackkit.examples;

import java.io.PrintStream;
import java.time.Duration;

/**
 * Runs the demo: starts a {@link DemoShop}, drives callbacks at it over HTTP with
 * {@link DemoDriver}, prints what happened, then runs the callback doctor against the shop with
 * nothing in front of it and behind each {@link SimulatedFirewall}, and stops the shop. Exits
 * with status 1 if a scenario did not get the expected answer.
 *
 * <pre>
 * DemoMain [--port N]                            run the demo once (default port 0, an ephemeral one)
 * DemoMain --serve [--port N] [--firewall MODE]  only serve the shop (default port 8080) until Ctrl-C,
 *                                                behind none, modsecurity, wordfence, cloudflare or catch-all
 * </pre>
 */
public final class DemoMain {

    private DemoMain() {
    }

    public static void main(String[] args) throws Exception {
        Integer port = null;
        boolean serve = false;
        SimulatedFirewall.Mode firewall = SimulatedFirewall.Mode.NONE;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--serve" -> serve = true;
                case "--port" -> {
                    if (i + 1 == args.length) {
                        throw new IllegalArgumentException("--port needs a number");
                    }
                    port = Integer.valueOf(args[++i]);
                }
                case "--firewall" -> {
                    if (i + 1 == args.length) {
                        throw new IllegalArgumentException("--firewall needs one of none, modsecurity, wordfence, "
                                + "cloudflare, catch-all");
                    }
                    firewall = SimulatedFirewall.Mode.parse(args[++i]);
                }
                default -> throw new IllegalArgumentException(
                        "unknown argument " + args[i] + "; usage: DemoMain [--serve] [--port N] [--firewall MODE]");
            }
        }
        if (serve) {
            serve(port == null ? 8080 : port, firewall);
        } else if (!runDemo(port == null ? 0 : port, System.out)) {
            System.exit(1);
        }
    }

    /** Starts a shop, runs the driver against it, stops the shop; true if every scenario passed. */
    static boolean runDemo(int port, PrintStream out) throws Exception {
        long started = System.nanoTime();
        try (DemoShop shop = DemoShop.builder().port(port).start()) {
            out.println("Demo shop listening on " + shop.baseUri() + "; order " + DemoShop.DEMO_ORDER_ID
                    + " awaits payment of " + DemoShop.DEMO_ORDER_AMOUNT);
            DemoDriver driver = new DemoDriver(shop.baseUri(), shop.secret(), shop.blockonomicsSecret(),
                    DemoDriver.pollingHealth(shop.baseUri(), Duration.ofSeconds(10)), out);
            boolean passed = driver.run();
            passed &= DemoDoctor.run(shop, out);
            String statuses = java.util.stream.Stream.of(java.util.stream.Stream.of(DemoShop.DEMO_ORDER_ID,
                    DemoShop.BITCOIN_ORDER_ID, DemoShop.UNDERPAID_ORDER_ID, DemoShop.KLARNA_SHOP_ORDER_ID), DemoShop.ECSTER_SHOP_ORDERS.stream(),
                    DemoShop.AVARDA_SHOP_ORDERS.stream()).flatMap(ids -> ids)
                    .map(id -> id + " " + shop.orders().find(id).map(o -> o.status().name()).orElse("missing"))
                    .collect(java.util.stream.Collectors.joining(", "));
            out.printf("Demo %s in %d ms: orders %s; %d became paid%n", passed ? "passed" : "FAILED",
                    (System.nanoTime() - started) / 1_000_000, statuses, shop.orders().paidTransitions());
            return passed;
        }
    }

    private static void serve(int port, SimulatedFirewall.Mode firewall) throws Exception {
        DemoShop shop = DemoShop.builder().port(port).start();
        shop.firewall(firewall);
        Runtime.getRuntime().addShutdownHook(new Thread(shop::close, "demo-shop-shutdown"));
        String base = shop.baseUri().toString();
        System.out.println("Demo shop listening on " + base + " (Ctrl-C stops it), in front of its callbacks: "
                + firewall.description());
        System.out.println("  POST " + base + "callbacks/demo/payment/{orderId}  header "
                + DemoShop.SECRET_HEADER + ": " + shop.secret());
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
