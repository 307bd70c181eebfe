package dev.rendezvous.bench.jmh;

import dev.rendezvous.protocol.EnvelopeHeaderParser;
import dev.rendezvous.protocol.MalformedEnvelopeException;
import dev.rendezvous.signaling.ByteArrayPayload;
import dev.rendezvous.signaling.CloseReason;
import dev.rendezvous.signaling.DeliveryResult;
import dev.rendezvous.signaling.EnvelopeHeader;
import dev.rendezvous.signaling.FromCheck;
import dev.rendezvous.signaling.LocalRelay;
import dev.rendezvous.signaling.Payload;
import dev.rendezvous.signaling.PeerId;
import dev.rendezvous.signaling.PeerSession;
import dev.rendezvous.signaling.Router;
import dev.rendezvous.signaling.SignalError;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The per-message work of the relay that does not touch a socket: reading the envelope header
 * (top-level {@code to}/{@code from}) and the routing decision (from-check, recipient lookup,
 * hand-off to the recipient's session, here a no-op). Run with {@code -prof gc} to see the bytes
 * allocated per message ({@code gc.alloc.rate.norm}).
 *
 * <p>{@code direct} is the server's case: Netty's epoll transport reads into pooled direct
 * buffers, so the parser sees a direct {@link ByteBuffer}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HotPathBenchmark {

    private static final String SENDER = "sha-256 1F:2E:3D:4C:5B:6A:79:88:97:A6:B5:C4:D3:E2:F1:00:1F:2E:3D:4C:5B:6A:79:88:97:A6:B5:C4:D3:E2:F1:00";
    private static final String RECIPIENT = "sha-256 AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";

    /** A 256-byte ICE candidate message and a 2 KB SDP offer with a nested object. */
    @Param({"candidate", "offer"})
    public String message;

    @Param({"direct", "heap"})
    public String buffer;

    /**
     * {@code repeat}: the sender wrote to this peer before, so its connection hands the parser the
     * header it read last (a client sends an offer and a dozen candidates to one peer);
     * {@code first}: no previous header, as for the first message to a peer.
     */
    @Param({"repeat", "first"})
    public String recipient;

    private final EnvelopeHeaderParser parser = new EnvelopeHeaderParser();
    private ByteBuffer bytes;
    private Router router;
    private PeerSession sender;
    private Payload payload;
    private EnvelopeHeader previous;

    @Setup
    public void setUp() {
        byte[] raw = sample(message).getBytes(StandardCharsets.UTF_8);
        bytes = buffer.equals("direct") ? ByteBuffer.allocateDirect(raw.length) : ByteBuffer.allocate(raw.length);
        bytes.put(raw).flip();
        LocalRelay relay = new LocalRelay();
        relay.claimNow(new NoopSession(new PeerId(RECIPIENT)));
        sender = new NoopSession(new PeerId(SENDER));
        relay.claimNow(sender);
        router = new Router(relay, FromCheck.REJECT);
        payload = new ByteArrayPayload(raw);
        try {
            previous = recipient.equals("repeat") ? parser.parse(bytes, null) : null;
        } catch (MalformedEnvelopeException e) {
            throw new IllegalStateException(e);
        }
    }

    @Benchmark
    public EnvelopeHeader parseHeader() throws MalformedEnvelopeException {
        return parser.parse(bytes, previous);
    }

    @Benchmark
    public void parseAndRoute(Blackhole bh) throws MalformedEnvelopeException {
        EnvelopeHeader header = parser.parse(bytes, previous);
        router.route(sender, header, payload);
        bh.consume(header);
    }

    static String sample(String kind) {
        String head = "{\"to\":\"" + RECIPIENT + "\",\"from\":\"" + SENDER + "\",";
        if (kind.equals("candidate")) {
            String body = "\"type\":\"candidate\",\"candidate\":{\"candidate\":\"candidate:1 1 udp 2122260223 "
                    + "10.0.0.1 54321 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}}";
            return head + body;
        }
        StringBuilder sdp = new StringBuilder("v=0\\r\\no=- 4611731400430051336 2 IN IP4 127.0.0.1\\r\\ns=-\\r\\n");
        while (sdp.length() < 1900) {
            sdp.append("a=candidate:1 1 udp 2122260223 10.0.0.1 54321 typ host generation 0\\r\\n");
        }
        return head + "\"type\":\"offer\",\"sdp\":{\"type\":\"offer\",\"sdp\":\"" + sdp + "\"}}";
    }

    /** A session that accepts everything and does nothing, so only the routing decision is measured. */
    static final class NoopSession implements PeerSession {
        private final PeerId id;

        NoopSession(PeerId id) {
            this.id = id;
        }

        @Override
        public PeerId id() {
            return id;
        }

        @Override
        public DeliveryResult deliver(Payload payload) {
            return DeliveryResult.QUEUED;
        }

        @Override
        public DeliveryResult sendError(SignalError error) {
            return DeliveryResult.QUEUED;
        }

        @Override
        public DeliveryResult sendHeld(PeerId recipient) {
            return DeliveryResult.QUEUED;
        }

        @Override
        public void close(CloseReason reason) {
        }
    }
}
