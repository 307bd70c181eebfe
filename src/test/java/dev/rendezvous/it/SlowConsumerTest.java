package dev.rendezvous.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.support.RawWebSocket;
import dev.rendezvous.support.TestClient;
import dev.rendezvous.support.TestServer;
import dev.rendezvous.transport.RendezvousServer;
import java.io.IOException;
import java.net.SocketException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * Wire contract item 8: a socket that stops reading is closed with 1013 once its outbound queue
 * reaches --max-outbound-bytes, so a flood addressed to it cannot grow the server's memory.
 */
class SlowConsumerTest {

    private static final int OUTBOUND_LIMIT = 64 * 1024;
    private static final int MESSAGE_BYTES = 16 * 1024;
    private static final long FLOOD_BYTES = 96L * 1024 * 1024;

    @Test
    void closesASocketThatStopsReadingAndBoundsMemory() throws Exception {
        try (TestServer server = TestServer.start(TestServer.config().maxOutboundBytes(OUTBOUND_LIMIT).build());
             RawWebSocket slow = RawWebSocket.connect(server.port(), "slow");
             TestClient sender = TestClient.connect(server.port(), "sender");
             TestClient bystander = TestClient.connect(server.port(), "bystander")) {
            String message = "{\"to\":\"slow\",\"sdp\":\"" + "z".repeat(MESSAGE_BYTES - 20) + "\"}";
            long peakDirect = 0;
            long sent = 0;
            String firstError = null;
            while (sent < FLOOD_BYTES && firstError == null) {
                sender.send(message);
                sent += message.length();
                peakDirect = Math.max(peakDirect, usedDirectMemory());
                firstError = sender.poll(Duration.ZERO);
            }
            if (firstError == null) {
                sender.send(message);
                firstError = sender.receive();
            }
            assertThat(Json.fields(firstError))
                    .containsEntry("error", "peer-unavailable")
                    .containsEntry("peer", "slow")
                    .containsEntry("detail", "peer was too slow to read and has been disconnected");
            assertThat(sent).as("the server gave up on the slow socket long before the flood ended")
                    .isLessThan(FLOOD_BYTES);
            // Kernel socket buffers absorb a few MiB; the server itself holds at most the bound plus
            // the buffers the reads land in, nowhere near the flood's size.
            assertThat(peakDirect).isLessThan(32L * 1024 * 1024);
            assertSlowSocketEndedWith1013OrCut(slow);
            bystander.send("{\"to\":\"bystander\"}");
            assertThat(bystander.receive()).isEqualTo("{\"to\":\"bystander\"}");
        }
    }

    /**
     * Pings count as signs of life, so a client that pings without reading is never idle; its
     * pongs are bounded like any other outbound frame: the server closes with 1013 (freeing the
     * ID at once), drains for the closing handshake's 3 s and hangs up. Without the bound it reads
     * and answers every ping into its own memory and never hangs up.
     *
     * <p>The pinger writes on its own thread: a client that never reads can end up with both TCP
     * windows at zero, and then its blocking write learns of the hang-up only when a zero-window
     * probe meets the closed socket, minutes later. The test reads once the ID is free instead.
     */
    @Test
    void hangsUpOnASocketThatPingsWithoutReading() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "pinger");
            thread.setDaemon(true);
            return thread;
        });
        try (TestServer server = TestServer.start(TestServer.config().maxOutboundBytes(OUTBOUND_LIMIT).build());
             RawWebSocket pinger = RawWebSocket.connect(server.port(), "pinger");
             TestClient bystander = TestClient.connect(server.port(), "bystander")) {
            byte[] ping = new byte[2 + 4 + 125];
            ping[0] = (byte) 0x89;
            ping[1] = (byte) (0x80 | 125);
            byte[] pings = new byte[ping.length * 400];
            for (int i = 0; i < pings.length; i += ping.length) {
                System.arraycopy(ping, 0, pings, i, ping.length);
            }
            AtomicLong peakDirect = new AtomicLong();
            AtomicBoolean flooding = new AtomicBoolean(true);
            CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> {
                try {
                    while (true) {
                        pinger.socket().getOutputStream().write(pings);
                    }
                } catch (IOException hungUp) {
                    // expected: the server closed the connection
                }
            }, threads);
            CompletableFuture.runAsync(() -> {
                while (flooding.get()) {
                    peakDirect.accumulateAndGet(usedDirectMemory(), Math::max);
                    LockSupport.parkNanos(1_000_000); // a sample per millisecond
                }
            }, threads);
            try {
                // Closing with 1013 frees the ID at once.
                TestClient.connectOnceFree(server.port(), "pinger", Duration.ofSeconds(45)).close();
            } finally {
                flooding.set(false);
            }
            assertThat(peakDirect.get()).isLessThan(32L * 1024 * 1024);

            // Reading now drains the pongs queued before the close; then the stream must end.
            pinger.socket().setSoTimeout(10_000);
            try {
                pinger.readUntilClose();
                assertThat(pinger.socket().getInputStream().read()).as("end of stream after the close").isEqualTo(-1);
            } catch (SocketException reset) {
                // Also a hang-up: the kernel resets a closed socket that still receives pings.
            }
            writing.get(10, TimeUnit.SECONDS);
            bystander.send("{\"to\":\"bystander\"}");
            assertThat(bystander.receive()).isEqualTo("{\"to\":\"bystander\"}");
        } finally {
            threads.shutdownNow();
        }
    }

    private static long usedDirectMemory() {
        return RendezvousServer.BUFFER_ALLOCATOR.metric().usedDirectMemory();
    }

    /** Draining the slow socket now shows the close the server queued (1013) or the forced cut. */
    private static void assertSlowSocketEndedWith1013OrCut(RawWebSocket slow) throws IOException {
        RawWebSocket.Frame close;
        try {
            close = slow.readUntilClose();
        } catch (IOException reset) {
            return;
        }
        if (close != null) {
            assertThat(close.closeCode()).isEqualTo(1013);
        }
    }
}
