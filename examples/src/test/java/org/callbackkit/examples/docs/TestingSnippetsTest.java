package org.callbackkit.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.core.journal.JournalQuery;
import org.callbackkit.core.schedule.ActionResult;
import org.callbackkit.core.testing.CallbackRequests;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.core.testing.MutableClock;
import org.junit.jupiter.api.Test;

/** The script, run, verify snippet of docs/testing.md, on the own endpoint of docs/architecture.md. */
class TestingSnippetsTest {

    @Test
    void scriptRunVerify() {
        List<String> paid = new ArrayList<>();
        // tag::script-run-verify[]
        var clock = MutableClock.atFixedStart();
        var scheduler = new ManualDelayedActionScheduler(clock);                 // script
        scheduler.register("shop.paid", context -> {
            paid.add(context.key());
            return ActionResult.done();
        });
        var router = MyProvider.router(clock, new InMemoryCallbackJournal(), scheduler);
        var response = router.dispatch(CallbackRequests.postJson("/myprovider/paid/42", "{}").build()); // run
        assertThat(response.status()).isEqualTo(200);                            // verify the answer
        scheduler.tick(Duration.ofMinutes(2));                                   // let the delayed work run
        assertThat(paid).containsExactly("42");                                  // verify the effect
        assertThat(router.journal().find(JournalQuery.all())).hasSize(1);        // and what was journaled
        // end::script-run-verify[]
    }
}
