package org.callbackkit.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.http.HttpServletRequest;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZoneId;
import org.callbackkit.core.diagnose.StatusClassifier;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.core.journal.JournalServlet;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.core.testing.MutableClock;
import org.callbackkit.klarna.KlarnaCallbacks;
import org.callbackkit.klarna.KlarnaFlavour;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.junit.jupiter.api.Test;

/** The console snippet of docs/console.md, mounted on Jetty. */
class ConsoleSnippetsTest {

    @Test
    void theConsoleIsClosedWithoutTheHostsCheck() throws Exception {
        var journal = new InMemoryCallbackJournal();
        var scheduler = new ManualDelayedActionScheduler(MutableClock.atFixedStart());
        var endpoints = KlarnaCallbacks.describeEndpoints(KlarnaFlavour.KLARNA);
        LoopbackJetty jetty = new LoopbackJetty();
        ServletContextHandler context = jetty.context;
        // tag::console[]
        CallbackRouter router = CallbackRouter.builder().endpoints(endpoints).journal(journal)
                .keepBodies(Duration.ofDays(1), 1000) // optional: lets an operator re-dispatch a refused callback
                .build();
        context.addServlet(new ServletHolder(JournalServlet.builder(journal)
                .classifier(StatusClassifier.expert(router.endpoints()))
                .scheduler(scheduler)                  // Delayed work, Run now
                .router(router)                        // Re-dispatch
                .zone(ZoneId.of("Europe/Stockholm"))
                .operator(HttpServletRequest::getRemoteUser)
                .authorization(request -> request.isUserInRole("ops"))
                .build()), "/admin/callbacks/*");
        // end::console[]
        try (jetty) {
            jetty.start();
            HttpResponse<String> page = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(jetty.uri("/admin/callbacks/")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).as("no user in role ops").isEqualTo(403);
        }
    }
}
