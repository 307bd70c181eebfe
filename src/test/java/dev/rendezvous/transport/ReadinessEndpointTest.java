package dev.rendezvous.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.admission.ClaimAdmission;
import dev.rendezvous.admission.ConnectionGate;
import dev.rendezvous.admission.Refusals;
import dev.rendezvous.config.AccessConfig;
import dev.rendezvous.protocol.EnvelopeHeaderParser;
import dev.rendezvous.protocol.ServerFrames;
import dev.rendezvous.signaling.ClaimResult;
import dev.rendezvous.signaling.Forwarded;
import dev.rendezvous.signaling.FromCheck;
import dev.rendezvous.signaling.LocalRelay;
import dev.rendezvous.signaling.Payload;
import dev.rendezvous.signaling.PeerId;
import dev.rendezvous.signaling.PeerSession;
import dev.rendezvous.signaling.Relay;
import dev.rendezvous.signaling.Router;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /readyz}: 200 while serving, 503 with a one-line reason while draining or while the relay cannot serve. */
class ReadinessEndpointTest {

    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean relayReady = new AtomicBoolean(true);
    private final EmbeddedChannel channel = newConnection();

    @AfterEach
    void noLeftovers() {
        assertThat(channel.finishAndReleaseAll()).as("unread messages or leaked buffers").isFalse();
    }

    @Test
    void readyWhileServing() {
        assertThat(get("/readyz")).startsWith("HTTP/1.1 200 OK").endsWith("\r\n\r\nready\n");
    }

    @Test
    void notReadyWhileTheClusterDirectoryIsUnreachable() {
        relayReady.set(false);
        assertThat(get("/readyz")).startsWith("HTTP/1.1 503").endsWith("\r\n\r\ncluster directory unreachable\n");
    }

    @Test
    void notReadyWhileDraining() {
        draining.set(true);
        assertThat(get("/readyz")).startsWith("HTTP/1.1 503").endsWith("\r\n\r\ndraining\n");
    }

    private String get(String path) {
        channel.writeInbound(Unpooled.copiedBuffer("GET " + path + " HTTP/1.1\r\nHost: h\r\n\r\n",
                StandardCharsets.US_ASCII));
        channel.runPendingTasks();
        StringBuilder out = new StringBuilder();
        ByteBuf chunk;
        while ((chunk = channel.readOutbound()) != null) {
            out.append(chunk.toString(StandardCharsets.US_ASCII));
            chunk.release();
        }
        return out.toString();
    }

    private EmbeddedChannel newConnection() {
        LocalRelay local = new LocalRelay();
        Relay relay = new Relay() {
            @Override
            public CompletionStage<ClaimResult> claim(PeerSession session) {
                return local.claim(session);
            }

            @Override
            public void release(PeerSession session) {
                local.release(session);
            }

            @Override
            public Forwarded forward(PeerSession sender, PeerId recipient, Payload payload) {
                return local.forward(sender, recipient, payload);
            }

            @Override
            public int localSessionCount() {
                return local.localSessionCount();
            }

            @Override
            public boolean ready() {
                return relayReady.get();
            }
        };
        WebSocketUpgrader upgrader = new WebSocketUpgrader(65536, new EnvelopeHeaderParser(), new ServerFrames(),
                new Router(relay, FromCheck.REJECT), relay, new OpenSessions(),
                new ConnectionGate(AccessConfig.DEFAULT, Integer.MAX_VALUE, Refusals.NONE), ClaimAdmission.open(Refusals.NONE));
        Map<String, HttpEndpoint> endpoints = Map.of("/readyz", new ReadinessEndpoint(draining::get, relay));
        return new EmbeddedChannel(new HttpServerCodec(), new HttpObjectAggregator(8192),
                new HttpRequestHandler(upgrader, endpoints));
    }
}
