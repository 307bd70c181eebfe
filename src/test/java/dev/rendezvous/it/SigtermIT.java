package dev.rendezvous.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.support.NodeProcess;
import dev.rendezvous.support.RawWebSocket;
import dev.rendezvous.support.TestClient;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Wire contract item 10 against the real jar in its own process: SIGTERM drains and exits 0. */
class SigtermIT {

    @Test
    void closesEverySocketWith1001AndExitsZero() throws Exception {
        try (NodeProcess node = NodeProcess.start("--shutdown-grace", "5s");
             TestClient a = TestClient.connect(node.port(), "a");
             TestClient b = TestClient.connect(node.port(), "b")) {
            a.send("{\"to\":\"b\"}");
            assertThat(b.receive()).isEqualTo("{\"to\":\"b\"}");

            node.terminateAsync();

            assertThat(a.awaitClose()).isEqualTo(new TestClient.Close(1001, "going away"));
            assertThat(b.awaitClose()).isEqualTo(new TestClient.Close(1001, "going away"));
            assertThat(node.awaitExit(5 + 3)).as("exit code, within the grace").isZero();
        }
    }

    @Test
    void exitsWithinTheGraceEvenWhenAClientNeverAnswersTheClose() throws Exception {
        Duration grace = Duration.ofSeconds(2);
        try (NodeProcess node = NodeProcess.start("--shutdown-grace", grace.toSeconds() + "s");
             RawWebSocket stubborn = RawWebSocket.connect(node.port(), "stubborn")) {
            long signalled = System.nanoTime();
            node.terminateAsync();
            assertThat(stubborn.readUntilClose().closeCode()).isEqualTo(1001);
            // The slack covers the JVM's own exit on a starved machine.
            assertThat(node.awaitExit(grace.toSeconds() + 5)).as("exit code, within the grace").isZero();
            assertThat(Duration.ofNanos(System.nanoTime() - signalled)).isLessThan(grace.plusSeconds(5));
        }
    }

    @Test
    void drainsAndExitsZeroWhenSignalledTheMomentItListens() throws Exception {
        // A supervisor may act on the start line at once; the signal must not find the JVM's
        // default handler (exit 143, no drain) in place.
        for (int attempt = 0; attempt < 3; attempt++) {
            try (NodeProcess node = NodeProcess.start()) {
                node.terminateAsync();
                assertThat(node.awaitExit(10)).as("exit code, attempt " + attempt).isZero();
            }
        }
    }
}
