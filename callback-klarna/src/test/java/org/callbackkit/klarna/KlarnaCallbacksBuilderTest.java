package org.callbackkit.klarna;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import org.callbackkit.core.journal.InMemoryCallbackJournal;
import org.callbackkit.core.testing.ManualDelayedActionScheduler;
import org.callbackkit.core.testing.MutableClock;
import org.callbackkit.klarna.testing.FakeKlarnaOrderManagement;
import org.junit.jupiter.api.Test;

class KlarnaCallbacksBuilderTest {

    private final ManualDelayedActionScheduler scheduler = new ManualDelayedActionScheduler(MutableClock.atFixedStart());

    private KlarnaCallbacks.Builder complete() {
        return KlarnaCallbacks.builder().environment(KlarnaEnvironment.LIVE).api(new FakeKlarnaOrderManagement())
                .shop(new TestShop()).scheduler(scheduler).journal(new InMemoryCallbackJournal());
    }

    @Test
    void merchantUrlsCarryThePlaceholderForEveryMountedKind() {
        KlarnaCallbacks klarna = complete().validator(order -> KlarnaCheckoutAnswer.approve(), KlarnaCheckoutAnswer.approve())
                .checkoutUpdates(new KlarnaCheckoutUpdates() {
                }).build();

        assertThat(klarna.merchantUrls("https://shop.example/callbacks/")).containsExactly(
                entry("push", "https://shop.example/callbacks/klarna/push?klarna_order_id={checkout.order.id}"),
                entry("notification", "https://shop.example/callbacks/klarna/notification/{checkout.order.id}"),
                entry("validation", "https://shop.example/callbacks/klarna/validation/{checkout.order.id}"),
                entry("shipping_option_update",
                        "https://shop.example/callbacks/klarna/shipping_option_update/{checkout.order.id}"),
                entry("address_update", "https://shop.example/callbacks/klarna/address_update/{checkout.order.id}"),
                entry("country_change", "https://shop.example/callbacks/klarna/country_change/{checkout.order.id}"));
        assertThat(klarna.merchantUrls("https://shop.example/callbacks/", KlarnaCallbacks.PushUrl.ORDER_ID_IN_PATH))
                .as("the other shape, by choice").containsEntry("push",
                        "https://shop.example/callbacks/klarna/push/{checkout.order.id}")
                .containsEntry("notification", "https://shop.example/callbacks/klarna/notification/{checkout.order.id}");
    }

    @Test
    void kustomUsesItsOwnPathsAndActionTypes() {
        KlarnaCallbacks kustom = complete().flavour(KlarnaFlavour.KUSTOM).build();

        assertThat(kustom.merchantUrls("https://shop.example/cb")).containsEntry("push",
                "https://shop.example/cb/kustom/push?kustom_order_id={checkout.order.id}");
        assertThat(kustom.pushActionType()).isEqualTo("kustom.push");
        assertThat(kustom.endpoints()).allSatisfy(e -> assertThat(e.provider()).isEqualTo("kustom"));
    }

