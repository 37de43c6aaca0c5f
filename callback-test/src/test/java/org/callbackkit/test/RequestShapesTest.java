package org.callbackkit.test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.callbackkit.core.testing.CallbackRequests;
import org.junit.jupiter.api.Test;

class RequestShapesTest {

    @Test
    void theSameRequestWrittenDifferentlyIsTheSameShape() {
        assertThatCode(() -> RequestShapes.assertSameShape(
                CallbackRequests.postJson("/p", "{\"a\":1,\"b\":\"x\"}").rawQuery("q=1&r=2").build(),
                CallbackRequests.post("/p").header("Content-Type", "application/json; charset=utf-8")
                        .body("{ \"b\": \"x\", \"a\": 1 }".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                        .rawQuery("r=2&q=%31").build()))
                .doesNotThrowAnyException();
    }

    @Test
    void eachDifferenceIsNamed() {
        assertThatThrownBy(() -> RequestShapes.assertSameShape(CallbackRequests.post("/p").build(),
                CallbackRequests.get("/p").build())).hasMessageContaining("method");
        assertThatThrownBy(() -> RequestShapes.assertSameShape(CallbackRequests.post("/p").build(),
                CallbackRequests.post("/p/1").build())).hasMessageContaining("path");
        assertThatThrownBy(() -> RequestShapes.assertSameShape(CallbackRequests.post("/p").rawQuery("id=1").build(),
                CallbackRequests.post("/p").rawQuery("order_id=1").build())).hasMessageContaining("query");
        assertThatThrownBy(() -> RequestShapes.assertSameShape(CallbackRequests.postJson("/p", "{\"a\":1}").build(),
                CallbackRequests.postJson("/p", "{\"a\":1,\"t\":2}").build())).hasMessageContaining("JSON body");
        assertThatThrownBy(() -> RequestShapes.assertSameShape(CallbackRequests.postJson("/p", "{}").build(),
                CallbackRequests.post("/p").header("Content-Type", "text/plain").body(new byte[] {'{', '}'}).build()))
                .hasMessageContaining("media type");
        assertThatThrownBy(() -> RequestShapes.assertSameShape(CallbackRequests.post("/p").header("Authorization", "a").build(),
                CallbackRequests.post("/p").header("Authorization", "b").build())).hasMessageContaining("header Authorization");
        assertThatCode(() -> RequestShapes.assertSameShape(CallbackRequests.post("/p").header("User-Agent", "x").build(),
                CallbackRequests.post("/p").build())).as("a header only the built one has").doesNotThrowAnyException();
    }
}
