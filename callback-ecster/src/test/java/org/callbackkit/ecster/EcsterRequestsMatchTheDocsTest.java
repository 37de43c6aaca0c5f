package org.callbackkit.ecster;

import org.callbackkit.core.testing.CallbackRequests;
import org.callbackkit.ecster.testing.EcsterCallbackRequests;
import org.callbackkit.test.RequestShapes;
import org.junit.jupiter.api.Test;

/** {@link EcsterCallbackRequests} sends what Ecster's "Order Event Notification" documents, written out here. */
class EcsterRequestsMatchTheDocsTest {

    @Test
    void theNotification() {
        RequestShapes.assertSameShape(new EcsterCallbackRequests().notification("eYBtAD0wTZIzDWkVpGhe", "READY", "FULL_DEBIT"),
                CallbackRequests.postJson("/ecster/notification", """
                        {"orderId": "eYBtAD0wTZIzDWkVpGhe", "orderReference": "TempOrderRef", "status": "READY",
                         "time": "2026-01-01T00:00:00Z", "event": "FULL_DEBIT"}
                        """).build());
    }

    @Test
    void theNotificationOfACartWithATemporaryReference() {
        RequestShapes.assertSameShape(new EcsterCallbackRequests().temporaryReference("cart-77")
                        .notification("eYBtAD0wTZIzDWkVpGhe", "PENDING_SIGNATURE", "CREATED"),
                CallbackRequests.postJson("/ecster/notification", """
                        {"orderId": "eYBtAD0wTZIzDWkVpGhe", "orderReference": "TempOrderRef",
                         "status": "PENDING_SIGNATURE", "time": "2026-01-01T00:00:00Z", "event": "CREATED"}
                        """).rawQuery("temporaryReference=cart-77").build());
    }

    @Test
    void theSampleIsAnOrderThatBecameReady() {
        RequestShapes.assertSameShape(new EcsterCallbackRequests().samples(EcsterCallbacks.KIND).get(EcsterCallbacks.KIND),
                CallbackRequests.postJson("/ecster/notification", """
                        {"orderId": "eYBtAD0wTZIzDWkVpGhe", "orderReference": "TempOrderRef", "status": "READY",
                         "time": "2026-01-01T00:00:00Z", "event": "FULL_DEBIT"}
                        """).build());
    }
}
