package dev.rendezvous.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.rendezvous.Rendezvous;
import dev.rendezvous.config.AdminConfig;
import dev.rendezvous.support.CapturedLog;
import dev.rendezvous.support.HttpProbe;
import dev.rendezvous.support.TestClient;
import dev.rendezvous.support.TestServer;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Test;

/** {@code --admin-port}: {@code /metrics} and {@code /stats} only there, off the public port. */
class AdminPortTest {

    private static TestServer start(AdminConfig admin) throws InterruptedException {
        return TestServer.start(TestServer.config().admin(admin).build());
    }

    private static int adminPort(TestServer server) {
        return server.node().server().adminAddress().getPort();
    }

    @Test
    void servesMetricsAndStatsOnlyOnTheAdminPort() throws Exception {
        try (TestServer server = start(new AdminConfig(0, "127.0.0.1", null, true))) {
            int admin = adminPort(server);

            assertThat(admin).isNotEqualTo(server.port());
            assertThat(HttpProbe.get(server.port(), "/metrics").status()).isEqualTo(404);
            assertThat(HttpProbe.get(server.port(), "/stats").status()).isEqualTo(404);
            assertThat(HttpProbe.get(server.port(), "/healthz").status()).isEqualTo(200);
            assertThat(HttpProbe.get(admin, "/metrics").status()).isEqualTo(200);
            assertThat(HttpProbe.get(admin, "/metrics").header("content-type")).startsWith("text/plain; version=0.0.4");
            assertThat(HttpProbe.get(admin, "/stats").status()).isEqualTo(200);
        }
    }

    @Test
    void theAdminPortServesNothingElse() throws Exception {
        try (TestServer server = start(new AdminConfig(0, "127.0.0.1", null, true))) {
            int admin = adminPort(server);

            assertThat(HttpProbe.get(admin, "/healthz").status()).isEqualTo(404);
            assertThat(HttpProbe.upgrade(admin, "/websocket?finger=alice").status()).isEqualTo(404);
            assertThat(HttpProbe.get(admin, "/").status()).isEqualTo(404);
            try (HttpProbe probe = new HttpProbe(admin)) {
                assertThat(probe.request("POST", "/metrics", "Content-Length: 0").status()).isEqualTo(405);
            }
        }
    }

    @Test
    void keepsAScrapersConnectionAliveAcrossScrapes() throws Exception {
        try (TestServer server = start(new AdminConfig(0, "127.0.0.1", null, true));
             HttpProbe scraper = new HttpProbe(adminPort(server))) {
            for (int i = 0; i < 3; i++) {
                assertThat(scraper.request("GET", "/metrics").status()).isEqualTo(200);
            }
            assertThat(scraper.request("HEAD", "/stats").status()).isEqualTo(200);
        }
    }

    @Test
    void theStartLineNamesTheAdminPort() throws Exception {
        try (CapturedLog log = new CapturedLog(Rendezvous.class, Level.INFO);
             TestServer server = start(new AdminConfig(0, "127.0.0.1", null, true))) {
            String started = log.events().stream().map(ILoggingEvent::getFormattedMessage)
                    .filter(line -> line.contains("listening on")).findFirst().orElseThrow();

            assertThat(started).contains("admin=/127.0.0.1:" + adminPort(server)).contains("metrics=on");
        }
    }

    @Test
    void listensOnTheAdminHostOnly() throws Exception {
        try (TestServer server = start(new AdminConfig(0, "127.0.0.2", null, true))) {
            InetSocketAddress admin = server.node().server().adminAddress();

            assertThat(admin.getAddress().getHostAddress()).isEqualTo("127.0.0.2");
            assertThat(connects("127.0.0.2", admin.getPort())).isTrue();
            assertThatThrownBy(() -> connects("127.0.0.1", admin.getPort())).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void withMetricsOffServesOnlyStats() throws Exception {
        try (TestServer server = start(new AdminConfig(0, "127.0.0.1", null, false))) {
            int admin = adminPort(server);

            assertThat(HttpProbe.get(admin, "/metrics").status()).isEqualTo(404);
            assertThat(HttpProbe.get(admin, "/stats").status()).isEqualTo(200);
            assertThat(HttpProbe.get(server.port(), "/metrics").status()).isEqualTo(404);
        }
    }

    @Test
    void closesTheAdminPortOnShutdown() throws Exception {
        TestServer server = start(new AdminConfig(0, "127.0.0.1", null, true));
        int admin = adminPort(server);
        try (TestClient client = TestClient.connect(server.port(), "alice")) {
            server.close();
            assertThat(client.awaitClose().code()).isEqualTo(1001);
        }

        assertThatThrownBy(() -> connects("127.0.0.1", admin)).isInstanceOf(ConnectException.class);
    }

    @Test
    void withoutAnAdminPortThereIsNoAdminAddress() throws Exception {
        try (TestServer server = start(AdminConfig.DEFAULT)) {
            assertThat(server.node().server().adminAddress()).isNull();
            assertThat(HttpProbe.get(server.port(), "/metrics").status()).isEqualTo(200);
        }
    }

    private static boolean connects(String host, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2000);
            return true;
        }
    }
}