    @Test
    void liveMerchantUrlsMustBeHttpsAndWithoutQuery() {
        KlarnaCallbacks live = complete().build();

        assertThatThrownBy(() -> live.merchantUrls("http://shop.example/callbacks"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("https");
        assertThatThrownBy(() -> live.merchantUrls("https://shop.example/callbacks?lang=en"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> live.merchantUrls("/callbacks")).isInstanceOf(IllegalArgumentException.class);
        KlarnaCallbacks playground = complete().environment(KlarnaEnvironment.PLAYGROUND)
                .scheduler(new ManualDelayedActionScheduler(MutableClock.atFixedStart())).build();
        assertThat(playground.merchantUrls("http://127.0.0.1:8080/callbacks")).containsKey("push");
    }

    @Test
    void apiHostsFollowFlavourRegionAndEnvironment() {
        assertThat(KlarnaFlavour.KLARNA.apiBaseUri(KlarnaRegion.EU, KlarnaEnvironment.LIVE))
                .isEqualTo(URI.create("https://api.klarna.com/"));
        assertThat(KlarnaFlavour.KLARNA.apiBaseUri(KlarnaRegion.NA, KlarnaEnvironment.PLAYGROUND))
                .isEqualTo(URI.create("https://api-na.playground.klarna.com/"));
        assertThat(KlarnaFlavour.KLARNA.apiBaseUri(KlarnaRegion.OC, KlarnaEnvironment.LIVE))
                .isEqualTo(URI.create("https://api-oc.klarna.com/"));
        assertThat(KlarnaFlavour.KUSTOM.apiBaseUri(KlarnaRegion.EU, KlarnaEnvironment.PLAYGROUND))
                .isEqualTo(URI.create("https://api.playground.kustom.co/"));
        assertThatThrownBy(() -> KlarnaFlavour.KUSTOM.apiBaseUri(KlarnaRegion.NA, KlarnaEnvironment.LIVE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void requiredPartsAndBadValuesAreRefused() {
        assertThatThrownBy(() -> complete().environment(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> KlarnaCallbacks.builder().api(new FakeKlarnaOrderManagement()).shop(new TestShop())
                .scheduler(scheduler).journal(new InMemoryCallbackJournal()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("environment");
        assertThatThrownBy(() -> KlarnaCallbacks.builder().environment(KlarnaEnvironment.LIVE).shop(new TestShop())
                .scheduler(scheduler).journal(new InMemoryCallbackJournal()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("credentials");
        assertThatThrownBy(() -> complete().deadline(Duration.ofSeconds(11))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> complete().deadline(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> complete().readTimeout(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> complete().apiBaseUri(URI.create("ftp://x/"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> complete().path("klarna/")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> complete().validator(order -> KlarnaCheckoutAnswer.approve(), KlarnaCheckoutAnswer.update(
                new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode())))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new KlarnaCredentials("a:b", "secret")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void twoAccountsShareASchedulerWhenNamed() {
        KlarnaCallbacks sweden = complete().name("klarna-se").build();
        KlarnaCallbacks norway = complete().name("klarna-no").build();

        assertThatThrownBy(() -> complete().name("klarna-se").build()).isInstanceOf(IllegalStateException.class);
        assertThat(sweden.pushActionType()).isEqualTo("klarna-se.push");
        assertThat(norway.merchantUrls("https://shop.example/cb")).containsEntry("push",
                "https://shop.example/cb/klarna-no/push?klarna_order_id={checkout.order.id}");
        assertThat(norway.endpoints()).allSatisfy(e -> assertThat(e.provider()).isEqualTo("klarna"));
        assertThat(complete().flavour(KlarnaFlavour.KUSTOM).build().pushActionType()).isEqualTo("kustom.push");
        assertThatThrownBy(() -> complete().name("Klarna SE")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void settingsAnInjectedApiWouldIgnoreAreRefusedAtBuild() {
        assertThatThrownBy(() -> complete().credentials(new KlarnaCredentials("m", "s")).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("ignored");
        assertThatThrownBy(() -> complete().readTimeout(Duration.ofSeconds(3)).build())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> KlarnaCallbacks.builder().flavour(KlarnaFlavour.KUSTOM).region(KlarnaRegion.NA)
                .environment(KlarnaEnvironment.LIVE).credentials(new KlarnaCredentials("m", "s")).shop(new TestShop())
                .scheduler(scheduler).journal(new InMemoryCallbackJournal()).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("EU");
    }

    @Test
    void theFlavourIsToldByTheCredentialsAsKlarnasPluginDoesAndAnExplicitChoiceWins() {
        assertThat(KlarnaFlavour.of(new KlarnaCredentials("PK12345_a1b2c3", "secret"))).isEqualTo(KlarnaFlavour.KLARNA);
        assertThat(KlarnaFlavour.of(new KlarnaCredentials("K123456", "secret"))).isEqualTo(KlarnaFlavour.KLARNA);
        assertThat(KlarnaFlavour.of(new KlarnaCredentials("PM0123", "secret"))).isEqualTo(KlarnaFlavour.KUSTOM);
        assertThat(KlarnaFlavour.of(new KlarnaCredentials("M0123", "secret"))).isEqualTo(KlarnaFlavour.KUSTOM);
        assertThat(KlarnaFlavour.of(new KlarnaCredentials("K123456", "kco_live_abc"))).isEqualTo(KlarnaFlavour.KUSTOM);
        assertThat(KlarnaFlavour.of(null)).isEqualTo(KlarnaFlavour.KLARNA);

        KlarnaCallbacks detected = KlarnaCallbacks.builder().environment(KlarnaEnvironment.PLAYGROUND)
                .credentials(new KlarnaCredentials("PM0123", "kco_test_secret")).shop(new TestShop())
                .scheduler(scheduler).journal(new InMemoryCallbackJournal()).build();
        assertThat(detected.flavour()).isEqualTo(KlarnaFlavour.KUSTOM);
        assertThat(detected.endpoints().get(0).path()).startsWith("/kustom/");
        detected.close();
        KlarnaCallbacks chosen = KlarnaCallbacks.builder().flavour(KlarnaFlavour.KLARNA)
                .environment(KlarnaEnvironment.PLAYGROUND).credentials(new KlarnaCredentials("PM0123", "kco_test_secret"))
                .shop(new TestShop()).scheduler(new org.callbackkit.core.testing.ManualDelayedActionScheduler(
                        org.callbackkit.core.testing.MutableClock.atFixedStart()))
                .journal(new InMemoryCallbackJournal()).build();
        assertThat(chosen.flavour()).isEqualTo(KlarnaFlavour.KLARNA);
        chosen.close();
        KlarnaCallbacks upgraded = KlarnaCallbacks.builder().name("klarna").environment(KlarnaEnvironment.PLAYGROUND)
                .credentials(new KlarnaCredentials("PM0123", "kco_test_secret")).shop(new TestShop())
                .scheduler(new org.callbackkit.core.testing.ManualDelayedActionScheduler(
                        org.callbackkit.core.testing.MutableClock.atFixedStart()))
                .journal(new InMemoryCallbackJournal()).build();
        assertThat(upgraded.flavour()).as("Kustom's API").isEqualTo(KlarnaFlavour.KUSTOM);
        assertThat(upgraded.pushActionType()).as("pending work of the old default keeps running").isEqualTo("klarna.push");
        assertThat(upgraded.merchantUrls("https://shop.example/cb", KlarnaCallbacks.PushUrl.ORDER_ID_IN_PATH))
                .as("and URLs in flight keep working").containsEntry("push", "https://shop.example/cb/klarna/push/{checkout.order.id}");
        upgraded.close();
    }

    private static java.util.Map.Entry<String, String> entry(String key, String value) {
        return java.util.Map.entry(key, value);
    }
}
