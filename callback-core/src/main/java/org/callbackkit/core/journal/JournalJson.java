package org.callbackkit.core.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.callbackkit.core.OrderActivity;
import org.callbackkit.core.diagnose.Diagnosis;
import org.callbackkit.core.schedule.ActionQuery;
import org.callbackkit.core.schedule.DeadAction;
import org.callbackkit.core.schedule.DelayedActionScheduler;
import org.callbackkit.core.schedule.PendingAction;
import org.callbackkit.core.schedule.SchedulerHealth;

/**
 * The JSON behind the journal page, for scripts and the doctor: {@code api/entries} with the
 * list's filters and paging ({@code next} is the cursor of the next page, or null),
 * {@code api/entry?id=} with one callback's answer and diagnosis, {@code api/order?ref=} with everything the order view shows, and {@code api/work} with the
 * scheduler's health, waiting and dead actions. Payloads of actions are
 * left out (they may carry personal data), as the page leaves them out.
 */
final class JournalJson {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String JSON = "application/json";

    private JournalJson() {
    }

    static JournalPage.Rendered entries(JournalPage page, CallbackJournal journal, Map<String, List<String>> params) {
        JournalPage.Asked asked = page.asked(params);
        if (asked.error() != null) {
            return error(400, asked.error());
        }
        int limit = asked.query().limit() - 1;
        List<JournalEntry> found = journal.find(asked.query());
        List<JournalEntry> shown = found.size() > limit ? found.subList(0, limit) : found;
        ObjectNode root = MAPPER.createObjectNode();
        ArrayNode entries = root.putArray("entries");
        shown.forEach(entry -> entry(entries.addObject(), entry));
        if (found.size() > limit) {
            root.put("next", JournalQuery.Cursor.of(shown.get(shown.size() - 1)).toString());
        } else {
            root.putNull("next");
        }
        root.put("dropped", journal.dropped());
        return ok(root);
    }

    /**
     * One callback, as the detail view shows it: the entry, what was answered (headers, the start
     * of a non-2xx body, masked), the masked values' fingerprints, until when its request is kept
     * for re-dispatch, and the diagnosis ({@code verdict} {@code DELIVERED} or {@code OPERATOR}
     * where the endpoint meant a non-2xx answer, as the page says).
     */
    static JournalPage.Rendered entry(JournalPage page, Map<String, List<String>> params) {
        Optional<JournalEntry> found = page.find(JournalPage.param(params, "id"));
        if (found.isEmpty()) {
            return error(404, "no entry with this id");
        }
        JournalEntry entry = found.get();
        ObjectNode root = MAPPER.createObjectNode();
        entry(root, entry);
        ObjectNode answer = root.putObject("answer");
        answer.set("headers", MAPPER.valueToTree(entry.answer().headers()));
        answer.put("bodyStart", entry.answer().bodyStart());
        answer.put("bodyBytes", entry.answer().bodyBytes());
        root.set("maskedFingerprints", MAPPER.valueToTree(entry.maskedFingerprints()));
        root.put("keptUntil", page.keptUntil(entry).map(Object::toString).orElse(null));
        ObjectNode diagnosis = root.putObject("diagnosis");
        Optional<String> intended = JournalPage.intendedAs(entry);
        if (intended.isPresent()) {
            diagnosis.put("verdict", intended.get());
        } else {
            Diagnosis made = page.diagnose(entry);
            diagnosis.put("verdict", made.verdict().name());
            diagnosis.put("summary", made.summary());
            diagnosis.put("firewall", made.firewall().orElse(null));
            diagnosis.put("providerWillRetry", made.providerWillRetry());
            diagnosis.set("nextSteps", MAPPER.valueToTree(made.nextSteps()));
        }
        return ok(root);
    }

