package org.callbackkit.klarna;

import java.util.List;
import org.callbackkit.core.intake.CallbackResponse;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.core.journal.JournalEntry;
import org.callbackkit.core.journal.JournalQuery;
import org.callbackkit.core.testing.CallbackRequests;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.core.testing.MutableClock;
import org.callbackkit.klarna.testing.FakeKlarnaOrderManagement;
import org.callbackkit.klarna.testing.KlarnaCallbackRequests;
import org.callbackkit.klarna.testing.KlarnaOrderBuilder;

/** One shop wired to one flavour of the module, with a manual scheduler and a fake Order Management. */
final class KlarnaFixture {

    static final String ORDER = "0b1d9815-165e-42e2-8867-35bc03789e00";

    final KlarnaFlavour flavour;
    final MutableClock clock = MutableClock.atFixedStart();
    final ManualDelayedActionScheduler scheduler = new ManualDelayedActionScheduler(clock);
    final InMemoryCallbackJournal journal = new InMemoryCallbackJournal();
    final FakeKlarnaOrderManagement api = new FakeKlarnaOrderManagement();
    final TestShop shop = new TestShop();
    final KlarnaCallbackRequests requests;
    final KlarnaCallbacks klarna;
    final CallbackRouter router;

    KlarnaFixture(KlarnaFlavour flavour) {
        this(flavour, KlarnaCallbacks.builder());
    }

    /** {@code builder} may carry a validator, updates or a deadline; the rest is set here. */
    KlarnaFixture(KlarnaFlavour flavour, KlarnaCallbacks.Builder builder) {
        this.flavour = flavour;
        this.requests = new KlarnaCallbackRequests(flavour);
        this.klarna = builder.flavour(flavour)
                .environment(KlarnaEnvironment.PLAYGROUND)
                .api(api)
                .shop(shop)
                .scheduler(scheduler)
                .journal(journal)
                .clock(clock)
                .build();
        this.router = CallbackRouter.builder().endpoints(klarna.endpoints()).journal(journal).clock(clock)
                .maxBodyBytes(64 * 1024).build();
    }

    /** Klarna has the order for 2 x sku-1 at 5000 and the shop expects exactly that. */
    KlarnaFixture withMatchingOrder() {
        api.putOrder(KlarnaOrderBuilder.order(ORDER).line("sku-1", 2, 5000).build());
        shop.order(ORDER, KlarnaShopOrder.of("1001", "SEK", 10000).withLines(List.of(new KlarnaShopOrder.Line("sku-1", 2))));
        return this;
    }

    /** The push as Klarna's and Kustom's "Confirm purchase" docs show it: POST, empty body, the id in the query. */
    CallbackResponse push() {
        return router.dispatch(CallbackRequests.request("POST", "/" + flavour.provider() + "/push", clock)
                .rawQuery(flavour.provider() + "_order_id=" + ORDER).header("User-Agent", "APIs-Klarna").build());
    }

    List<JournalEntry> journaled(String kind) {
        return journal.find(JournalQuery.builder().provider(flavour.provider()).kind(kind).limit(1000).build());
    }
}
