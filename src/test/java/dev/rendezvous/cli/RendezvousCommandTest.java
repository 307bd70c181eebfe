package dev.rendezvous.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.config.AuthConfig;
import dev.rendezvous.config.LogConfig;
import dev.rendezvous.config.OriginPattern;
import dev.rendezvous.config.ServerConfig;
import dev.rendezvous.signaling.FromCheck;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RendezvousCommandTest {

    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    private final AtomicReference<ServerConfig> started = new AtomicReference<>();
    private final AtomicReference<ServerConfig> checked = new AtomicReference<>();
    private final StringWriter output = new StringWriter();
    private final StringWriter errors = new StringWriter();
    private final Map<String, String> environment = new HashMap<>();

    @TempDir
    Path dir;

    private final Actions actions = new Actions() {
        @Override
        public int serve(ServerConfig config) {
            started.set(config);
            return 0;
        }

        @Override
        public void check(ServerConfig config) {
            checked.set(config);
        }

        @Override
        public void mintToken(ServerConfig config, TokenRequest request, PrintWriter out) {
            out.println("token for " + request.id() + " " + request.ttl() + " " + request.peers()
                    + " with " + config.auth().secrets().size() + " secrets");
        }
    };

    private int run(String... args) {
        return RendezvousCommand.run(args, environment, actions, new PrintWriter(output), new PrintWriter(errors));
    }

    private Path file(String... lines) throws IOException {
        return Files.write(dir.resolve("rendezvous.conf"), List.of(lines));
    }

    @Test
    void defaultsMatchTheDocumentedValues() {
        assertThat(run()).isZero();
        assertThat(started.get()).isEqualTo(ServerConfig.defaults());
        assertThat(started.get().port()).isEqualTo(8080);
        assertThat(started.get().host()).isEqualTo("0.0.0.0");
        assertThat(started.get().fromCheck()).isEqualTo(FromCheck.REJECT);
        assertThat(started.get().maxMessageBytes()).isEqualTo(65536);
        assertThat(started.get().maxOutboundBytes()).isEqualTo(1 << 20);
        assertThat(started.get().pingInterval()).isEqualTo(Duration.ofSeconds(20));
        assertThat(started.get().idleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(started.get().shutdownGrace()).isEqualTo(Duration.ofSeconds(10));
        assertThat(started.get().ioThreads()).isZero();
        assertThat(started.get().handshakeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(started.get().iceServers()).isEqualTo("[]");
        assertThat(started.get().redis()).isNull();
        assertThat(started.get().nodeId()).isNull();
        assertThat(started.get().leaseTtl()).isEqualTo(Duration.ofSeconds(15));
        assertThat(started.get().auth().enabled()).isFalse();
        assertThat(started.get().access().anyOrigin()).isTrue();
        assertThat(started.get().tls().enabled()).isFalse();
        assertThat(started.get().turn().enabled()).isFalse();
        assertThat(started.get().mailbox().enabled()).isFalse();
        assertThat(started.get().admin().separatePort()).isFalse();
        assertThat(started.get().admin().metrics()).isTrue();
        assertThat(started.get().log()).isEqualTo(LogConfig.DEFAULT);
    }

    @Test
    void readsTheClusterFlagsAndHumanDurations() {
        assertThat(run("--redis", "redis://127.0.0.1:6379/2", "--node-id", "eu-1.a_b:c", "--lease-ttl", "1h",
                "--ping-interval", "30", "--idle-timeout", "2m")).isZero();
        ServerConfig config = started.get();
        assertThat(config.redis()).hasToString("redis://127.0.0.1:6379/2");
        assertThat(config.nodeId()).isEqualTo("eu-1.a_b:c");
        assertThat(config.leaseTtl()).isEqualTo(Duration.ofHours(1));
        assertThat(config.pingInterval()).as("a bare number is seconds").isEqualTo(Duration.ofSeconds(30));
        assertThat(config.idleTimeout()).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void refusesABadClusterFlagWithAUsageError() {
        assertThat(run("--node-id", "has space")).isEqualTo(2);
        assertThat(run("--node-id", "n".repeat(65))).isEqualTo(2);
        assertThat(run("--redis", "http://127.0.0.1:6379")).isEqualTo(2);
        assertThat(run("--redis", "redis:localhost")).isEqualTo(2);
        assertThat(run("--redis", "redis://127.0.0.1:notaport")).isEqualTo(2);
        assertThat(run("--lease-ttl", "forever")).isEqualTo(2);
        assertThat(started.get()).isNull();
    }

    @Test
    void readsEveryFlag() {
        assertThat(run("--port", "9000", "--host", "127.0.0.1", "--from-check=off", "--max-message-bytes", "1024",
                "--max-outbound-bytes", "4096", "--ping-interval", "500ms", "--idle-timeout", "2s",
                "--shutdown-grace", "PT3S", "--handshake-timeout", "1m", "--io-threads", "1",
                "--ice-servers", "[{\"urls\":\"stun:127.0.0.1:3478\"}]",
                "--allowed-origins", "https://app.example.com,https://*.example.org", "--trust-proxy", "10.0.0.0/8",
                "--max-connections", "100", "--max-connections-per-ip", "10", "--handshake-rate", "2.5",
                "--handshake-burst", "5", "--message-rate", "50", "--message-burst", "200",
                "--auth-secret", SECRET + "," + SECRET + "!", "--auth-issuer", "https://id.example.com",
                "--auth-audience", "rendezvous", "--auth-id-claim", "fingerprint", "--auth-clock-skew", "10s",
                "--turn-secret", "s3cret", "--turn-uris", "turn:127.0.0.1:3478?transport=udp,turns:t.example.com",
                "--turn-ttl", "1h", "--admin-port", "0", "--admin-host", "127.0.0.2",
                "--admin-token", "a".repeat(16), "--metrics", "off", "--log-format", "json", "--log-level", "DEBUG",
                "--mailbox-ttl", "10s", "--mailbox-max-messages", "8", "--mailbox-max-bytes", "1000",
                "--mailbox-total-bytes", "100000")).isZero();
        ServerConfig config = started.get();
        assertThat(config.port()).isEqualTo(9000);
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.fromCheck()).isEqualTo(FromCheck.OFF);
        assertThat(config.maxMessageBytes()).isEqualTo(1024);
        assertThat(config.maxOutboundBytes()).isEqualTo(4096);
        assertThat(config.pingInterval()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(config.shutdownGrace()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.handshakeTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.ioThreads()).isEqualTo(1);
        assertThat(config.iceServers()).contains("stun:127.0.0.1:3478");
        assertThat(config.access().allowedOrigins()).containsExactly(
                OriginPattern.parse("https://app.example.com"), OriginPattern.parse("https://*.example.org"));
        assertThat(config.access().trustProxy()).hasSize(1);
        assertThat(config.access().limits().maxConnections()).isEqualTo(100);
        assertThat(config.access().limits().maxConnectionsPerIp()).isEqualTo(10);
        assertThat(config.access().limits().handshakeRate()).isEqualTo(2.5);
        assertThat(config.access().limits().handshakeBurst()).isEqualTo(5);
        assertThat(config.access().limits().messageRate()).isEqualTo(50);
        assertThat(config.access().limits().messageBurst()).isEqualTo(200);
        assertThat(config.auth().secrets()).containsExactly(SECRET, SECRET + "!");
        assertThat(config.auth().issuer()).isEqualTo("https://id.example.com");
        assertThat(config.auth().audience()).isEqualTo("rendezvous");
        assertThat(config.auth().idClaim()).isEqualTo("fingerprint");
        assertThat(config.auth().clockSkew()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.turn().secret()).isEqualTo("s3cret");
        assertThat(config.turn().uris()).hasSize(2);
        assertThat(config.turn().ttl()).isEqualTo(Duration.ofHours(1));
        assertThat(config.admin().port()).isZero();
        assertThat(config.admin().host()).isEqualTo("127.0.0.2");
        assertThat(config.admin().metrics()).isFalse();
        assertThat(config.log().format()).isEqualTo(LogConfig.Format.JSON);
        assertThat(config.log().level()).isEqualTo("debug");
        assertThat(config.mailbox().ttl()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.mailbox().maxMessages()).isEqualTo(8);
        assertThat(config.mailbox().maxBytes()).isEqualTo(1000);
        assertThat(config.mailbox().totalBytes()).isEqualTo(100000);
    }

    @Test
    void refusesInconsistentSettingsWithAUsageError() {
        assertThat(run("--ping-interval", "30s", "--idle-timeout", "10s")).isEqualTo(2);
        assertThat(started.get()).isNull();
        assertThat(errors.toString()).contains("idle timeout").contains("ping interval");
        assertThat(errors.toString().lines()).as("one line, not the usage text").hasSize(1);
    }

    @Test
    void refusesMalformedValuesWithAUsageError() {
        assertThat(run("--from-check", "maybe")).isEqualTo(2);
        assertThat(run("--ping-interval", "soon")).isEqualTo(2);
        assertThat(run("--port", "70000")).isEqualTo(2);
        assertThat(run("--ice-servers", "{}")).isEqualTo(2);
        assertThat(run("--ice-servers", "[{\"urls\":]")).isEqualTo(2);
        assertThat(run("--ice-servers", "[] []")).isEqualTo(2);
        assertThat(run("--allowed-origins", "example.com")).isEqualTo(2);
        assertThat(run("--trust-proxy", "proxy.internal")).isEqualTo(2);
        assertThat(run("--metrics", "maybe")).isEqualTo(2);
        assertThat(run("--turn-uris", "stun:127.0.0.1", "--turn-secret", "x")).isEqualTo(2);
        assertThat(run("--mailbox-ttl", "-1s")).isEqualTo(2);
        assertThat(started.get()).isNull();
        assertThat(errors.toString().lines()).allMatch(line -> line.startsWith("rendezvous: "));
    }

    @Test
    void anHs256SecretShorterThan32BytesStopsTheStartSayingWhy() {
        assertThat(run("--auth-secret", "x".repeat(31))).isEqualTo(2);
        assertThat(errors.toString()).contains("31 bytes").contains("32").contains("RFC 7518");
        assertThat(errors.toString()).as("the secret itself is never echoed").doesNotContain("x".repeat(31));
        assertThat(started.get()).isNull();
    }

    @Test
    void readsSecretsFromFilesOnePerLineAfterTheFlagOnes() throws IOException {
        Path secrets = Files.write(dir.resolve("secrets"), List.of(SECRET + "1", "", "  " + SECRET + "2  "));
        Path turn = Files.writeString(dir.resolve("turn"), "turn-secret\n");
        assertThat(run("--auth-secret", SECRET, "--auth-secret-file", secrets.toString(),
                "--turn-secret-file", turn.toString(), "--turn-uris", "turn:127.0.0.1:3478")).isZero();
        AuthConfig auth = started.get().auth();
        assertThat(auth.secrets()).containsExactly(SECRET, SECRET + "1", SECRET + "2");
        assertThat(started.get().turn().secret()).as("the trailing newline is not part of it").isEqualTo("turn-secret");
    }

    @Test
    void aFlagWinsOverTheEnvironmentWhichWinsOverTheFileWhichWinsOverTheDefault() throws IOException {
        Path config = file("# comment", "port = 7001", "max-message-bytes = 2048", "  ping-interval=5s  ",
                "ice-servers = [{\"urls\":\"stun:127.0.0.1:3478#x\"}]");
        environment.put("RENDEZVOUS_PORT", "7002");
        environment.put("RENDEZVOUS_MAX_MESSAGE_BYTES", "4096");
        environment.put("RENDEZVOUS_CONFIG", config.toString());
        assertThat(run("--port", "7003")).isZero();
        ServerConfig started = this.started.get();
        assertThat(started.port()).as("flag").isEqualTo(7003);
        assertThat(started.maxMessageBytes()).as("environment").isEqualTo(4096);
        assertThat(started.pingInterval()).as("file").isEqualTo(Duration.ofSeconds(5));
        assertThat(started.iceServers()).as("file, '#' and '=' inside a value").contains("3478#x");
        assertThat(started.idleTimeout()).as("default").isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void theConfigFlagNamesTheFile() throws IOException {
        Path config = file("port = 7001");
        assertThat(run("--config", config.toString())).isZero();
        assertThat(started.get().port()).isEqualTo(7001);
        assertThat(run("--config=" + config)).isZero();
        assertThat(started.get().port()).isEqualTo(7001);
    }

    @Test
    void anUnknownFileKeyStopsTheStartWithOneLineNamingIt() throws IOException {
        Path config = file("port = 7001", "max-mesage-bytes = 10");
        assertThat(run("--config", config.toString())).isEqualTo(2);
        assertThat(errors.toString().lines()).singleElement().asString()
                .contains("max-mesage-bytes").contains("line 2");
        assertThat(started.get()).isNull();
    }

    @Test
    void anUnknownVariableStopsTheStartWithOneLineNamingIt() {
        environment.put("RENDEZVOUS_MAX_MESAGE_BYTES", "10");
        assertThat(run()).isEqualTo(2);
        assertThat(errors.toString().lines()).singleElement().asString().contains("RENDEZVOUS_MAX_MESAGE_BYTES");
        assertThat(started.get()).isNull();
    }

    @Test
    void aBadValueFromTheEnvironmentOrTheFileStopsTheStart() throws IOException {
        environment.put("RENDEZVOUS_PORT", "eighty");
        assertThat(run()).isEqualTo(2);
        assertThat(errors.toString()).contains("--port").contains("eighty");
        environment.clear();
        assertThat(run("--config", file("idle-timeout = forever").toString())).isEqualTo(2);
        assertThat(errors.toString()).contains("forever");
        assertThat(run("--config", file("port").toString())).isEqualTo(2);
        assertThat(run("--config", dir.resolve("missing.conf").toString())).isEqualTo(2);
        assertThat(errors.toString()).contains("missing.conf");
        assertThat(started.get()).isNull();
    }

    @Test
    void checkConfigValidatesWithoutStarting() throws IOException {
        assertThat(run("check-config", "--config", file("port = 7001").toString())).isZero();
        assertThat(checked.get().port()).isEqualTo(7001);
        assertThat(output.toString()).contains("configuration ok");
        assertThat(started.get()).isNull();
        assertThat(run("check-config", "--idle-timeout", "1s")).isEqualTo(2);
        assertThat(errors.toString()).contains("idle timeout");
    }

    @Test
    void printConfigShowsEverySettingWithItsSourceAndMasksSecrets() throws IOException {
        Path config = file("max-message-bytes = 2048");
        environment.put("RENDEZVOUS_PORT", "7002");
        assertThat(run("print-config", "--config", config.toString(), "--auth-secret", SECRET,
                "--admin-token", "t".repeat(20), "--idle-timeout", "90s")).isZero();
        String printed = output.toString();
        assertThat(printed).doesNotContain(SECRET).doesNotContain("t".repeat(20));
        assertThat(printed.lines()).anyMatch(line -> line.matches("auth-secret +?= \\*\\*\\*\\* +# flag"));
        assertThat(printed.lines()).anyMatch(line -> line.matches("admin-token +?= \\*\\*\\*\\* +# flag"));
        assertThat(printed.lines()).anyMatch(line -> line.matches("port +?= 7002 +# env RENDEZVOUS_PORT"));
        assertThat(printed.lines()).anyMatch(line -> line.matches("max-message-bytes += 2048 +# file .*:1"));
        assertThat(printed.lines()).anyMatch(line -> line.matches("idle-timeout += PT1M30S +# flag"));
        assertThat(printed.lines()).anyMatch(line -> line.matches("host += 0\\.0\\.0\\.0 +# default"));
        assertThat(printed.lines()).anyMatch(line -> line.matches("metrics += on +# default"));
        assertThat(printed.lines()).noneMatch(line -> line.startsWith("config "));
        assertThat(started.get()).isNull();
    }

    @Test
    void helpListsEveryOptionWithItsDefaultAndVariable() {
        assertThat(run("--help")).isZero();
        String help = output.toString().replaceAll("\\s+", " ");
        assertThat(help).contains("--max-message-bytes").contains("Default: 65536.")
                .contains("Env: RENDEZVOUS_MAX_MESSAGE_BYTES.").contains("token").contains("print-config")
                .contains("check-config");
        for (String option : List.of("--allowed-origins", "--auth-jwks-url", "--tls-cert", "--turn-ttl",
                "--admin-port", "--log-format", "--mailbox-ttl", "--trust-proxy", "--message-rate")) {
            assertThat(help).contains(option);
        }
    }

    @Test
    void tokenTakesItsIdTtlAndPeers() {
        assertThat(run("token", "--auth-secret", SECRET, "--id", "alice", "--ttl", "2h", "--peers", "bob,carol"))
                .isZero();
        assertThat(output.toString()).contains("token for alice PT2H [bob, carol] with 1 secrets");
        assertThat(run("token", "--auth-secret", SECRET)).as("--id is required").isEqualTo(2);
        assertThat(run("token", "--auth-secret", SECRET, "--id", "a", "--ttl", "0s")).isEqualTo(2);
    }
}
