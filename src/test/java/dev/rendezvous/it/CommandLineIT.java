package dev.rendezvous.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.support.NodeProcess;
import dev.rendezvous.support.TestClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The command line as an operator meets it: the jar in its own process, its environment and exit codes. */
class CommandLineIT {

    @Test
    void readsEverySettingFromItsEnvironmentVariableAndAFlagWinsOverIt() throws Exception {
        Map<String, String> environment = Map.of(
                "RENDEZVOUS_MAX_MESSAGE_BYTES", "100",
                "RENDEZVOUS_FROM_CHECK", "off",
                "RENDEZVOUS_PING_INTERVAL", "5s",
                "RENDEZVOUS_MAX_OUTBOUND_BYTES", "4096");
        try (NodeProcess node = NodeProcess.start(environment, "--max-outbound-bytes", "8192");
             TestClient sender = TestClient.connect(node.port(), "sender")) {
            assertThat(node.output()).contains("from-check=off", "max-message-bytes=100",
                    "max-outbound-bytes=8192", "ping-interval=PT5S");
            sender.send("{\"to\":\"sender\",\"pad\":\"" + "x".repeat(100) + "\"}");
            assertThat(sender.awaitClose().code()).as("the limit from the environment applies").isEqualTo(1009);
        }
    }

    /** README: debug logging adds a line per connect and disconnect, never a message body (SDP holds addresses). */
    @Test
    void debugLoggingNamesConnectionsButNeverLogsAMessageBody() throws Exception {
        String secret = "a=candidate:1 1 udp 2122260223 127.0.0.77 54321 typ host";
        try (NodeProcess node = NodeProcess.start(Map.of("RENDEZVOUS_LOG_LEVEL", "debug"))) {
            try (TestClient a = TestClient.connect(node.port(), "log-a");
                 TestClient b = TestClient.connect(node.port(), "log-b")) {
                a.send("{\"to\":\"log-b\",\"sdp\":\"" + secret + "\"}");
                assertThat(b.receive()).contains(secret);
                a.send("{\"to\":\"nobody\",\"sdp\":\"" + secret + "\"}");
                assertThat(a.receive()).contains("peer-unavailable");
                a.send("{\"to\":\"log-b\",\"sdp\":\"" + secret + "\",}");
                assertThat(a.receive()).contains("bad-json");
            }
            assertThat(node.terminate(10)).isZero();
            assertThat(node.output()).contains("peer=log-a connected", "peer=log-b connected",
                    "peer=log-a disconnected", "peer=log-b disconnected");
            assertThat(node.output()).doesNotContain("127.0.0.77", "candidate:1");
        }
    }

    @Test
    void aMalformedFlagExitsTwoWithOneLine() throws Exception {
        NodeProcess.Exit exit = NodeProcess.runToExit(Duration.ofSeconds(20), "--idle-timeout", "5s",
                "--ping-interval", "10s");

        assertThat(exit.code()).isEqualTo(2);
        assertThat(exit.output().lines()).singleElement().asString()
                .contains("idle timeout").contains("ping interval").contains("--help");
    }
}