    /**
     * Everything about order {@code ref}, as the order view shows it: its callbacks (newest first,
     * {@code moreCallbacks} when only the newest are listed), its waiting and dead actions, the runs
     * of its actions and its provider API calls (each newest first; {@code activityKept} false
     * when the journal keeps none).
     */
    static JournalPage.Rendered order(JournalPage page, DelayedActionScheduler scheduler, Map<String, List<String>> params) {
        String reference = JournalPage.param(params, "ref");
        if (reference.isEmpty()) {
            return error(400, "give an order reference: ref");
        }
        JournalPage.Order order = page.order(reference);
        ObjectNode root = MAPPER.createObjectNode().put("reference", reference);
        ArrayNode callbacks = root.putArray("callbacks");
        order.callbacks().forEach(entry -> entry(callbacks.addObject(), entry));
        root.put("moreCallbacks", order.moreCallbacks());
        if (scheduler != null) {
            ArrayNode pending = root.putArray("pending");
            order.pending().forEach(action -> pending(pending, action));
            ArrayNode dead = root.putArray("dead");
            order.dead().forEach(action -> dead(dead, action));
        }
        root.put("activityKept", order.noActivity() == null);
        ArrayNode runs = root.putArray("actionRuns");
        for (OrderActivity run : order.runs()) {
            ObjectNode node = runs.addObject();
            node.put("startedAt", run.at().toString());
            node.put("type", run.source());
            node.put("key", run.subject());
            node.put("attempt", run.attempt());
            node.put("result", run.result());
            node.put("durationMillis", run.duration().toMillis());
            node.put("error", run.error());
            node.put("nextAttempt", run.nextAttempt().map(Object::toString).orElse(null));
        }
        ArrayNode calls = root.putArray("apiCalls");
        for (OrderActivity call : order.calls()) {
            ObjectNode node = calls.addObject();
            node.put("at", call.at().toString());
            node.put("provider", call.source());
            node.put("operation", call.subject());
            node.put("status", call.status());
            node.put("latencyMillis", call.duration().toMillis());
            node.put("failure", call.error());
        }
        return ok(root);
    }

    private static void entry(ObjectNode node, JournalEntry entry) {
        node.put("id", entry.id());
        node.put("receivedAt", entry.receivedAt().toString());
        node.put("provider", entry.provider());
        node.put("kind", entry.kind());
        node.put("outcome", entry.outcome().name());
        node.put("status", entry.status());
        node.put("latencyMillis", entry.latency().toMillis());
        node.put("remoteAddress", entry.remoteAddress());
        node.put("method", entry.method());
        node.put("path", entry.path());
        node.set("query", MAPPER.valueToTree(entry.query()));
        node.set("headers", MAPPER.valueToTree(entry.headers()));
        node.put("bodyBytes", entry.bodyBytes());
        node.put("detail", entry.detail());
        node.set("orderReferences", MAPPER.valueToTree(entry.orderReferences()));
        node.put("probe", entry.probe());
    }

    static JournalPage.Rendered work(DelayedActionScheduler scheduler) {
        if (scheduler == null) {
            return error(404, "the host did not give this page its scheduler");
        }
        SchedulerHealth health = scheduler.health();
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode counts = root.putObject("health");
        counts.put("pending", health.pending());
        counts.put("overdue", health.overdue());
        counts.put("running", health.running());
        counts.put("dead", health.dead());
        counts.put("healthy", health.healthy());
        counts.put("oldestOverdueSince", health.oldestOverdueSince().map(Object::toString).orElse(null));
        ArrayNode pending = root.putArray("pending");
        scheduler.pending(ActionQuery.first(JournalPage.WORK_ACTIONS)).forEach(action -> pending(pending, action));
        ArrayNode dead = root.putArray("dead");
        scheduler.dead(ActionQuery.first(JournalPage.WORK_ACTIONS)).forEach(action -> dead(dead, action));
        return ok(root);
    }

    private static void pending(ArrayNode array, PendingAction action) {
        ObjectNode node = array.addObject();
        node.put("type", action.action().type());
        node.put("key", action.action().key());
        node.put("nextAttempt", action.action().runAt().toString());
        node.put("attempts", action.attempts());
        node.put("running", action.running());
        node.put("lastError", action.lastError().orElse(null));
    }

    private static void dead(ArrayNode array, DeadAction action) {
        ObjectNode node = array.addObject();
        node.put("type", action.action().type());
        node.put("key", action.action().key());
        node.put("attempts", action.attempts());
        node.put("lastError", action.lastError());
        node.put("diedAt", action.diedAt().toString());
    }

    static JournalPage.Rendered error(int status, String message) {
        return new JournalPage.Rendered(status, JSON, MAPPER.createObjectNode().put("error", message).toString());
    }

    private static JournalPage.Rendered ok(ObjectNode root) {
        try {
            return new JournalPage.Rendered(200, JSON, MAPPER.writeValueAsString(root));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
