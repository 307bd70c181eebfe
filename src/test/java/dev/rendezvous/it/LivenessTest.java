package dev.rendezvous.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rendezvous.support.NodeUnderTest;
import dev.rendezvous.support.RawWebSocket;
import dev.rendezvous.support.TestClient;
import dev.rendezvous.support.TestServer;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Wire contract item 7: pings keep healthy idle sockets; silent ones are closed and their IDs freed. */
class LivenessTest {

    private static final Duration PING = Duration.ofMillis(250);
    // Well above PING: a healthy client must survive a stall of the machine (GC, a busy CI core).
    private static final Duration IDLE = Duration.ofMillis(2000);
    private static final Duration HANDSHAKE = Duration.ofMillis(1500);
    @RegisterExtension
    static final NodeUnderTest server = new NodeUnderTest(
            TestServer.config().pingInterval(PING).idleTimeout(IDLE).handshakeTimeout(HANDSHAKE));

    /** A connection that never upgrades is cut at --handshake-timeout, probes on keep-alive included. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"silent", "a keep-alive probe"})
    void closesAConnectionThatStaysPlainHttpAfterTheHandshakeTimeout(String client) throws Exception {
        long start = System.nanoTime();
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout((int) HANDSHAKE.multipliedBy(4).toMillis());
            if (!client.equals("silent")) {
                byte[] probe = "GET /healthz HTTP/1.1\r\nHost: h\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
                socket.getOutputStream().write(probe);
            }
            // Everything until the server hangs up; a read timeout would throw instead.
            String received = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            assertThat(waited).isGreaterThanOrEqualTo(HANDSHAKE.minusMillis(50));
            if (client.equals("silent")) {
                assertThat(received).isEmpty();
            } else {
                assertThat(received).startsWith("HTTP/1.1 200 OK").endsWith("\r\n\r\nok\n");
            }
        }
    }

    @Test
    void keepsAnIdleClientThatAnswersPingsOverManyIntervals() throws Exception {
        try (TestClient idle = TestClient.connect(server.port(), "patient")) {
            // The JDK client, like a browser, answers pings by itself and sends nothing else.
            assertThat(idle.closeFuture()).failsWithin(IDLE.multipliedBy(3).toMillis(), TimeUnit.MILLISECONDS);
            assertThat(idle.isOpen()).isTrue();
            idle.send("{\"to\":\"patient\"}");
            assertThat(idle.receive()).isEqualTo("{\"to\":\"patient\"}");
        }
    }

    @Test
    void pingsEverySocketEachInterval() throws Exception {
        try (RawWebSocket socket = RawWebSocket.connect(server.port(), "pinged")) {
            for (int i = 0; i < 3; i++) {
                RawWebSocket.Frame frame = socket.readFrame();
                assertThat(frame.opcode()).isEqualTo(RawWebSocket.PING);
                socket.sendFrame(RawWebSocket.PONG, true, frame.payload());
            }
        }
    }

    @Test
    void closesASilentSocketWith4408AndFreesItsId() throws Exception {
        // Timed from before the connect: the server's clock starts before the 101 reaches us.
        long start = System.nanoTime();
        try (RawWebSocket silent = RawWebSocket.connect(server.port(), "silent")) {
            RawWebSocket.Frame close = silent.readUntilClose();
            Duration waited = Duration.ofNanos(System.nanoTime() - start);
            assertThat(close).isNotNull();
            assertThat(close.closeCode()).isEqualTo(4408);
            assertThat(close.closeReason()).isEqualTo("idle timeout");
            assertThat(waited).isGreaterThanOrEqualTo(IDLE.minusMillis(50));
        }
        try (TestClient again = TestClient.connect(server.port(), "silent")) {
            again.send("{\"to\":\"silent\"}");
            assertThat(again.receive()).isEqualTo("{\"to\":\"silent\"}");
        }
    }

    @Test
    void freesTheIdAsSoonAsTheCloseIsSentNotWhenTheConnectionEnds() throws Exception {
        try (RawWebSocket vanished = RawWebSocket.connect(server.port(), "vanished")) {
            assertThat(vanished.readUntilClose().closeCode()).isEqualTo(4408);
            // The old connection is still open (its close handshake waits up to 3 s for a reply),
            // yet the client reconnecting after a network change gets its ID back at once.
            try (TestClient back = TestClient.connect(server.port(), "vanished")) {
                back.send("{\"to\":\"vanished\"}");
                assertThat(back.receive()).isEqualTo("{\"to\":\"vanished\"}");
            }
            // Still no end of stream: the server has not hung up on the old connection yet.
            vanished.socket().setSoTimeout(100);
            assertThatThrownBy(() -> vanished.socket().getInputStream().read())
                    .isInstanceOf(SocketTimeoutException.class);
        }
    }
}
