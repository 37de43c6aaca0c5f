package org.callbackkit.examples.springdocs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.callbackkit.core.intake.CallbackRouter;
import org.callbackkit.klarna.KlarnaCallbacks;
import org.callbackkit.klarna.KlarnaCredentials;
import org.callbackkit.klarna.KlarnaFlavour;
import org.callbackkit.klarna.testing.FakeKlarnaOrderManagement;
import org.callbackkit.klarna.testing.KlarnaCallbackRequests;
import org.callbackkit.klarna.testing.KlarnaOrderBuilder;
import org.callbackkit.micrometer.CallbackMetrics;
import org.callbackkit.spring.CallbackKitAutoConfiguration;
import org.callbackkit.spring.CallbackKitStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

/**
 * The Spring Boot side of the docs: the README's Klarna shop runs with the README's properties;
 * every {@code callbackkit.*} property a page shows is one the starter has (its
 * spring-configuration-metadata.json, which the configuration processor writes from
 * {@code CallbackKitProperties}), with a value its hints allow; and each table after a
 * {@code <!-- properties: prefix -->} marker is exactly the one generated from that metadata, so
 * a renamed, added or redescribed property fails here until the page says so. (This package is
 * not below the Spring shop's, so that its component scan leaves the README's beans alone.)
 */
class SpringDocsTest {

    /** The project root: examples-spring sits right in it (DocsTest in examples checks the rest of the docs). */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern BLOCK = Pattern.compile("```(properties|ya?ml)\\R(.*?)```", Pattern.DOTALL);
    private static final Pattern TABLE = Pattern.compile("<!-- properties: ([\\w. -]+?) -->\\R((?:\\|.*\\R?)+)");
    private static final String KLARNA_ORDER = "0b1d9815-165e-42e2-8867-35bc03789e00";

    private final Map<String, JsonNode> properties = metadata("properties");
    private final Map<String, JsonNode> hints = metadata("hints");

    @TempDir
    Path dir;

    @Test
    void theReadmesKlarnaShopReceivesAPushWithTheReadmesProperties() throws IOException {
        Properties readme = new Properties();
        try (Reader properties = Files.newBufferedReader(
                ROOT.resolve("examples-spring/src/test/resources/docs/klarna.properties"))) {
            readme.load(properties);
        }
        List<String> values = new ArrayList<>();
        readme.forEach((key, value) -> values.add(key + "=" + value));
        KlarnaCredentials credentials = new KlarnaCredentials("K123456_abcdef", "not-a-real-secret");
        try (FakeKlarnaOrderManagement klarnaApi = new FakeKlarnaOrderManagement(credentials)) {
            klarnaApi.putOrder(KlarnaOrderBuilder.order(KLARNA_ORDER).line("sku-1", 1, 24900).build());
            new WebApplicationContextRunner()
                    .withConfiguration(AutoConfigurations.of(CallbackKitAutoConfiguration.class))
                    .withUserConfiguration(OrderBook.class, KlarnaOrders.class, KlarnaCheckoutPage.class)
                    .withPropertyValues(values.toArray(String[]::new))
                    .withPropertyValues("KLARNA_MERCHANT_ID=" + credentials.merchantId(),
                            "KLARNA_SHARED_SECRET=" + credentials.sharedSecret(),
                            "callbackkit.store.file=" + dir.resolve("callbacks"), "callbackkit.store.threads=0",
                            "callbackkit.klarna.api-base-uri=" + klarnaApi.serve())
                    .run(context -> {
                        assertThat(context).hasNotFailed().hasSingleBean(KlarnaCallbacks.class);
                        OrderBook orders = context.getBean(OrderBook.class);
                        orders.add(new OrderBook.Order("1001", KLARNA_ORDER, "SEK", 24900, "sku-1", 1, false, null));
                        CallbackRouter router = context.getBean(CallbackRouter.class);
                        assertThat(router.dispatch(new KlarnaCallbackRequests(KlarnaFlavour.KLARNA).push(KLARNA_ORDER)
                                .build()).status()).isEqualTo(200);
                        assertThat(context.getBean(CallbackKitStore.class).runDue()).isEqualTo(1);
                        assertThat(klarnaApi.acknowledged()).containsExactly(KLARNA_ORDER);
                        assertThat(orders.byNumber("1001").orElseThrow().paid()).isTrue();
                        KlarnaCheckoutPage checkout = context.getBean(KlarnaCheckoutPage.class);
                        assertThat(checkout.confirmationPage(KLARNA_ORDER)).isEqualTo("thank-you");
                        assertThat(checkout.merchantUrls()).containsEntry("push",
                                "https://shop.example/callbacks/klarna/push?klarna_order_id={checkout.order.id}");
                    });
        }
    }

