package dev.rendezvous.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rendezvous.support.HttpProbe;
import dev.rendezvous.support.RawWebSocket;
import dev.rendezvous.support.TestClient;
import dev.rendezvous.support.TestServer;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Wire contract items 9 and 10 inside one JVM: draining shows in /healthz, sockets get 1001. */
class ShutdownTest {

    @Test
    void drainsWithGoingAwayAndReportsUnhealthyMeanwhile() throws Exception {
        TestServer server = TestServer.start(TestServer.config().shutdownGrace(Duration.ofSeconds(5)).build());
        int port = server.port();
        try (HttpProbe keepAlive = new HttpProbe(port);
             TestClient polite = TestClient.connect(port, "polite");
             RawWebSocket stubborn = RawWebSocket.connect(port, "stubborn")) {
            assertThat(keepAlive.request("GET", "/healthz").status()).isEqualTo(200);

            CompletableFuture<Void> shutdown = CompletableFuture.runAsync(() -> server.close());

            // The stubborn client never answers the close frame, which keeps the node draining.
            RawWebSocket.Frame goingAway = stubborn.readUntilClose();
            assertThat(goingAway.closeCode()).isEqualTo(1001);
            assertThat(goingAway.text()).endsWith("going away");
            assertThat(polite.awaitClose()).isEqualTo(new TestClient.Close(1001, "going away"));

            HttpProbe.Response draining = keepAlive.request("GET", "/healthz");
            assertThat(draining.status()).isEqualTo(503);
            assertThat(draining.body()).isEqualTo("shutting down\n");
            // New connections during the drain: probes see 503, and no socket is bound any more.
            assertThat(HttpProbe.get(port, "/healthz").status()).isEqualTo(503);
            HttpProbe.Response notReady = HttpProbe.get(port, "/readyz");
            assertThat(notReady.status()).isEqualTo(503);
            assertThat(notReady.body()).isEqualTo("draining\n");
            HttpProbe.Response refused = HttpProbe.upgrade(port, "/websocket/?finger=latecomer");
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.body()).isEqualTo("shutting down\n");
            assertThat(refused.header("upgrade")).isNull();

            shutdown.get(5 + 2, TimeUnit.SECONDS);
            assertThat(stubborn.readFrame()).as("connection cut at the end of the drain").isNull();
            assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        }
    }
}
