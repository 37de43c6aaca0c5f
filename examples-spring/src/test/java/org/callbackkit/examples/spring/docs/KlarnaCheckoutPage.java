package org.callbackkit.examples.spring.docs;

import java.util.Map;
import org.callbackkit.core.reconcile.Settlement;
import org.callbackkit.klarna.KlarnaCallbacks;
import org.springframework.stereotype.Service;

/** The README's step 3: where the shop's own checkout code meets the Klarna module. */
// tag::klarna-checkout[]
@Service
public class KlarnaCheckoutPage {
    private final KlarnaCallbacks klarna;                  // the starter's bean

    public KlarnaCheckoutPage(KlarnaCallbacks klarna) {
        this.klarna = klarna;
    }

    /** The merchant_urls of each Klarna checkout order you create: push, notification, ... */
    public Map<String, String> merchantUrls() {
        return klarna.merchantUrls("https://shop.example/callbacks");
    }

    /** Your confirmation page: the same code as the push, so the order is confirmed once, whichever comes first. */
    public String confirmationPage(String klarnaOrderId) {
        Settlement settlement = klarna.confirmOrder(klarnaOrderId);
        return settlement.settled() ? "thank-you" : "processing";
    }
}
// end::klarna-checkout[]
