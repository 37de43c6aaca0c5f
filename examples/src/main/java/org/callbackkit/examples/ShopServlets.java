package org.callbackkit.examples;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.callbackkit.core.CallbackException;
import org.callbackkit.core.intake.CallbackOutcome;
import org.callbackkit.core.journal.CallbackJournal;
import org.callbackkit.core.journal.JournalEntry;
import org.callbackkit.core.journal.JournalQuery;
import org.callbackkit.core.schedule.DelayedActionScheduler;
import org.callbackkit.core.schedule.SchedulerHealth;
import org.callbackkit.jdbc.JdbcCallbackStore;
import org.callbackkit.jdbc.StoreHealth;

/** The demo shop's JSON pages: the journal, the scheduler's health, orders, and checkout return pages. */
final class ShopServlets {

    private ShopServlets() {
    }

    /**
     * {@code GET /callbacks/journal[?provider=demo&outcome=ACCEPTED&limit=10]}: journal entries,
     * newest first, as {@code {"entries":[...]}}. Instants are ISO-8601 strings, latency is millis.
     */
    static final class Journal extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient CallbackJournal journal;

        Journal(CallbackJournal journal) {
            this.journal = journal;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            JournalQuery query;
            try {
                query = query(request);
            } catch (IllegalArgumentException e) {
                writeJson(response, 400, Map.of("error", e.getMessage()));
                return;
            }
            List<Map<String, Object>> entries = journal.find(query).stream().map(Journal::toJson).toList();
            writeJson(response, 200, Map.of("entries", entries));
        }

        private static JournalQuery query(HttpServletRequest request) {
            JournalQuery.Builder query = JournalQuery.builder();
            String provider = request.getParameter("provider");
            if (provider != null) {
                query.provider(provider);
            }
            String[] outcomes = request.getParameterValues("outcome");
            for (String outcome : outcomes == null ? new String[0] : outcomes) {
                try {
                    query.outcomes(CallbackOutcome.valueOf(outcome.toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("outcome must be one of " + List.of(CallbackOutcome.values()));
                }
            }
            String limit = request.getParameter("limit");
            if (limit != null) {
                try {
                    query.limit(Integer.parseInt(limit));
                } catch (IllegalArgumentException e) { // NumberFormatException included
                    throw new IllegalArgumentException("limit must be a positive integer");
                }
            }
            return query.build();
        }

        private static Map<String, Object> toJson(JournalEntry entry) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", entry.id());
            json.put("receivedAt", entry.receivedAt().toString());
            json.put("provider", entry.provider());
            json.put("kind", entry.kind());
            json.put("outcome", entry.outcome().name());
            json.put("status", entry.status());
            json.put("latencyMillis", entry.latency().toMillis());
            json.put("remoteAddress", entry.remoteAddress());
            json.put("method", entry.method());
            json.put("path", entry.path());
            json.put("query", entry.query());
            json.put("headers", entry.headers());
            json.put("bodyBytes", entry.bodyBytes());
            json.put("detail", entry.detail());
            return json;
        }
    }

    /**
     * {@code GET /callbacks/health}: the durable store's health (database up, journal entries waiting or
     * dropped) when there is one, 503 while its database is down, and the scheduler's {@link SchedulerHealth}.
     */
    static final class Health extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient DelayedActionScheduler scheduler;
        private final transient JdbcCallbackStore store;

        /** @param store the durable store, or null when the demo runs in memory */
        Health(DelayedActionScheduler scheduler, JdbcCallbackStore store) {
            this.scheduler = scheduler;
            this.store = store;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            Map<String, Object> json = new LinkedHashMap<>();
            if (store != null) {
                StoreHealth database = store.health();
                json.put("databaseUp", database.databaseUp());
                json.put("journalSpooled", database.journalSpooled());
                json.put("journalDropped", database.journalDropped());
                json.put("unrecordedActionEnds", database.unrecordedActionEnds());
                if (!database.databaseUp()) { // the scheduler's counts live in the database too
                    json.put("healthy", false);
                    writeJson(response, 503, json);
                    return;
                }
            }
            SchedulerHealth health = scheduler.health();
            json.put("healthy", health.healthy());
            json.put("pending", health.pending());
            json.put("overdue", health.overdue());
            json.put("running", health.running());
            json.put("dead", health.dead());
            json.put("oldestOverdueSince", health.oldestOverdueSince().map(Object::toString).orElse(null));
            writeJson(response, 200, json);
        }
    }

    /** {@code GET /orders/{id}}: one order as {@code {"id":..,"amount":..,"status":..}}. */
    static final class Orders extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final transient DemoOrders orders;

        Orders(DemoOrders orders) {
            this.orders = orders;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String path = request.getPathInfo();
            String id = path == null ? "" : path.substring(1);
            var order = orders.find(id);
            if (order.isEmpty()) {
                writeJson(response, 404, Map.of("error", "unknown order"));
                return;
            }
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("id", id);
            json.put("amount", order.get().amountMinor());
            json.put("status", order.get().status().name());
            writeJson(response, 200, json);
        }
    }

    /**
     * {@code GET <path>?<parameter>=<id>}: the shopper's return page of a checkout, e.g. Ecster's
     * {@code confirmOrder}; answers what the confirmation returned, 400 for a bad id, 502 when the
     * provider's API could not be read.
     */
    static final class ReturnPage extends HttpServlet {
        private static final long serialVersionUID = 1L;
        private final String parameter;
        private final transient Function<String, Map<String, Object>> confirm;

        ReturnPage(String parameter, Function<String, Map<String, Object>> confirm) {
            this.parameter = parameter;
            this.confirm = confirm;
        }

        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            String id = request.getParameter(parameter);
            try {
                writeJson(response, 200, confirm.apply(id == null ? "" : id));
            } catch (IllegalArgumentException e) {
                writeJson(response, 400, Map.of("error", e.getMessage()));
            } catch (CallbackException e) {
                writeJson(response, 502, Map.of("error", e.getMessage()));
            }
        }
    }

    private static void writeJson(HttpServletResponse response, int status, Object body) throws IOException {
        byte[] bytes = DemoJson.MAPPER.writeValueAsBytes(body);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
