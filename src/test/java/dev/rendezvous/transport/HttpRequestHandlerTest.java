package dev.rendezvous.transport;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.rendezvous.admission.ClaimAdmission;
import dev.rendezvous.admission.ConnectionGate;
import dev.rendezvous.admission.Refusals;
import dev.rendezvous.config.AccessConfig;
import dev.rendezvous.protocol.EnvelopeHeaderParser;
import dev.rendezvous.protocol.ServerFrames;
import dev.rendezvous.signaling.CloseReason;
import dev.rendezvous.signaling.FakePeerSession;
import dev.rendezvous.signaling.FromCheck;
import dev.rendezvous.signaling.LocalRelay;
import dev.rendezvous.signaling.PeerId;
import dev.rendezvous.signaling.Router;
import dev.rendezvous.support.CapturedLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The HTTP phase of a connection, with the production pipeline on an {@link EmbeddedChannel}:
 * raw request bytes in, raw response bytes out.
 */
class HttpRequestHandlerTest {

    private static final String UPGRADE_HEADERS = "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
            + "Origin: https://elsewhere.example\r\n";

    private final LocalRelay relay = new LocalRelay();
    private final OpenSessions openSessions = new OpenSessions();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final EmbeddedChannel channel = newConnection();

    private EmbeddedChannel newConnection() {
        WebSocketUpgrader upgrader = new WebSocketUpgrader(65536, new EnvelopeHeaderParser(), new ServerFrames(),
                new Router(relay, FromCheck.REJECT), relay, openSessions,
                new ConnectionGate(AccessConfig.DEFAULT, Integer.MAX_VALUE, Refusals.NONE), ClaimAdmission.open(Refusals.NONE));
        Map<String, HttpEndpoint> endpoints = Map.of("/healthz", new HealthEndpoint(draining::get));
        EmbeddedChannel ch = new EmbeddedChannel(false, false);
        ch.pipeline()
                .addLast(ServerChannelInitializer.HANDSHAKE_DEADLINE, new HandshakeDeadline(5_000))
                .addLast(ServerChannelInitializer.HTTP_CODEC, new HttpServerCodec())
                .addLast(ServerChannelInitializer.HTTP_AGGREGATOR, new HttpObjectAggregator(8192))
                .addLast(ServerChannelInitializer.HTTP_HANDLER, new HttpRequestHandler(upgrader, endpoints));
        // Registered after the handlers are in place, as a ChannelInitializer does, so they see channelActive;
        // the clock moves only when a test advances it.
        try {
            ch.register();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        ch.freezeTime();
        return ch;
    }

    @AfterEach
    void noLeftovers() {
        assertThat(channel.finishAndReleaseAll()).as("unread messages or leaked buffers").isFalse();
    }

    /** Sends one request and returns everything the server wrote back, as Latin-1 text. */
    private String exchange(String request) {
        channel.writeInbound(Unpooled.copiedBuffer(request, StandardCharsets.ISO_8859_1));
        channel.runPendingTasks();
        StringBuilder out = new StringBuilder();
        ByteBuf chunk;
        while ((chunk = channel.readOutbound()) != null) {
            out.append(chunk.toString(StandardCharsets.ISO_8859_1));
            chunk.release();
        }
        return out.toString();
    }

    private String get(String target) {
        return exchange("GET " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
    }

    private static String statusLine(String response) {
        return response.substring(0, response.indexOf("\r\n"));
    }

    private static String body(String response) {
        return response.substring(response.indexOf("\r\n\r\n") + 4);
    }

    @Test
    void answersOtherPathsWith404AndCloses() {
        for (String path : new String[] {"/", "/websocketx", "/WEBSOCKET", "/websocket/x", "/healthz/"}) {
            EmbeddedChannel fresh = newConnection();
            fresh.writeInbound(Unpooled.copiedBuffer("GET " + path + "?finger=a HTTP/1.1\r\nHost: h\r\n\r\n",
                    StandardCharsets.US_ASCII));
            ByteBuf response = fresh.readOutbound();
            assertThat(response.toString(StandardCharsets.US_ASCII)).as(path).startsWith("HTTP/1.1 404 ");
            response.release();
            assertThat(fresh.isOpen()).isFalse();
            assertThat(fresh.finishAndReleaseAll()).isFalse();
        }
    }

    @Test
    void refusesAMissingFingerWith400AndAOneLineBodyWithoutUpgrading() {
        String response = exchange("GET /websocket/ HTTP/1.1\r\nHost: h\r\n" + UPGRADE_HEADERS + "\r\n");

        assertThat(statusLine(response)).isEqualTo("HTTP/1.1 400 Bad Request");
        assertThat(response).containsIgnoringCase("content-type: text/plain; charset=utf-8");
        assertThat(body(response)).contains("missing finger").endsWith("\n").containsOnlyOnce("\n");
        assertThat(channel.pipeline().get(WebSocketUpgrader.FRAME_HANDLER)).isNull();
        assertThat(relay.localSessionCount()).isZero();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void refusesAnInvalidFingerWith400() {
        String response = exchange("GET /websocket?finger=%zz HTTP/1.1\r\nHost: h\r\n" + UPGRADE_HEADERS + "\r\n");

        assertThat(statusLine(response)).isEqualTo("HTTP/1.1 400 Bad Request");
        assertThat(body(response)).contains("percent-encoded").containsOnlyOnce("\n");
    }

    /** RFC 6455 4.1: the handshake is HTTP/1.1 or later; a proxy that forgot proxy_http_version 1.1 shows here. */
    @Test
    void refusesAnUpgradeOverHttp10With400() {
        String response = exchange("GET /websocket?finger=alice HTTP/1.0\r\nHost: h\r\n" + UPGRADE_HEADERS + "\r\n");

        assertThat(statusLine(response)).endsWith("400 Bad Request");
        assertThat(body(response)).isEqualTo("a WebSocket upgrade needs HTTP/1.1\n");
        assertThat(relay.find(new PeerId("alice"))).as("nothing claimed").isNull();
    }

    @Test
    void refusesAPlainGetOfTheWebSocketPathWith400() {
        String response = get("/websocket/?finger=alice");

        assertThat(statusLine(response)).isEqualTo("HTTP/1.1 400 Bad Request");
        assertThat(body(response)).isEqualTo("expected a WebSocket upgrade\n");
        assertThat(relay.localSessionCount()).isZero();
    }

    @Test
    void refusesMethodsOtherThanGetWith405() {
        String response = exchange("POST /websocket/?finger=alice HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n");

        assertThat(statusLine(response)).isEqualTo("HTTP/1.1 405 Method Not Allowed");
    }

    @Test
    void refusesHeadOnTheWebSocketPathButServesItOnEndpoints() {
        assertThat(statusLine(exchange("HEAD /websocket?finger=a HTTP/1.1\r\nHost: h\r\n\r\n")))
                .isEqualTo("HTTP/1.1 405 Method Not Allowed");

        EmbeddedChannel fresh = newConnection();
        fresh.writeInbound(Unpooled.copiedBuffer("HEAD /healthz HTTP/1.1\r\nHost: h\r\n\r\n", StandardCharsets.US_ASCII));
        ByteBuf response = fresh.readOutbound();
        String text = response.toString(StandardCharsets.US_ASCII);
        response.release();
        assertThat(text).startsWith("HTTP/1.1 200 OK").containsIgnoringCase("content-length: 3").endsWith("\r\n\r\n");
        assertThat(fresh.finishAndReleaseAll()).isFalse();
    }

    @Test
    void healthzAnswersOkAndKeepsTheConnectionAlive() {
        String first = get("/healthz");
        String second = get("/healthz?probe=1");

        assertThat(statusLine(first)).isEqualTo("HTTP/1.1 200 OK");
        assertThat(body(first)).isEqualTo("ok\n");
        assertThat(statusLine(second)).isEqualTo("HTTP/1.1 200 OK");
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void healthzAnswers503WhileDraining() {
        draining.set(true);

        String response = get("/healthz");

        assertThat(statusLine(response)).isEqualTo("HTTP/1.1 503 Service Unavailable");
        assertThat(body(response)).isEqualTo("shutting down\n");
    }

    @Test
    void answersAMalformedRequestWith400() {
        String response = exchange("GET /healthz HTTP/1.1\r\nHost: h\r\nContent-Length: nope\r\n\r\n");

        assertThat(statusLine(response)).isEqualTo("HTTP/1.1 400 Bad Request");
    }

    @Test
    void upgradesBindsTheIdAndLeavesNoHttpHandlersBehind() {
        String response = exchange("GET /websocket/?finger=sha-256%20AB%3ACD HTTP/1.1\r\nHost: h\r\n"
                + UPGRADE_HEADERS + "\r\n");

        assertThat(statusLine(response)).isEqualTo("HTTP/1.1 101 Switching Protocols");
        assertThat(response).containsIgnoringCase("sec-websocket-accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        assertThat(relay.find(new PeerId("sha-256 AB:CD"))).isInstanceOf(WebSocketSession.class);
        assertThat(openSessions.size()).isOne();
        assertThat(channel.config().isAutoRead()).isTrue();
        assertThat(channel.pipeline().names()).doesNotContain(
                ServerChannelInitializer.HANDSHAKE_DEADLINE, ServerChannelInitializer.HTTP_CODEC,
                ServerChannelInitializer.HTTP_AGGREGATOR, ServerChannelInitializer.HTTP_HANDLER);
        assertThat(channel.pipeline().get(HttpServerCodec.class)).isNull();
        assertThat(channel.pipeline().names()).contains("wsdecoder", WebSocketUpgrader.FRAME_HANDLER)
                .as("added only by a socket's first fragment or non-ASCII frame (Reassembly)")
                .doesNotContain(WebSocketUpgrader.UTF8_VALIDATOR, WebSocketUpgrader.AGGREGATOR);

        channel.close();
        assertThat(relay.localSessionCount()).as("closing the socket frees the id").isZero();
        assertThat(openSessions.size()).isZero();
    }

    /** An upgrade that passed the drain check just before shutdown began still gets its 1001. */
    @Test
    void anUpgradeThatLandsAsShutdownBeginsIsClosedWithGoingAway() {
        openSessions.closeToNew();

        String response = exchange("GET /websocket?finger=alice HTTP/1.1\r\nHost: h\r\n" + UPGRADE_HEADERS + "\r\n");

        assertThat(statusLine(response)).isEqualTo("HTTP/1.1 101 Switching Protocols");
        CloseWebSocketFrame close = decodeOneFrame(body(response));
        assertThat(close.statusCode()).isEqualTo(1001);
        close.release();
        assertThat(relay.find(new PeerId("alice"))).as("freed as soon as the close is sent").isNull();
        channel.writeInbound(clientFrame(new CloseWebSocketFrame(1001, "")));
        assertThat(channel.isOpen()).isFalse();
    }

    /** Whatever breaks between the claim and the frame handler, the ID must not stay bound. */
    @Test
    void aFailureWhileInstallingTheWebSocketPipelineFreesTheId() {
        // Provoke one: the upgrader removes the handshake deadline, which is no longer there.
        channel.pipeline().remove(ServerChannelInitializer.HANDSHAKE_DEADLINE);

        try (CapturedLog log = new CapturedLog(WebSocketUpgrader.class)) {
            exchange("GET /websocket/?finger=alice HTTP/1.1\r\nHost: h\r\n" + UPGRADE_HEADERS + "\r\n");
            assertThat(log.events()).extracting(ILoggingEvent::getFormattedMessage)
                    .containsExactly("peer=alice upgrade failed, closing");
        }

        assertThat(relay.find(new PeerId("alice"))).isNull();
        assertThat(openSessions.size()).isZero();
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void upgradesThenClosesWith4409WhenTheIdIsTaken() {
        FakePeerSession holder = new FakePeerSession("alice");
        relay.claimNow(holder);

        String response = exchange("GET /websocket?finger=alice HTTP/1.1\r\nHost: h\r\n" + UPGRADE_HEADERS + "\r\n");

        assertThat(statusLine(response)).isEqualTo("HTTP/1.1 101 Switching Protocols");
        CloseWebSocketFrame close = decodeOneFrame(body(response));
        assertThat(close.statusCode()).isEqualTo(CloseReason.ID_TAKEN.code()).isEqualTo(4409);
        assertThat(close.reasonText()).isEqualTo("id taken");
        close.release();
        assertThat(channel.isOpen()).as("waits for the client's close reply").isTrue();

        channel.writeInbound(clientFrame(new CloseWebSocketFrame(4409, "id taken")));

        assertThat(channel.isOpen()).isFalse();
        assertThat(relay.find(holder.id())).as("the holder keeps its id").isSameAs(holder);
        assertThat(holder.closes()).isEmpty();
    }

    @Test
    void closesAConnectionThatNeverCompletesARequest() {
        channel.writeInbound(Unpooled.copiedBuffer("GET /heal", StandardCharsets.US_ASCII));
        channel.advanceTimeBy(4_900, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).as("open before the deadline").isTrue();

        channel.advanceTimeBy(200, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();

        assertThat(channel.isOpen()).isFalse();
    }

    /** Encodes a frame as a browser sends it: masked. */
    private static ByteBuf clientFrame(WebSocketFrame frame) {
        EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameEncoder(true));
        client.writeOutbound(frame);
        ByteBuf wire = client.readOutbound();
        assertThat(client.finishAndReleaseAll()).isFalse();
        return wire;
    }

    /** Decodes server-to-client frame bytes (unmasked) into the one frame they hold. */
    private static CloseWebSocketFrame decodeOneFrame(String wireBytes) {
        EmbeddedChannel client = new EmbeddedChannel(new WebSocket13FrameDecoder(false, false, 65536));
        client.writeInbound(Unpooled.copiedBuffer(wireBytes, StandardCharsets.ISO_8859_1));
        CloseWebSocketFrame frame = client.readInbound();
        assertThat(client.finishAndReleaseAll()).isFalse();
        return frame;
    }
}
