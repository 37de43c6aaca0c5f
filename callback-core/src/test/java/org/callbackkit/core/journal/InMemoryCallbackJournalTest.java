package org.callbackkit.core.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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
}
