package dev.rendezvous.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.admission.RefusalCause;
import dev.rendezvous.config.AdminConfig;
import dev.rendezvous.support.Await;
import dev.rendezvous.support.HttpProbe;
import dev.rendezvous.support.MetricsScrape;
import dev.rendezvous.support.NodeUnderTest;
import dev.rendezvous.support.RawWebSocket;
import dev.rendezvous.support.TestClient;
import dev.rendezvous.support.TestServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code /metrics} on the public port (no {@code --admin-port}): the formats, and the exact value of
 * every counter after a known sequence of real traffic, with IDs that would stand out in any label.
 */
class MetricsTest {

    private static final String ALICE = "zebra-7731-alpha";
    private static final String BOB = "quokka-1152-beta";
    private static final String NOBODY = "narwhal-4242-gamma";
    private static final String ORIGIN = "https://marmot-9001.example";

    @RegisterExtension
    final NodeUnderTest server = new NodeUnderTest(TestServer.config()
            .pingInterval(Duration.ofMillis(200)).idleTimeout(Duration.ofSeconds(30)));

    /** Admission's own refusals reach the counter, and a takeover is an upgrade of its own kind. */
    @Test
    void countsATakeoverAndARefusedSessionKey() throws Exception {
        String key = "k".repeat(22);
        try (RawWebSocket old = RawWebSocket.open(server.port(), "/websocket/?finger=" + ALICE + "&session=" + key);
             RawWebSocket newcomer = RawWebSocket.open(server.port(), "/websocket/?finger=" + ALICE + "&session=" + key)) {
            assertThat(newcomer.upgraded()).isTrue();
            assertThat(old.readUntilClose().closeCode()).isEqualTo(4410);
            try (RawWebSocket refused = RawWebSocket.open(server.port(), "/websocket/?finger=" + BOB + "&session=short")) {
                assertThat(refused.statusLine()).contains("400");
            }
            MetricsScrape scrape = MetricsScrape.of(server.port());

            assertThat(scrape.value("rendezvous_upgrades_total", "result", "accepted")).isEqualTo(1);
            assertThat(scrape.value("rendezvous_upgrades_total", "result", "replacing")).isEqualTo(1);
            assertThat(scrape.value("rendezvous_upgrades_total", "result", "invalid")).isEqualTo(1);
            assertThat(scrape.value("rendezvous_closes_total", "code", "4410", "reason", "replaced")).isEqualTo(1);
            assertThat(scrape.value("rendezvous_refusals_total", "cause", "session-key")).isEqualTo(1);
            assertThat(scrape.sum("rendezvous_refusals_total")).isEqualTo(1);
        }
    }

