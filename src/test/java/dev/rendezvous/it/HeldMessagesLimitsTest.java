package dev.rendezvous.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.config.AuthConfig;
import dev.rendezvous.config.MailboxConfig;
import dev.rendezvous.support.Grants;
import dev.rendezvous.support.MetricsScrape;
import dev.rendezvous.support.NodeUnderTest;
import dev.rendezvous.support.TestClient;
import dev.rendezvous.support.TestServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The mailbox's answers over real sockets on a node with a short TTL (300 ms), two messages per
 * recipient, and grants required: {@code expired} when the TTL passes, {@code mailbox-full} at
 * the bound, {@code not-allowed} (nothing held) outside the sender's {@code peers}.
 */
class HeldMessagesLimitsTest {

    private static final Duration TTL = Duration.ofMillis(300);

    @RegisterExtension
    final NodeUnderTest server = new NodeUnderTest(TestServer.config()
            .mailbox(new MailboxConfig(TTL, 2, 64 * 1024, 1024 * 1024))
            .auth(new AuthConfig(List.of(Grants.SECRET), null, null, null, null, "sub", Duration.ofSeconds(30))));

    private TestClient connect(String id) throws Exception {
        return TestClient.connect(TestClient.uri(server.port(), id, "token=" + Grants.forId(id)));
    }

    @Test
    void aHeldMessageThatExpiresTellsItsSenderAfterTheTtl() throws Exception {
        try (TestClient caller = connect("caller")) {
            long sentAt = System.nanoTime();
            caller.send("{\"to\":\"callee\",\"n\":1}");
            assertThat(Json.field(caller.receive(), "type")).isEqualTo("held");
            Map<String, String> expired = Json.fields(caller.receive());
            long after = System.nanoTime() - sentAt;
            assertThat(expired).containsEntry("type", "error").containsEntry("error", "expired")
                    .containsEntry("to", "caller").containsEntry("peer", "callee");
            // Never before the TTL; the upper margin is for a loaded 2-core machine, not the design
            // (the sweep is scheduled for the message's own expiry).
            assertThat(Duration.ofNanos(after)).isGreaterThanOrEqualTo(TTL).isLessThan(TTL.plusSeconds(3));
            assertThat(server.node().relay().mailbox().messagesHeld()).isZero();
            try (TestClient callee = connect("callee")) {
                assertThat(callee.echoOrClose("callee")).as("the expired message is not delivered").isNull();
            }
        }
    }

    @Test
    void aFullMailboxRefusesAtOnce() throws Exception {
        try (TestClient caller = connect("caller")) {
            caller.send("{\"to\":\"callee\",\"n\":1}").send("{\"to\":\"callee\",\"n\":2}")
                    .send("{\"to\":\"callee\",\"n\":3}");
            assertThat(Json.field(caller.receive(), "type")).isEqualTo("held");
            assertThat(Json.field(caller.receive(), "type")).isEqualTo("held");
            assertThat(Json.fields(caller.receive())).containsEntry("error", "mailbox-full")
                    .containsEntry("peer", "callee").containsEntry("to", "caller");
        }
    }

    @Test
    void theMetricsCountHeldExpiredAndFullAndGaugeWhatIsHeld() throws Exception {
        try (TestClient caller = connect("caller")) {
            caller.send("{\"to\":\"callee\",\"n\":1}").send("{\"to\":\"callee\",\"n\":2}")
                    .send("{\"to\":\"callee\",\"n\":3}");
            caller.receive();
            caller.receive();
            caller.receive();
            MetricsScrape held = MetricsScrape.of(server.port());
            assertThat(held.value("rendezvous_messages_total", "outcome", "held")).isEqualTo(2);
            assertThat(held.value("rendezvous_errors_total", "code", "mailbox-full")).isEqualTo(1);
            assertThat(held.value("rendezvous_mailbox_held_messages")).isEqualTo(2);
            assertThat(held.value("rendezvous_mailbox_held_bytes")).isGreaterThan(2 * 20);
            assertThat(Json.field(caller.receive(), "error")).isEqualTo("expired");
            assertThat(Json.field(caller.receive(), "error")).isEqualTo("expired");
            MetricsScrape expired = MetricsScrape.of(server.port());
            assertThat(expired.value("rendezvous_errors_total", "code", "expired")).isEqualTo(2);
            assertThat(expired.value("rendezvous_mailbox_held_messages")).isZero();
            assertThat(expired.value("rendezvous_mailbox_held_bytes")).isZero();
        }
    }

    @Test
    void aGrantsPeersApplyBeforeAMessageIsHeld() throws Exception {
        String token = Grants.hs256(Grants.SECRET, Grants.claims("caller", Duration.ofHours(1))
                .claim("peers", List.of("callee")).build());
        try (TestClient caller = TestClient.connect(TestClient.uri(server.port(), "caller", "token=" + token))) {
            caller.send("{\"to\":\"stranger\",\"n\":1}");
            assertThat(Json.fields(caller.receive())).containsEntry("error", "not-allowed")
                    .containsEntry("peer", "stranger");
            assertThat(server.node().relay().mailbox().messagesHeld()).isZero();
            caller.send("{\"to\":\"callee\",\"n\":2}");
            assertThat(Json.fields(caller.receive())).containsEntry("type", "held").containsEntry("peer", "callee");
            try (TestClient callee = connect("callee")) {
                assertThat(callee.receive()).isEqualTo("{\"to\":\"callee\",\"n\":2}");
            }
        }
    }
}
