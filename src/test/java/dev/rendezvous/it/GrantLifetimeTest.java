package dev.rendezvous.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.config.AuthConfig;
import dev.rendezvous.support.Await;
import dev.rendezvous.support.Grants;
import dev.rendezvous.support.NodeUnderTest;
import dev.rendezvous.support.TestClient;
import dev.rendezvous.support.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A grant is checked at connect: a socket that outlives its {@code exp} keeps working (calls do not drop). */
class GrantLifetimeTest {

    @RegisterExtension
    static final NodeUnderTest server = new NodeUnderTest(TestServer.config().auth(new AuthConfig(
            List.of(Grants.SECRET), null, null, null, null, "sub", Duration.ZERO)));

    @Test
    void aSocketKeepsWorkingPastItsGrantsExpiry() throws Exception {
        Instant expiry = Instant.now().plusSeconds(2);
        String shortLived = Grants.hs256(Grants.SECRET, Grants.claims("brief", Duration.ofHours(1))
                .expirationTime(Date.from(expiry)).build());
        try (TestClient brief = TestClient.connect(TestClient.uri(server.port(), "brief", "token=" + shortLived));
             TestClient peer = TestClient.connect(TestClient.uri(server.port(), "peer", "token=" + Grants.forId("peer")))) {
            assertThat(brief.echoOrClose("brief")).isNull();
            // Time itself is what the test waits for: no event marks a grant's expiry.
            Await.until(() -> Instant.now().isAfter(expiry.plusMillis(500)), "the grant has expired");
            brief.send("{\"to\":\"peer\",\"type\":\"candidate\"}");
            assertThat(peer.receive()).isEqualTo("{\"to\":\"peer\",\"type\":\"candidate\"}");
            peer.send("{\"to\":\"brief\",\"type\":\"answer\"}");
            assertThat(brief.receive()).isEqualTo("{\"to\":\"brief\",\"type\":\"answer\"}");
            try (TestClient again = TestClient.connect(TestClient.uri(server.port(), "brief", "token=" + shortLived))) {
                assertThat(again.awaitClose()).as("the same grant opens no new socket, nor takes the ID over")
                        .isEqualTo(new TestClient.Close(4401, "token expired"));
            }
            assertThat(brief.echoOrClose("brief")).isNull();
        }
    }
}
