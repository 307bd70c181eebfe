package dev.rendezvous.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.config.ServerConfig;
import dev.rendezvous.signaling.FromCheck;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class RendezvousCommandTest {

    private final AtomicReference<ServerConfig> started = new AtomicReference<>();
    private final StringWriter errors = new StringWriter();

    private int run(String... args) {
        CommandLine cli = RendezvousCommand.commandLine(config -> {
            started.set(config);
            return 0;
        });
        cli.setErr(new PrintWriter(errors));
        return cli.execute(args);
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
                "--ice-servers", "[{\"urls\":\"stun:127.0.0.1:3478\"}]")).isZero();
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
        assertThat(started.get()).isNull();
    }
}
