package org.callbackkit.core.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.callbackkit.core.schedule.DeadAction;
import org.callbackkit.core.schedule.DelayedActionScheduler;
import org.callbackkit.core.schedule.PendingAction;
import org.callbackkit.core.schedule.SchedulerHealth;

/**
 * The JSON behind the journal page, for scripts and the doctor: {@code api/entries} with the
 * list's filters and paging ({@code next} is the cursor of the next page, or null), and
 * {@code api/work} with the scheduler's health, waiting and dead actions. Payloads of actions are
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
        for (JournalEntry entry : shown) {
            ObjectNode node = entries.addObject();
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
        if (found.size() > limit) {
            root.put("next", JournalQuery.Cursor.of(shown.get(shown.size() - 1)).toString());
        } else {
            root.putNull("next");
        }
        root.put("dropped", journal.dropped());
        return ok(root);
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
        for (PendingAction action : scheduler.pending()) {
            ObjectNode node = pending.addObject();
            node.put("type", action.action().type());
            node.put("key", action.action().key());
            node.put("nextAttempt", action.action().runAt().toString());
            node.put("attempts", action.attempts());
            node.put("running", action.running());
            node.put("lastError", action.lastError().orElse(null));
        }
        ArrayNode dead = root.putArray("dead");
        for (DeadAction action : scheduler.dead()) {
            ObjectNode node = dead.addObject();
            node.put("type", action.action().type());
            node.put("key", action.action().key());
            node.put("attempts", action.attempts());
            node.put("lastError", action.lastError());
            node.put("diedAt", action.diedAt().toString());
        }
        return ok(root);
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
