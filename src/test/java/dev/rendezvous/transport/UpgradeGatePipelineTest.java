package dev.rendezvous.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.admission.ClaimAdmission;
import dev.rendezvous.admission.ConnectionGate;
import dev.rendezvous.admission.Refusals;
import dev.rendezvous.config.AccessConfig;
import dev.rendezvous.config.LimitsConfig;
import dev.rendezvous.config.OriginPattern;
import dev.rendezvous.protocol.EnvelopeHeaderParser;
import dev.rendezvous.protocol.ServerFrames;
import dev.rendezvous.signaling.FromCheck;
import dev.rendezvous.signaling.LocalRelay;
import dev.rendezvous.signaling.PeerId;
import dev.rendezvous.signaling.Router;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The gate in the upgrade path, on embedded channels: refusals are HTTP answers before any claim. */
class UpgradeGatePipelineTest {

    private static final String UPGRADE = "GET /websocket/?finger=%s HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\n"
            + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";

    private final LocalRelay relay = new LocalRelay();
    private final OpenSessions openSessions = new OpenSessions();

    private EmbeddedChannel connection(ConnectionGate gate) {
        WebSocketUpgrader upgrader = new WebSocketUpgrader(65536, new EnvelopeHeaderParser(), new ServerFrames(),
                new Router(relay, FromCheck.REJECT), relay, openSessions, gate, ClaimAdmission.open(Refusals.NONE));
        EmbeddedChannel channel = new EmbeddedChannel();
        channel.pipeline()
                .addLast(ServerChannelInitializer.HANDSHAKE_DEADLINE, new HandshakeDeadline(5_000))
                .addLast(ServerChannelInitializer.HTTP_CODEC, new HttpServerCodec())
                .addLast(ServerChannelInitializer.HTTP_AGGREGATOR, new HttpObjectAggregator(8192))
                .addLast(ServerChannelInitializer.HTTP_HANDLER, new HttpRequestHandler(upgrader, Map.of()));
        return channel;
    }

    private static String exchange(EmbeddedChannel channel, String request) {
        channel.writeInbound(Unpooled.copiedBuffer(request + "\r\n", StandardCharsets.ISO_8859_1));
        channel.runPendingTasks();
        StringBuilder out = new StringBuilder();
        ByteBuf chunk;
        while ((chunk = channel.readOutbound()) != null) {
            out.append(chunk.toString(StandardCharsets.ISO_8859_1));
            chunk.release();
        }
        return out.toString();
    }

    @Test
    void refusesAForeignOriginWith403BeforeClaimingAndHangsUp() {
        AccessConfig access = new AccessConfig(List.of(OriginPattern.parse("https://app.example.com")), List.of(),
                LimitsConfig.DEFAULT);
        EmbeddedChannel channel = connection(new ConnectionGate(access, 10, Refusals.NONE));

        String response = exchange(channel, UPGRADE.formatted("alice") + "Origin: https://evil.example\r\n");

        assertThat(response).startsWith("HTTP/1.1 403 Forbidden\r\n").endsWith("\r\n\r\norigin not allowed\n")
                .doesNotContainIgnoringCase("retry-after");
        assertThat(relay.find(new PeerId("alice"))).isNull();
        assertThat(channel.isOpen()).isFalse();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }

    @Test
    void refusesWith503WhenFullAndAdmitsAgainOnceASocketHasClosed() {
        ConnectionGate gate = new ConnectionGate(AccessConfig.DEFAULT, 1, Refusals.NONE);
        EmbeddedChannel first = connection(gate);
        assertThat(exchange(first, UPGRADE.formatted("alice"))).startsWith("HTTP/1.1 101 ");
        assertThat(gate.openConnections()).isOne();

        EmbeddedChannel second = connection(gate);
        String response = exchange(second, UPGRADE.formatted("bob"));
        assertThat(response).startsWith("HTTP/1.1 503 Service Unavailable\r\n").containsIgnoringCase("retry-after: 10\r\n")
                .endsWith("\r\n\r\nserver full\n");
        assertThat(relay.find(new PeerId("bob"))).isNull();
        assertThat(second.finishAndReleaseAll()).isFalse();

        first.close();
        assertThat(gate.openConnections()).as("released when the connection closed").isZero();
        EmbeddedChannel third = connection(gate);
        assertThat(exchange(third, UPGRADE.formatted("bob"))).startsWith("HTTP/1.1 101 ");
        assertThat(first.finishAndReleaseAll()).isFalse();
        third.close();
        assertThat(third.finishAndReleaseAll()).isFalse();
        assertThat(gate.openConnections()).isZero();
    }

    @Test
    void aRequestTheUpgraderRefusesWith400TakesNoSlot() {
        ConnectionGate gate = new ConnectionGate(AccessConfig.DEFAULT, 1, Refusals.NONE);
        EmbeddedChannel channel = connection(gate);
        assertThat(exchange(channel, UPGRADE.formatted("%zz"))).startsWith("HTTP/1.1 400 ");
        assertThat(gate.openConnections()).isZero();
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }
}
