package dev.rendezvous.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.support.NodeUnderTest;
import dev.rendezvous.support.RawWebSocket;
import dev.rendezvous.support.TestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Wire contract item 5: one socket per ID, atomically, and the ID is free again as soon as it closes. */
class TakenIdTest {

    @RegisterExtension
    static final NodeUnderTest server = new NodeUnderTest();



    @Test
    void refusesASecondSocketWith4409AndKeepsTheHolder() throws Exception {
        try (TestClient holder = TestClient.connect(server.port(), "taken");
             TestClient intruder = TestClient.connect(server.port(), "taken");
             TestClient other = TestClient.connect(server.port(), "other")) {
            assertThat(intruder.awaitClose()).isEqualTo(new TestClient.Close(4409, "id taken"));
            other.send("{\"to\":\"taken\",\"type\":\"offer\"}");
            assertThat(holder.receive()).isEqualTo("{\"to\":\"taken\",\"type\":\"offer\"}");
            assertThat(holder.isOpen()).isTrue();
        }
    }

    @Test
    void letsExactlyOneOf1000SimultaneousClaimsWin() throws Exception {
        int claimants = 1000;
        ExecutorService pool = Executors.newFixedThreadPool(64);
        CountDownLatch gate = new CountDownLatch(1);
        List<Future<RawWebSocket>> attempts = new ArrayList<>();
        try {
            for (int i = 0; i < claimants; i++) {
                attempts.add(pool.submit(() -> {
                    gate.await();
                    return RawWebSocket.connect(server.port(), "contested");
                }));
            }
            gate.countDown();
            List<RawWebSocket> sockets = new ArrayList<>();
            for (Future<RawWebSocket> attempt : attempts) {
                sockets.add(attempt.get(60, TimeUnit.SECONDS));
            }
            // Every socket was upgraded; the losers receive 4409 as their first frame.
            List<Future<Integer>> firstFrames = new ArrayList<>();
            for (RawWebSocket socket : sockets) {
                firstFrames.add(pool.submit(() -> {
                    socket.socket().setSoTimeout(1500);
                    try {
                        RawWebSocket.Frame frame = socket.readFrame();
                        return frame == null ? -1 : frame.opcode() == RawWebSocket.CLOSE ? frame.closeCode() : 0;
                    } catch (java.net.SocketTimeoutException | AssertionError stillOpen) {
                        return 0;
                    }
                }));
            }
            int winners = 0;
            int refused = 0;
            for (Future<Integer> first : firstFrames) {
                int code = first.get(60, TimeUnit.SECONDS);
                if (code == 0) {
                    winners++;
                } else if (code == 4409) {
                    refused++;
                }
            }
            assertThat(winners).isEqualTo(1);
            assertThat(refused).isEqualTo(claimants - 1);
            for (RawWebSocket socket : sockets) {
                socket.close();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The ID is released before the server answers the close frame: the very next connect gets it. */
    @Test
    void freesTheIdAfterACleanClose() throws Exception {
        TestClient first = TestClient.connect(server.port(), "returning");
        first.socket().sendClose(1000, "bye").get(5, TimeUnit.SECONDS);
        first.awaitClose();
        try (TestClient again = TestClient.connect(server.port(), "returning")) {
            again.send("{\"to\":\"returning\",\"type\":\"ping\"}");
            assertThat(again.receive()).isEqualTo("{\"to\":\"returning\",\"type\":\"ping\"}");
        }
    }

    /**
     * A reset or FIN frees the ID once the old connection's event loop reads it; a reconnect on
     * another loop may be faster and get 4409 first, as a browser retrying would. Bounded.
     */
    @Test
    void freesTheIdAfterATcpReset() throws Exception {
        RawWebSocket.connect(server.port(), "reset-me").reset();
        TestClient.connectOnceFree(server.port(), "reset-me", Duration.ofSeconds(5)).close();
    }

    @Test
    void freesTheIdAfterATcpFinWithoutCloseFrame() throws Exception {
        RawWebSocket.connect(server.port(), "fin-me").fin();
        TestClient.connectOnceFree(server.port(), "fin-me", Duration.ofSeconds(5)).close();
    }
}
