package dev.rendezvous.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EnvelopeHeaderTest {

    private static final PeerId ALICE = new PeerId("alice");

    @Test
    void aMessageWithoutFromIsConsistentWithAnySender() {
        assertThat(EnvelopeHeader.withoutFrom("bob").isConsistentWith(ALICE)).isTrue();
    }

    @Test
    void aFromEqualToTheSenderIsConsistent() {
        assertThat(EnvelopeHeader.from("alice", "bob").isConsistentWith(ALICE)).isTrue();
    }

    @Test
    void aFromNamingSomeoneElseIsNotConsistent() {
        assertThat(EnvelopeHeader.from("mallory", "bob").isConsistentWith(ALICE)).isFalse();
    }

    @Test
    void comparesIdsExactlyWithoutCaseFoldingOrTrimming() {
        assertThat(EnvelopeHeader.from("Alice", "bob").isConsistentWith(ALICE)).isFalse();
        assertThat(EnvelopeHeader.from("alice ", "bob").isConsistentWith(ALICE)).isFalse();
        assertThat(EnvelopeHeader.from("", "bob").isConsistentWith(ALICE)).isFalse();
    }

    @Test
    void aFromThatIsPresentButNotAStringIsNotConsistent() {
        EnvelopeHeader numericFrom = new EnvelopeHeader("bob", true, null);
        assertThat(numericFrom.isConsistentWith(ALICE)).isFalse();
    }
}
