package org.callbackkit.test;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.callbackkit.core.intake.CallbackRequest;

/**
 * Checks that a provider module's {@code .testing} request builder sends what the provider
 * documents: the test writes the documented request out by hand, and this compares the two by
 * what a receiver reads of them.
 *
 * <pre>{@code
 * RequestShapes.assertSameShape(new AvardaCallbackRequests().completed(PURCHASE),
 *         CallbackRequests.postJson("/avarda/completed", "{\"purchaseId\":\"" + PURCHASE + "\"}").build());
 * }</pre>
 */
public final class RequestShapes {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RequestShapes() {
    }

    /**
     * Asserts that {@code built} and {@code documented} have the same method, path, decoded query
     * parameters (in any order), media type, and body: equal JSON documents when the media type is
     * JSON (whatever the spacing and field order), equal bytes otherwise; and that every other header
     * the documented request carries ({@code Authorization}, {@code User-Agent}) is on the built one
     * with the same values. Headers only the built one has are not compared.
     *
     * @throws AssertionError naming the first difference
     */
    public static void assertSameShape(CallbackRequest built, CallbackRequest documented) {
        assertThat(built.method()).as("method").isEqualTo(documented.method());
        assertThat(built.path()).as("path").isEqualTo(documented.path());
        assertThat(built.query()).as("query parameters").containsExactlyInAnyOrderEntriesOf(documented.query());
        documented.headers().asMap().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("Content-Type")) {
                assertThat(built.headers().all(name)).as("header " + name).isEqualTo(values);
            }
        });
        String mediaType = mediaType(documented);
        assertThat(mediaType(built)).as("media type").isEqualTo(mediaType);
        if (mediaType.endsWith("json") && documented.body().length > 0) {
            assertThat(json(built)).as("JSON body").isEqualTo(json(documented));
        } else {
            assertThat(new String(built.body(), StandardCharsets.UTF_8)).as("body")
                    .isEqualTo(new String(documented.body(), StandardCharsets.UTF_8));
        }
    }

    private static String mediaType(CallbackRequest request) {
        String contentType = request.headers().first("Content-Type").orElse("");
        int parameters = contentType.indexOf(';');
        return (parameters < 0 ? contentType : contentType.substring(0, parameters)).strip().toLowerCase(Locale.ROOT);
    }

    private static Object json(CallbackRequest request) {
        try {
            return MAPPER.readTree(request.body());
        } catch (IOException e) {
            throw new AssertionError("the body is not JSON: " + e.getMessage(), e);
        }
    }
}
