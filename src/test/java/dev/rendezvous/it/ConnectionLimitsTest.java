package dev.rendezvous.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.config.LimitsConfig;
import dev.rendezvous.support.Await;
import dev.rendezvous.support.HttpProbe;
import dev.rendezvous.support.RawWebSocket;
import dev.rendezvous.support.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** --max-connections (503), --max-connections-per-ip and the handshake bucket (429), over real sockets. */
class ConnectionLimitsTest {

    private static final InetAddress HOME = address("127.0.0.1");
    private static final InetAddress NEIGHBOUR = address("127.0.0.2");

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static TestServer node(LimitsConfig limits) throws InterruptedException {
        return TestServer.start(TestServer.config().limits(limits).build());
    }

    /** An upgrade request from {@code from}; the answer, and whether the server hung up after a refusal. */
    private record Answer(int status, String retryAfter, String body, boolean hungUp) {
    }

    private static Answer upgrade(InetAddress from, int port, String id) throws IOException {
        try (HttpProbe probe = new HttpProbe(from, port)) {
            HttpProbe.Response response = probe.request("GET", "/websocket/?finger=" + id, HttpProbe.UPGRADE_HEADERS);
            boolean hungUp = response.status() != 101 && probe.closedByServer();
            return new Answer(response.status(), response.header("Retry-After"), response.body(), hungUp);
        }
    }

    private static RawWebSocket socket(InetAddress from, int port, String id) throws IOException {
        RawWebSocket socket = RawWebSocket.openFrom(from, port, "/websocket/?finger=" + id);
        assertThat(socket.upgraded()).as("%s admitted: %s", id, socket.statusLine()).isTrue();
        return socket;
    }

    /** Waits until an upgrade from {@code from} is admitted again, and keeps that socket. */
    private static RawWebSocket awaitAdmitted(InetAddress from, int port, String id) throws Exception {
        RawWebSocket[] admitted = new RawWebSocket[1];
        Await.until(() -> {
            RawWebSocket attempt = RawWebSocket.openFrom(from, port, "/websocket/?finger=" + id);
            if (attempt.upgraded()) {
                admitted[0] = attempt;
                return true;
            }
            attempt.close();
            return false;
        }, id + " is admitted again");
        return admitted[0];
    }

    private static void closeAll(List<RawWebSocket> sockets) throws IOException {
        for (RawWebSocket socket : sockets) {
            socket.close();
        }
    }

    @Test
    void refusesWith503OverTheNodeLimitAndAdmitsAgainOnceASocketCloses() throws Exception {
        List<RawWebSocket> open = new ArrayList<>();
        try (TestServer server = node(new LimitsConfig(3, 0, 0, 0, 0, 0))) {
            for (int i = 0; i < 3; i++) {
                open.add(socket(i == 0 ? NEIGHBOUR : HOME, server.port(), "s" + i));
            }
            Answer full = upgrade(HOME, server.port(), "s3");
            assertThat(full).isEqualTo(new Answer(503, "10", "server full\n", true));
            assertThat(upgrade(NEIGHBOUR, server.port(), "s3").status()).as("whoever asks").isEqualTo(503);

            open.remove(0).close();
            open.add(awaitAdmitted(HOME, server.port(), "s3"));
            assertThat(upgrade(HOME, server.port(), "s4").status()).isEqualTo(503);
        } finally {
            closeAll(open);
        }
    }

    @Test
    void refusesWith429OverThePerAddressLimitWhileOtherAddressesAreAdmitted() throws Exception {
        List<RawWebSocket> open = new ArrayList<>();
        try (TestServer server = node(new LimitsConfig(0, 2, 0, 0, 0, 0))) {
            open.add(socket(HOME, server.port(), "a1"));
            open.add(socket(HOME, server.port(), "a2"));
            Answer refused = upgrade(HOME, server.port(), "a3");
            assertThat(refused).isEqualTo(new Answer(429, "10", "too many sockets from this address\n", true));
            open.add(socket(NEIGHBOUR, server.port(), "b1"));
            open.add(socket(NEIGHBOUR, server.port(), "b2"));

            open.remove(0).close();
            open.add(awaitAdmitted(HOME, server.port(), "a3"));
            assertThat(upgrade(HOME, server.port(), "a4").status()).isEqualTo(429);
            assertThat(upgrade(NEIGHBOUR, server.port(), "b3").status()).isEqualTo(429);
        } finally {
            closeAll(open);
        }
    }

    /**
     * Three at once, then one every two seconds: the fourth upgrade in a row is refused with the
     * seconds until the next token, and admitted once the bucket has refilled. Refused attempts
     * take no token, so polling for the refill does not delay it.
     */
    @Test
    void refusesWith429OverTheHandshakeRateUntilTheBucketRefills() throws Exception {
        try (TestServer server = node(new LimitsConfig(0, 0, 0.5, 3, 0, 0))) {
            for (int i = 0; i < 3; i++) {
                socket(HOME, server.port(), "h" + i).close();
            }
            Answer refused = upgrade(HOME, server.port(), "h3");
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.body()).isEqualTo("too many connection attempts from this address\n");
            assertThat(Integer.parseInt(refused.retryAfter())).isBetween(1, 2);
            assertThat(refused.hungUp()).isTrue();
            socket(NEIGHBOUR, server.port(), "n0").close();

            awaitAdmitted(HOME, server.port(), "h3").close();
        }
    }
}
