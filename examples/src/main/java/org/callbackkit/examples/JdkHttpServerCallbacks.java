package org.callbackkit.examples;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.callbackkit.core.intake.CallbackRequest;
import org.callbackkit.core.intake.CallbackResponse;
import org.callbackkit.core.intake.CallbackRouter;

/** The JDK's own HttpServer in front of a router: {@code server.createContext("/callbacks", new JdkHttpServerCallbacks(router))}. */
public record JdkHttpServerCallbacks(CallbackRouter router) implements HttpHandler {
    @Override
    public void handle(HttpExchange exchange) throws IOException {
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        exchange.getRequestHeaders().forEach((name, values) -> values.forEach(value -> headers.add(Map.entry(name, value))));
        String length = exchange.getRequestHeaders().getFirst("Content-Length"); // a number: the JDK checked it
        boolean unread = length != null && Long.parseLong(length) > router.maxBodyBytes(); // answered 413 unread
        byte[] body = unread ? new byte[0] : exchange.getRequestBody().readNBytes(router.maxBodyBytes() + 1);
        URI uri = exchange.getRequestURI(); // the raw path and query; the router's path is below the context's
        String target = uri.getRawPath().substring(exchange.getHttpContext().getPath().length())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        CallbackResponse response = router.dispatch(CallbackRequest.fromRawTarget(exchange.getRequestMethod(), target,
                headers, exchange.getRemoteAddress().getAddress().getHostAddress(), body, router.clock().instant()));
        response.headers().asMap().forEach(exchange.getResponseHeaders()::put);
        byte[] answer = response.body();
        exchange.sendResponseHeaders(response.status(), answer.length == 0 ? -1 : answer.length);
        exchange.getResponseBody().write(answer);
        exchange.getResponseBody().flush();
        if (unread) { // the JDK would wait for the unsent body; a handler that throws has its connection dropped
            throw new IOException("connection dropped after 413: the body was not read");
        }
        exchange.close();
    }
}
