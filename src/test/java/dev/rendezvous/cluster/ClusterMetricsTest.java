package dev.rendezvous.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.support.Await;
import dev.rendezvous.support.HttpProbe;
import dev.rendezvous.support.MetricsScrape;
import dev.rendezvous.support.RedisServer;
import dev.rendezvous.support.TestClient;
import dev.rendezvous.support.TestServer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cluster's meters on two in-JVM nodes and a real redis-server: the bus, the directory,
 * Lettuce's command timer, reachability and reconnects, and the nodes {@code /stats} sees.
 */
class ClusterMetricsTest {

    private RedisServer redis;
    private TestServer a;
    private TestServer b;

    @BeforeEach
    void startCluster() throws Exception {
        redis = RedisServer.start();
        a = TestServer.start(TestServer.config().redis(redis.uri()).nodeId("metrics-a").build());
        b = TestServer.start(TestServer.config().redis(redis.uri()).nodeId("metrics-b").build());
    }

    @AfterEach
    void stopCluster() {
        b.close();
        a.close();
        redis.close();
    }

    @Test
    void countsMessagesAcrossTheBusAndTheLookupsThatRouteThem() throws Exception {
        long bytes = 0;
        try (TestClient alice = TestClient.connect(a.port(), "alice-5521");
             TestClient bob = TestClient.connect(b.port(), "bob-5522")) {
            for (int i = 0; i < 5; i++) {
                String message = "{\"to\":\"bob-5522\",\"n\":" + i + "}";
                alice.send(message);
                assertThat(bob.receive()).isEqualTo(message);
                bytes += message.getBytes(StandardCharsets.UTF_8).length;
            }
            alice.send("{\"to\":\"nobody-5523\"}");
            assertThat(alice.receive()).contains("peer-unavailable");
            Await.until(() -> MetricsScrape.of(a.port()).value("rendezvous_redis_command_seconds_count",
                    "command", "PUBLISH") > 0, "the PUBLISH replies timed");

            MetricsScrape sender = MetricsScrape.of(a.port());
            MetricsScrape receiver = MetricsScrape.of(b.port());

            assertThat(sender.value("rendezvous_messages_total", "outcome", "cross-node")).isEqualTo(6);
            assertThat(sender.value("rendezvous_cluster_published_envelopes_total")).isEqualTo(5);
            assertThat(sender.value("rendezvous_cluster_publishes_total")).isBetween(1.0, 5.0);
            assertThat(sender.value("rendezvous_directory_lookups_total", "result", "found")).isEqualTo(1);
            assertThat(sender.value("rendezvous_directory_lookups_total", "result", "nobody")).isEqualTo(1);
            assertThat(sender.value("rendezvous_directory_lookups_total", "result", "error")).isZero();
            assertThat(sender.value("rendezvous_errors_total", "code", "peer-unavailable")).isEqualTo(1);
            assertThat(sender.value("rendezvous_redis_command_seconds_count", "command", "GET"))
                    .as("one GET per lookup").isEqualTo(2);
            assertThat(sender.value("rendezvous_redis_command_seconds_count", "command", "SET"))
                    .as("alice's claim").isEqualTo(1);
            assertThat(sender.value("rendezvous_redis_reachable")).isEqualTo(1);
            assertThat(sender.value("rendezvous_redis_reconnects_total")).isZero();
            assertThat(receiver.value("rendezvous_cluster_received_envelopes_total", "kind", "message")).isEqualTo(5);
            assertThat(receiver.value("rendezvous_cluster_received_envelopes_total", "kind", "miss")).isZero();
            assertThat(receiver.value("rendezvous_cluster_receives_total")).isBetween(1.0, 5.0);
            assertThat(receiver.value("rendezvous_sent_bytes_total")).isEqualTo(bytes);
            assertThat(receiver.value("rendezvous_messages_total", "outcome", "cross-node")).isZero();
            assertThat(sender.text())
                    .doesNotContain("127.0.0.1", "alice-5521", "bob-5522", "nobody-5523", "remote=", "local=");
        }
    }

    @Test
    void statsNamesTheNodesRedisKnows() throws Exception {
        String json = HttpProbe.get(a.port(), "/stats").body();

        assertThat(json).contains("\"mode\" : \"cluster\"", "\"node\" : \"metrics-a\"")
                .containsPattern("\"nodes\" : \\[ \"metrics-a\", \"metrics-b\" ]");
    }

    @Test
    void reportsAnOutageAndTheReconnectsAfterIt() throws Exception {
        try (TestClient alice = TestClient.connect(a.port(), "alice")) {
            redis.kill();
            Await.until(() -> MetricsScrape.of(a.port()).value("rendezvous_redis_reachable") == 0, "redis unreachable");
            alice.send("{\"to\":\"ghost\"}");
            assertThat(alice.receive()).contains("cluster-unavailable");
            assertThat(HttpProbe.get(a.port(), "/stats").body()).contains("\"nodes\" : null");

            redis.startAgain();
            Await.until(() -> MetricsScrape.of(a.port()).value("rendezvous_redis_reachable") == 1, "redis reachable");
            Await.until(() -> MetricsScrape.of(a.port()).value("rendezvous_redis_reconnects_total") >= 2,
                    "both connections back");

            MetricsScrape scrape = MetricsScrape.of(a.port());
            assertThat(scrape.value("rendezvous_redis_reconnects_total")).as("commands and pub/sub").isEqualTo(2);
            assertThat(scrape.value("rendezvous_directory_lookups_total", "result", "error")).isEqualTo(1);
            assertThat(scrape.value("rendezvous_errors_total", "code", "cluster-unavailable")).isEqualTo(1);
        }
    }
}
