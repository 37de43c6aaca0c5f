package org.callbackkit.core.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.callbackkit.core.OrderActivity;
import org.callbackkit.core.intake.CallbackOutcome;
import org.junit.jupiter.api.Test;

class InMemoryCallbackJournalTest {

    private static JournalEntry entry(int n) {
        return new JournalEntry("id" + n, Instant.EPOCH.plusSeconds(n), "p", "k", CallbackOutcome.ACCEPTED, 200,
                Duration.ZERO, "", "POST", "/p", Map.of(), Map.of(), 0, "");
    }

    @Test
    void forgetsTheOldestBeyondCapacity() {
        InMemoryCallbackJournal journal = new InMemoryCallbackJournal(3);
        for (int n = 1; n <= 5; n++) {
            journal.record(entry(n));
        }
        assertThat(journal.size()).isEqualTo(3);
        assertThat(journal.evicted()).isEqualTo(2);
        List<JournalEntry> kept = journal.find(JournalQuery.all());
        assertThat(kept).extracting(JournalEntry::id).containsExactly("id5", "id4", "id3");
    }

    @Test
    void keepsTheNewestActivityUpToCapacityBesideTheEntries() {
        InMemoryCallbackJournal journal = new InMemoryCallbackJournal(3);
        for (int n = 1; n <= 5; n++) {
            journal.recordActivity(OrderActivity.apiCall(n % 2 == 0 ? "even" : "odd", Instant.EPOCH.plusSeconds(n), "acme",
                    "GET /orders/{id}", 200, null, Duration.ofMillis(n)));
        }
        journal.recordActivity(OrderActivity.actionRun("acme.orders", "odd/late", Instant.EPOCH, 1,
                OrderActivity.ActionRunResult.DEAD, "gone", Duration.ZERO, null));

        assertThat(journal.findActivity("odd", 10)).extracting(OrderActivity::at)
                .as("newest first by time, though recorded last").containsExactly(Instant.EPOCH.plusSeconds(5), Instant.EPOCH);
        assertThat(journal.findActivity("even", 10)).extracting(OrderActivity::at)
                .as("the oldest three forgotten").containsExactly(Instant.EPOCH.plusSeconds(4));
        assertThat(journal.findActivity("odd", 1)).hasSize(1);
        assertThat(journal.size()).as("activity is not an entry").isZero();
        assertThatThrownBy(() -> journal.findActivity("odd", 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