    @Test
    void servesPrometheusTextByDefault() throws Exception {
        HttpProbe.Response response = HttpProbe.get(server.port(), "/metrics");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("content-type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        assertThat(response.body()).contains("# TYPE rendezvous_messages_total counter")
                .doesNotContain("# EOF");
    }

    @Test
    void servesOpenMetricsWhenTheAcceptHeaderPrefersIt() throws Exception {
        // What Prometheus 2.x sends.
        HttpProbe.Response response = HttpProbe.get(server.port(), "/metrics", "Accept: application/openmetrics-text;"
                + "version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,"
                + "*/*;q=0.1");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("content-type"))
                .isEqualTo("application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertThat(response.body()).contains("# TYPE rendezvous_messages counter").endsWith("# EOF\n");
    }

    @Test
    void servesTextWhenTextIsPreferred() throws Exception {
        HttpProbe.Response response = HttpProbe.get(server.port(), "/metrics",
                "Accept: text/plain;version=0.0.4,application/openmetrics-text;version=1.0.0;q=0.5");

        assertThat(response.header("content-type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
    }

    @Test
    void countsEveryOutcomeOfAKnownSequenceExactly() throws Exception {
        List<String> local = List.of(message(BOB, ALICE, "offer"), message(BOB, ALICE, "candidate"),
                message(BOB, ALICE, "candidate"));
        String toNobody = message(NOBODY, ALICE, "offer");
        String notJson = "not json";
        String spoofed = message(BOB, BOB, "offer");
        long bytesIn = 0;
        long bytesOut = 0;
        try (TestClient alice = TestClient.connect(server.port(), ALICE);
             TestClient bob = TestClient.connect(server.port(), BOB)) {
            for (String text : local) {
                alice.send(text);
                assertThat(bob.receive()).isEqualTo(text);
                bytesIn += utf8(text);
                bytesOut += utf8(text);
            }
            for (String text : List.of(toNobody, notJson, spoofed)) {
                alice.send(text);
                bytesIn += utf8(text);
                bytesOut += utf8(alice.receive());
            }
            try (RawWebSocket twin = RawWebSocket.open(server.port(), "/websocket/?finger=" + BOB,
                    "Origin: " + ORIGIN)) {
                assertThat(twin.upgraded()).isTrue();
                assertThat(twin.readUntilClose().closeCode()).isEqualTo(4409);
            }
            server.node().refusals().refused(RefusalCause.ORIGIN);
            bob.socket().sendClose(1000, "bye").join();
            assertThat(bob.awaitClose().code()).isEqualTo(1000);
            Await.until(() -> MetricsScrape.of(server.port()).value("rendezvous_sockets_open") == 1,
                    "only alice's socket is open");
            Await.until(() -> MetricsScrape.of(server.port()).value("rendezvous_relay_latency_seconds_count") == 1,
                    "alice's first message, the one sampled, is timed");

            MetricsScrape scrape = MetricsScrape.of(server.port());

            assertThat(scrape.value("rendezvous_messages_total", "outcome", "local")).isEqualTo(3);
            assertThat(scrape.value("rendezvous_messages_total", "outcome", "refused")).isEqualTo(2);
            assertThat(scrape.value("rendezvous_messages_total", "outcome", "malformed")).isEqualTo(1);
            assertThat(scrape.value("rendezvous_messages_total", "outcome", "cross-node")).isZero();
            assertThat(scrape.value("rendezvous_errors_total", "code", "peer-unavailable")).isEqualTo(1);
            assertThat(scrape.value("rendezvous_errors_total", "code", "bad-json")).isEqualTo(1);
            assertThat(scrape.value("rendezvous_errors_total", "code", "from-mismatch")).isEqualTo(1);
            assertThat(scrape.sum("rendezvous_errors_total")).isEqualTo(3);
            assertThat(scrape.value("rendezvous_received_bytes_total")).isEqualTo(bytesIn);
            assertThat(scrape.value("rendezvous_sent_bytes_total")).isEqualTo(bytesOut);
            assertThat(scrape.value("rendezvous_upgrades_total", "result", "accepted")).isEqualTo(2);
            assertThat(scrape.value("rendezvous_upgrades_total", "result", "id-taken")).isEqualTo(1);
            assertThat(scrape.sum("rendezvous_upgrades_total")).isEqualTo(3);
            assertThat(scrape.value("rendezvous_closes_total", "code", "4409", "reason", "id-taken")).isEqualTo(1);
            assertThat(scrape.value("rendezvous_closes_total", "code", "1000", "reason", "client")).isEqualTo(1);
            assertThat(scrape.sum("rendezvous_closes_total")).isEqualTo(2);
            assertThat(scrape.value("rendezvous_refusals_total", "cause", "origin")).isEqualTo(1);
            assertThat(scrape.sum("rendezvous_refusals_total")).isEqualTo(1);
            assertThat(scrape.value("rendezvous_ids_held")).isEqualTo(1);
            assertThat(scrape.value("rendezvous_relay_latency_seconds_bucket", "le", "+Inf")).isEqualTo(1);
            assertThat(scrape.value("rendezvous_build_info", "version", "dev", "node", "local", "mode", "single-node"))
                    .isEqualTo(1);
        }
    }

    @Test
    void countsAConnectionThatEndsWithoutACloseAsDropped() throws Exception {
        try (RawWebSocket client = RawWebSocket.connect(server.port(), ALICE)) {
            client.reset();
        }
        Await.until(() -> MetricsScrape.of(server.port()).value("rendezvous_closes_total", "code", "1006",
                "reason", "dropped") == 1, "the reset connection is counted as dropped");
        assertThat(MetricsScrape.of(server.port()).sum("rendezvous_closes_total")).isEqualTo(1);
    }

    @Test
    void timesThePingRoundTripFromTheClientsPongs() throws Exception {
        try (TestClient alice = TestClient.connect(server.port(), ALICE)) {
            Await.until(() -> MetricsScrape.of(server.port()).value("rendezvous_ping_round_trip_seconds_count") >= 2,
                    "two pings answered (interval 200 ms)");
            MetricsScrape scrape = MetricsScrape.of(server.port());
            double count = scrape.value("rendezvous_ping_round_trip_seconds_count");
            assertThat(scrape.value("rendezvous_ping_round_trip_seconds_bucket", "le", "1.0"))
                    .as("every loopback round trip within a second").isEqualTo(count);
            assertThat(scrape.value("rendezvous_ping_round_trip_seconds_sum")).isPositive();
        }
    }

    @Test
    void noLabelNamesAnIdAnAddressOrAnOrigin() throws Exception {
        try (TestClient alice = TestClient.connect(server.port(), ALICE);
             TestClient bob = TestClient.connect(server.port(), BOB);
             RawWebSocket twin = RawWebSocket.open(server.port(), "/websocket/?finger=" + ALICE, "Origin: " + ORIGIN)) {
            alice.send(message(BOB, ALICE, "offer"));
            bob.receive();
            alice.send(message(NOBODY, ALICE, "offer"));
            alice.receive();
            assertThat(twin.readUntilClose().closeCode()).isEqualTo(4409);

            MetricsScrape scrape = MetricsScrape.of(server.port());

            assertThat(scrape.text()).doesNotContain(ALICE, BOB, NOBODY, "marmot", "127.0.0.1");
            assertThat(scrape.labelValues()).noneMatch(value -> value.matches(".*\\d+\\.\\d+\\.\\d+\\.\\d+.*"));
        }
    }

    @Test
    void eachCounterStartsAtZeroForEveryValueOfItsLabels() throws Exception {
        MetricsScrape scrape = MetricsScrape.of(server.port());

        for (RefusalCause cause : RefusalCause.values()) {
            assertThat(scrape.value("rendezvous_refusals_total", "cause", cause.label())).isZero();
        }
        assertThat(scrape.value("rendezvous_closes_total", "code", "1013", "reason", "too-slow")).isZero();
        assertThat(scrape.value("rendezvous_errors_total", "code", "cluster-unavailable")).isZero();
        assertThat(scrape.value("rendezvous_sockets_max")).isPositive();
    }

    @Test
    void isNotServedWithMetricsOff() throws Exception {
        try (TestServer off = TestServer.start(TestServer.config()
                .admin(new AdminConfig(-1, "127.0.0.1", null, false)).build());
             TestClient alice = TestClient.connect(off.port(), ALICE);
             TestClient bob = TestClient.connect(off.port(), BOB)) {
            alice.send(message(BOB, ALICE, "offer"));
            assertThat(bob.receive()).contains("offer");

            assertThat(HttpProbe.get(off.port(), "/metrics").status()).isEqualTo(404);
            assertThat(HttpProbe.get(off.port(), "/stats").status()).isEqualTo(200);
        }
    }

    private static String message(String to, String from, String type) {
        return "{\"to\":\"" + to + "\",\"from\":\"" + from + "\",\"type\":\"" + type + "\"}";
    }

    private static long utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
