package dev.rendezvous.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.support.Await;
import dev.rendezvous.support.NodeProcess;
import dev.rendezvous.support.RawWebSocket;
import dev.rendezvous.support.RedisServer;
import dev.rendezvous.support.SelfSignedCertificate;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/nginx/rendezvous.conf with Debian's nginx in front of two cluster nodes (the jar) and a
 * real redis-server: calls relayed through it over TLS, each client on its own node.
 */
class NginxIT {

    private static final Path SITE = Path.of("deploy/nginx/rendezvous.conf");
    private static final InetAddress LOOPBACK = loopback("127.0.0.1");
    private static final String ADMIN_TOKEN = "nginx-it-admin-token-0123456789";

    private static RedisServer redis;
    private static NodeProcess one;
    private static NodeProcess two;
    private static SelfSignedCertificate certificate;
    private static Nginx nginx;
    private static Path certDir;

    @BeforeAll
    static void start() throws Exception {
        Nginx.assumeInstalled();
        redis = RedisServer.start();
        one = node("nginx-1");
        two = node("nginx-2");
        certificate = SelfSignedCertificate.create();
        certDir = Files.createTempDirectory("rendezvous-tls-");
        certificate.writePem(certDir.resolve("cert.pem"), certDir.resolve("key.pem"));
        nginx = Nginx.start(SITE, certDir.resolve("cert.pem"), certDir.resolve("key.pem"),
                List.of(one.port(), two.port()));
    }

    /** A node as the site file's comments ask for one, logging connects. */
    private static NodeProcess node(String id) throws Exception {
        return NodeProcess.start("--redis", redis.uri().toString(), "--node-id", id,
                "--trust-proxy", "127.0.0.1/32", "--log-level", "debug", "--admin-port", "0",
                "--admin-token", ADMIN_TOKEN);
    }

    @AfterAll
    static void stop() throws Exception {
        if (nginx != null) {
            nginx.close();
        }
        for (AutoCloseable closeable : new AutoCloseable[] {one, two, redis}) {
            if (closeable != null) {
                closeable.close();
            }
        }
        if (certDir != null) {
            Files.deleteIfExists(certDir.resolve("cert.pem"));
            Files.deleteIfExists(certDir.resolve("key.pem"));
            Files.deleteIfExists(certDir);
        }
    }

    @Test
    void relaysACallAcrossTwoNodesThroughNginxOverTls() throws Exception {
        try (RawWebSocket a = connect("call-a", LOOPBACK)) {
            NodeProcess nodeOfA = awaitNodeOf("call-a");
            try (RawWebSocket b = connect("call-b", LOOPBACK)) {
                assertThat(awaitNodeOf("call-b")).as("least_conn sends the second socket to the other node")
                        .isNotSameAs(nodeOfA);

                String offer = "{\"to\":\"call-b\",\"from\":\"call-a\",\"type\":\"offer\","
                        + "\"sdp\":\"v=0\\r\\no=- 4611731400430051336 2 IN IP4 127.0.0.1\\r\\ns=-\\r\\nt=0 0\\r\\n"
                        + "a=group:BUNDLE 0\\r\\nm=audio 9 UDP/TLS/RTP/SAVPF 111\\r\\n\",\"note\":\"café ☎\"}";
                relays(a, b, offer);
                String answer = "{\"to\":\"call-a\",\"from\":\"call-b\",\"type\":\"answer\","
                        + "\"sdp\":{\"type\":\"answer\",\"sdp\":\"v=0\\r\\ns=-\\r\\n\"}}";
                relays(b, a, answer);
                for (int i = 0; i < 5; i++) {
                    relays(a, b, candidate("call-b", "call-a", i));
                    relays(b, a, candidate("call-a", "call-b", i));
                }
            }
        }
    }

    @Test
    void plainHttpIsRedirectedToHttps() throws Exception {
        try (Socket socket = new Socket(LOOPBACK, nginx.httpPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /websocket/?finger=x HTTP/1.1\r\nHost: signal.example.com\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(response).startsWith("HTTP/1.1 301")
                    .contains("Location: https://signal.example.com/websocket/?finger=x");
        }
    }

    @Test
    void keepsMetricsAndStatsOffThePublicPort() throws Exception {
        for (String path : List.of("/metrics", "/stats")) {
            try (Socket socket = certificate.connect(LOOPBACK, nginx.tlsPort())) {
                socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n"
                        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                assertThat(statusLine(socket.getInputStream())).as(path).isEqualTo("HTTP/1.1 404 Not Found");
            }
        }
    }

    @Test
    void theNodeTakesTheClientAddressFromNginxNotFromAForgedHeader() throws Exception {
        try (RawWebSocket client = connect("xff-a", loopback("127.0.0.5"), "X-Forwarded-For: 127.0.0.9")) {
            Pattern connectedFrom = Pattern.compile("peer=xff-a connected from 127\\.0\\.0\\.5 via ");
            NodeProcess node = awaitNodeOf("xff-a");
            assertThat(node.output()).containsPattern(connectedFrom);
            String stats = adminStats(node);
            assertThat(stats).as("the admin view of /stats")
                    .containsPattern("\"id\"\\s*:\\s*\"xff-a\",\\s*\"address\"\\s*:\\s*\"127\\.0\\.0\\.5\"")
                    .doesNotContain("127.0.0.9");
        }
    }

    /** /stats from the node's admin port, with the admin token: the view that lists sockets. */
    private static String adminStats(NodeProcess node) throws IOException {
        Matcher admin = Pattern.compile("admin=/127\\.0\\.0\\.1:(\\d+)").matcher(node.output());
        assertThat(admin.find()).as("the start line names the admin port").isTrue();
        try (Socket socket = new Socket(LOOPBACK, Integer.parseInt(admin.group(1)))) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET /stats HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                    + ADMIN_TOKEN + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A WebSocket through nginx over TLS, from the loopback address {@code source}. */
    private static RawWebSocket connect(String id, InetAddress source, String... headers) throws Exception {
        RawWebSocket socket = RawWebSocket.open(certificate.connect(source, nginx.tlsPort()),
                "/websocket/?finger=" + id, headers);
        assertThat(socket.upgraded()).as("upgraded through nginx: %s", socket.statusLine()).isTrue();
        return socket;
    }

    /** The node whose debug line says that {@code id} connected. */
    private static NodeProcess awaitNodeOf(String id) throws Exception {
        String line = "peer=" + id + " connected from";
        Await.until(() -> one.output().contains(line) || two.output().contains(line), id + " is on a node");
        return one.output().contains(line) ? one : two;
    }

    private static void relays(RawWebSocket from, RawWebSocket to, String message) throws IOException {
        from.sendText(message);
        RawWebSocket.Frame frame = to.readAnsweringPings();
        assertThat(frame).as("a frame for %s", message).isNotNull();
        assertThat(frame.opcode()).isEqualTo(RawWebSocket.TEXT);
        assertThat(frame.payload()).as("byte for byte").isEqualTo(message.getBytes(StandardCharsets.UTF_8));
    }

    private static String candidate(String to, String from, int i) {
        return "{\"to\":\"" + to + "\",\"from\":\"" + from + "\",\"type\":\"candidate\",\"candidate\":{"
                + "\"candidate\":\"candidate:" + i + " 1 udp 2122260223 127.0.0.1 " + (50000 + i)
                + " typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}";
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    private static InetAddress loopback(String address) {
        try {
            return InetAddress.getByName(address);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
