package org.callbackkit.avarda;

import org.callbackkit.avarda.testing.AvardaCallbackRequests;
import org.callbackkit.core.testing.CallbackRequests;
import org.callbackkit.test.RequestShapes;
import org.junit.jupiter.api.Test;

/** {@link AvardaCallbackRequests} sends what Avarda's "Server-side Callbacks" documents, written out here. */
class AvardaRequestsMatchTheDocsTest {

    @Test
    void theCompletedNotification() {
        RequestShapes.assertSameShape(new AvardaCallbackRequests().completed("489ea341e23941089e6d0378c708512a"),
                CallbackRequests.postJson("/avarda/completed", "{\"purchaseId\":\"489ea341e23941089e6d0378c708512a\"}")
                        .build());
    }

    @Test
    void theSampleIsACompletedPurchase() {
        RequestShapes.assertSameShape(new AvardaCallbackRequests().samples(AvardaCallbacks.KIND).get(AvardaCallbacks.KIND),
                CallbackRequests.postJson("/avarda/completed", "{\"purchaseId\":\"489ea341e23941089e6d0378c708512a\"}")
                        .build());
    }
}
