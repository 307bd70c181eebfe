package dev.rendezvous.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.config.AuthConfig;
import dev.rendezvous.signaling.Claim;
import dev.rendezvous.signaling.CloseReason;
import dev.rendezvous.signaling.PeerId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Every refusal is reported with its cause; admitted claims carry what the core needs and nothing more. */
class ClaimAdmissionTest {

    private static final String SECRET = "a-secret-that-is-at-least-32-bytes-long";
    private static final AuthConfig AUTH = new AuthConfig(List.of(SECRET), null, null, null, null, "sub",
            Duration.ofSeconds(30));
    private final List<RefusalCause> reported = new CopyOnWriteArrayList<>();
    private final PeerId alice = new PeerId("alice");

    private ClaimAdmission.Decision decide(ClaimAdmission admission, String query) {
        return admission.decide(alice, null, query, List.of(), "test").join();
    }

    @Test
    void reportsEachGrantRefusalByCause() {
        try (ClaimAdmission admission = ClaimAdmission.from(AUTH, reported::add)) {
            assertThat(decide(admission, "finger=alice").refusal()).isEqualTo(CloseReason.TOKEN_MISSING);
            assertThat(decide(admission, "token=x.y.z").refusal()).isEqualTo(CloseReason.TOKEN_INVALID);
            String expired = TokenMinter.mint(AUTH, "alice", Duration.ofSeconds(1), List.of(),
                    Instant.now().minusSeconds(120));
            assertThat(decide(admission, "token=" + expired).refusal()).isEqualTo(CloseReason.TOKEN_EXPIRED);
            String bobs = TokenMinter.mint(AUTH, "bob", Duration.ofHours(1), List.of(), Instant.now());
            assertThat(decide(admission, "token=" + bobs).refusal()).isEqualTo(CloseReason.TOKEN_FOR_ANOTHER_ID);
            assertThat(admission.sessionKey("session=nope", "test").refused()).isTrue();
        }
        assertThat(reported).containsExactly(RefusalCause.TOKEN_MISSING, RefusalCause.TOKEN_INVALID,
                RefusalCause.TOKEN_EXPIRED, RefusalCause.TOKEN_FOR_ANOTHER_ID, RefusalCause.SESSION_KEY);
    }

    @Test
    void anAdmittedGrantVouchesAndCarriesItsPeers() {
        try (ClaimAdmission admission = ClaimAdmission.from(AUTH, reported::add)) {
            String grant = TokenMinter.mint(AUTH, "alice", Duration.ofHours(1), List.of("bob", "carol"), Instant.now());
            Claim claim = decide(admission, "token=" + grant).claim();
            assertThat(claim.vouched()).isTrue();
            assertThat(claim.peers()).isEqualTo(Set.of(new PeerId("bob"), new PeerId("carol")));
            assertThat(claim.hasKey()).isFalse();
        }
        assertThat(reported).isEmpty();
    }

    @Test
    void withoutGrantsEveryClaimIsPlainOrKeyed() {
        try (ClaimAdmission admission = ClaimAdmission.open(reported::add)) {
            Claim plain = decide(admission, "finger=alice&token=ignored").claim();
            assertThat(plain.vouched()).isFalse();
            assertThat(plain.peers()).isNull();
            byte[] hash = admission.sessionKey("session=" + "k".repeat(22), "test").hash();
            Claim keyed = admission.decide(alice, hash, "", List.of(), "test").join().claim();
            assertThat(keyed.mayReplace(Claim.of(alice, hash, null, false))).isTrue();
            assertThat(keyed.mayReplace(plain)).isFalse();
        }
    }

    @Test
    void logLinesCarryNoControlCharactersAndStayShort() {
        assertThat(ClaimAdmission.printable("iss evil\n12:00 INFO forged line")).doesNotContain("\n");
        assertThat(ClaimAdmission.printable("x".repeat(1000))).hasSize(301);
    }
}
