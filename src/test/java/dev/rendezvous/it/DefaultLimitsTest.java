package dev.rendezvous.it;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.sun.management.UnixOperatingSystemMXBean;
import dev.rendezvous.Rendezvous;
import dev.rendezvous.support.CapturedLog;
import dev.rendezvous.support.NodeUnderTest;
import dev.rendezvous.support.RawWebSocket;
import dev.rendezvous.support.TestClient;
import dev.rendezvous.support.TestServer;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The abuse limits' defaults change nothing a well-behaved client or the benchmarks do: what the
 * issue names, at a scale that runs in seconds, against a node with default settings, from one
 * address. (The 19,000 idle sockets of the benchmark need the open-file limit of its machine; the
 * start line's limit is checked against it here, the sockets themselves by bench/run.)
 */
class DefaultLimitsTest {

    @RegisterExtension
    final NodeUnderTest server = new NodeUnderTest();

    @Test
    void sixHundredSocketsFromOneAddress() throws Exception {
        List<RawWebSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 600; i++) {
                sockets.add(RawWebSocket.connect(server.port(), "s" + i));
            }
            RawWebSocket last = sockets.get(599);
            last.sendText("{\"to\":\"s0\"}");
            assertThat(sockets.get(0).readAnsweringPings().text()).isEqualTo("{\"to\":\"s0\"}");
        } finally {
            for (RawWebSocket socket : sockets) {
                socket.close();
            }
        }
    }

    @Test
    void twoThousandHandshakesInAFewSecondsFromOneAddress() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> upgraded = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                upgraded.add(threads.submit(() -> {
                    int count = 0;
                    for (int i = 0; i < 500; i++) {
                        try (RawWebSocket socket = RawWebSocket.open(server.port(),
                                "/websocket/?finger=h" + thread + "-" + i)) {
                            count += socket.upgraded() ? 1 : 0;
                        }
                    }
                    return count;
                }));
            }
            int total = 0;
            for (Future<Integer> count : upgraded) {
                total += count.get(60, TimeUnit.SECONDS);
            }
            assertThat(total).isEqualTo(2000);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void twoThousandMessagesBackToBackFromOneSocket() throws Exception {
        try (TestClient sink = TestClient.connect(server.port(), "sink");
             RawWebSocket sender = RawWebSocket.connect(server.port(), "sender")) {
            ByteArrayOutputStream frames = new ByteArrayOutputStream();
            for (int i = 0; i < 2000; i++) {
                byte[] payload = ("{\"to\":\"sink\",\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
                frames.write(0x81);
                frames.write(0x80 | payload.length);
                frames.writeBytes(new byte[4]);
                frames.writeBytes(payload);
            }
            sender.socket().getOutputStream().write(frames.toByteArray());
            for (int i = 0; i < 2000; i++) {
                assertThat(sink.receive()).isEqualTo("{\"to\":\"sink\",\"n\":" + i + "}");
            }
            sender.sendText("{\"to\":\"sender\",\"last\":true}");
            assertThat(sender.readAnsweringPings().text()).as("no error frame came first")
                    .isEqualTo("{\"to\":\"sender\",\"last\":true}");
        }
    }

    /** Four sockets at 200 messages a second each for two seconds (two messages every 10 ms). */
    @Test
    void twoHundredMessagesASecondPerSocketSustained() throws Exception {
        List<TestClient> senders = new ArrayList<>();
        try (TestClient sink = TestClient.connect(server.port(), "sink")) {
            for (int i = 0; i < 4; i++) {
                senders.add(TestClient.connect(server.port(), "sender" + i));
            }
            long start = System.nanoTime();
            for (int tick = 0; tick < 200; tick++) {
                LockSupport.parkNanos(start + tick * 10_000_000L - System.nanoTime()); // the pace under test
                for (TestClient sender : senders) {
                    sender.send("{\"to\":\"sink\",\"t\":" + tick + "}");
                    sender.send("{\"to\":\"sink\",\"t\":" + tick + "}");
                }
            }
            for (int i = 0; i < 200 * 2 * 4; i++) {
                assertThat(sink.receive()).startsWith("{\"to\":\"sink\",\"t\":");
            }
            for (TestClient sender : senders) {
                assertThat(sender.poll(Duration.ZERO)).as("no error frame").isNull();
            }
        } finally {
            senders.forEach(TestClient::close);
        }
    }

    /** The default socket limit is below the open-file limit by the documented reserve: 19,744 here. */
    @Test
    void theStartLineShowsASocketLimitThatHoldsTheBenchmarksIdleSockets() throws Exception {
        long openFiles = ((UnixOperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getMaxFileDescriptorCount();
        try (CapturedLog log = new CapturedLog(Rendezvous.class, Level.INFO);
             TestServer node = TestServer.start()) {
            String start = log.messages().stream().filter(m -> m.contains(" listening on ")).findFirst().orElseThrow();
            Matcher limit = Pattern.compile("max-connections=(\\d+) \\(open-file limit (\\d+) minus 256\\)")
                    .matcher(start);
            assertThat(limit.find()).as(start).isTrue();
            assertThat(Long.parseLong(limit.group(2))).isEqualTo(openFiles);
            assertThat(Long.parseLong(limit.group(1))).isEqualTo(openFiles - 256);
            if (openFiles >= 20_000) {
                assertThat(Long.parseLong(limit.group(1))).isGreaterThanOrEqualTo(19_000);
            }
        }
    }
}
