package org.callbackkit.examples.springdocs;

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

    public Map<String, String> merchantUrls() {            // of each Klarna checkout order you create
        return klarna.merchantUrls("https://shop.example/callbacks");
    }

    public String confirmationPage(String klarnaOrderId) {
        Settlement settlement = klarna.confirmOrder(klarnaOrderId);  // the push's code: confirmed once, whoever is first
        return settlement.settled() ? "thank-you" : "processing";
    }
}
// end::klarna-checkout[]