    @Test
    void everyPropertyTheDocsShowIsTheStartersWithAnAllowedValue() throws IOException {
        List<String> shown = new ArrayList<>();
        for (Path page : pages()) {
            Matcher block = BLOCK.matcher(Files.readString(page));
            while (block.find()) {
                for (String line : block.group(2).split("\\R")) {
                    Matcher setting = Pattern.compile("^\\s*(callbackkit\\.[\\w.-]+)\\s*[=:]\\s*(.*)$").matcher(line);
                    if (!setting.matches()) {
                        continue;
                    }
                    String name = setting.group(1);
                    String value = setting.group(2).trim();
                    assertThat(properties).as("%s shows %s", ROOT.relativize(page), name).containsKey(name);
                    if (hints.containsKey(name) && !value.startsWith("${")) {
                        List<String> allowed = new ArrayList<>();
                        hints.get(name).get("values").forEach(hint -> allowed.add(hint.get("value").asText()));
                        assertThat(allowed).as("%s: the value of %s", ROOT.relativize(page), name).contains(value);
                    }
                    shown.add(name);
                }
            }
        }
        assertThat(shown).as("the README's and the Spring page's properties").contains("callbackkit.klarna.merchant-id");
    }

    @Test
    void everyPropertyNamedInProseIsTheStartersOrAGroupOfThemOrAMeter() throws Exception {
        Set<String> meters = new TreeSet<>();
        for (java.lang.reflect.Field field : CallbackMetrics.class.getFields()) {
            if (field.getType() == String.class && java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
                meters.add((String) field.get(null));
            }
        }
        Pattern named = Pattern.compile("`(callbackkit\\.[\\w.-]*\\w)[=`?]");
        Set<String> seen = new TreeSet<>();
        for (Path page : pages()) {
            Matcher property = named.matcher(Files.readString(page));
            while (property.find()) {
                String name = property.group(1);
                seen.add(name);
                assertThat(properties.containsKey(name) || meters.contains(name) || properties.keySet().stream()
                        .anyMatch(known -> known.startsWith(name + "."))).as("%s names %s", ROOT.relativize(page), name)
                        .isTrue();
            }
        }
        assertThat(seen).as("names in prose").contains("callbackkit.journal.role", "callbackkit.callbacks");
    }

    @Test
    void propertyTablesAreTheOnesGeneratedFromTheMetadata() throws IOException {
        Set<String> tabled = new LinkedHashSet<>();
        for (Path page : pages()) {
            Matcher table = TABLE.matcher(Files.readString(page));
            while (table.find()) {
                List<String> prefixes = List.of(table.group(1).split(" "));
                StringBuilder expected = new StringBuilder("| property | default | what |\n|---|---|---|\n");
                properties.forEach((name, property) -> {
                    if (prefixes.stream().anyMatch(prefix -> name.equals(prefix) || name.startsWith(prefix + "."))) {
                        expected.append(row(name, property, hints.get(name)));
                        tabled.add(name);
                    }
                });
                String prefix = table.group(1);
                assertThat(table.group(2).strip())
                        .as("%s: the table of %s, as generated from the starter's metadata", ROOT.relativize(page), prefix)
                        .isEqualTo(expected.toString().strip());
            }
        }
        assertThat(tabled).as("every property of the starter is in a table").containsAll(properties.keySet());
    }

    private static String row(String name, JsonNode property, JsonNode hint) {
        JsonNode defaultValue = property.get("defaultValue");
        String description = property.path("description").asText("").replace("|", "\\|").replaceAll("\\s+", " ");
        if (hint != null) {
            List<String> values = new ArrayList<>();
            hint.get("values").forEach(value -> values.add("`" + value.get("value").asText() + "`"));
            description += " One of " + String.join(", ", values) + ".";
        }
        return "| `" + name + "` | " + (defaultValue == null ? "" : "`" + defaultValue.asText() + "`") + " | "
                + description + " |\n";
    }

    /** The starter's metadata entries of one kind ("properties" or "hints"), by name. */
    private static Map<String, JsonNode> metadata(String kind) {
        Map<String, JsonNode> entries = new TreeMap<>();
        try {
            for (URL url : Collections.list(SpringDocsTest.class.getClassLoader()
                    .getResources("META-INF/spring-configuration-metadata.json"))) {
                try (InputStream in = url.openStream()) {
                    new ObjectMapper().readTree(in).path(kind).forEach(entry -> {
                        if (entry.get("name").asText().startsWith("callbackkit.")) {
                            entries.put(entry.get("name").asText(), entry);
                        }
                    });
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(entries).as("callback-spring-boot-starter's %s in its metadata", kind).isNotEmpty();
        return entries;
    }

    private static List<Path> pages() throws IOException {
        List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("CHANGELOG.md"),
                ROOT.resolve("CONTRIBUTING.md")));
        try (Stream<Path> docs = Files.walk(ROOT.resolve("docs"))) {
            docs.filter(path -> path.toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }
}
