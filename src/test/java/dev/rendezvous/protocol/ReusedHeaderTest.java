package dev.rendezvous.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.rendezvous.signaling.EnvelopeHeader;
import dev.rendezvous.signaling.ErrorCode;
import dev.rendezvous.signaling.PeerId;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The hot path's reuse of the previous header and of one parser for a stream of messages. */
class ReusedHeaderTest {

    private static final String ALICE = "sha-256 1F:2E:3D:4C:5B:6A:79:88:97:A6:B5:C4:D3:E2:F1:00:1F:2E:3D:4C:5B:6A:79:88:97:A6:B5:C4:D3:E2:F1:00";
    private static final String BOB = "sha-256 AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";

    private final EnvelopeHeaderParser parser = new EnvelopeHeaderParser();

    @Test
    void theSameToAndFromGiveBackThePreviousHeader() throws Exception {
        EnvelopeHeader first = parse(message(BOB, ALICE, "offer"), null);

        EnvelopeHeader second = parse(message(BOB, ALICE, "candidate"), first);

        assertThat(first).isEqualTo(EnvelopeHeader.from(ALICE, BOB));
        assertThat(first.recipient()).isEqualTo(new PeerId(BOB));
        assertThat(second).isSameAs(first);
    }

    @Test
    void anotherToOrFromGivesANewHeader() throws Exception {
        EnvelopeHeader previous = parse(message(BOB, ALICE, "offer"), null);

        assertThat(parse(message("carol", ALICE, "offer"), previous)).isEqualTo(EnvelopeHeader.from(ALICE, "carol"));
        assertThat(parse(message(BOB, "mallory", "offer"), previous)).isEqualTo(EnvelopeHeader.from("mallory", BOB));
        assertThat(parse("{\"to\":\"" + BOB + "\"}", previous)).isEqualTo(EnvelopeHeader.withoutFrom(BOB));
        assertThat(parse("{\"to\":\"" + BOB + "\",\"from\":7}", previous)).isEqualTo(new EnvelopeHeader(BOB, true, null));
        assertThat(parse("{\"to\":\"" + BOB.substring(1) + "\"}", previous).to()).isEqualTo(BOB.substring(1));
    }

    @Test
    void aHeaderWithoutFromIsReusedOnlyByMessagesWithoutFrom() throws Exception {
        EnvelopeHeader withoutFrom = parse("{\"to\":\"bob\"}", null);

        assertThat(parse("{\"type\":\"x\",\"to\":\"bob\"}", withoutFrom)).isSameAs(withoutFrom);
        assertThat(parse("{\"to\":\"bob\",\"from\":null}", withoutFrom)).isEqualTo(new EnvelopeHeader("bob", true, null));
    }

    @Test
    void anInvalidToIsKeptAsTextWithoutARecipient() throws Exception {
        EnvelopeHeader header = parse("{\"to\":\"\"}", null);

        assertThat(header.to()).isEmpty();
        assertThat(header.recipient()).isNull();
        assertThat(parse("{\"to\":\"\"}", header)).isSameAs(header);
    }

    @Test
    void aStringLeftOpenAfterTheObjectIsBadJsonAndDoesNotSwallowTheNextMessage() throws Exception {
        EnvelopeHeader previous = parse(message(BOB, ALICE, "offer"), null);

        assertRejected("{\"to\":\"bob\"} \"x}", previous);
        assertRejected("{\"to\":\"bob\"} 1}", previous);
        assertRejected("{\"to\":\"bob\"} {\"to\":\"eve\"}", previous);

        assertThat(parse(message(BOB, ALICE, "answer"), previous)).isSameAs(previous);
    }

    @Test
    void aTruncatedNestedMessageIsBadJsonAndTheParserRecovers() throws Exception {
        assertRejected("{\"to\":\"bob\",\"sdp\":{\"a\":[{\"b\":", null);
        assertRejected("{\"to\":\"bob\",\"sdp\":{\"a\":[}", null);

        assertThat(parse("{\"to\":\"bob\",\"sdp\":{\"a\":[{\"b\":1}]}}", null)).isEqualTo(EnvelopeHeader.withoutFrom("bob"));
    }

    @Test
    void aLongStreamOfMessagesOnOneParserStaysExact() throws Exception {
        EnvelopeHeader previous = null;
        for (int i = 0; i < 20_000; i++) {
            String to = "peer-" + (i % 7);
            String body = i % 3 == 0
                    ? "{\"to\":\"" + to + "\",\"n\":" + i + "}"
                    : "\n{\"sdp\":{\"x\":[" + i + ",true,null,1.5e3]},\"to\":\"" + to + "\",\"from\":\"me\"} ";
            EnvelopeHeader header = parse(body, previous);
            assertThat(header.to()).isEqualTo(to);
            assertThat(header.hasFrom()).isEqualTo(i % 3 != 0);
            previous = header;
        }
    }

    /**
     * A direct buffer's message is read from a copy in an array that starts small and grows: a
     * message longer than it is copied whole (a fault near its end is still seen), and a short one
     * after it is read by its own length, not the array's.
     */
    @Test
    void aDirectMessageLongerThanTheCopyIsReadWholeAndAShortOneAfterItByItsOwnLength() throws Exception {
        String sdp = "v=0\\r\\n" + "a=candidate:1 1 udp 2122260223 127.0.0.1 54321 typ host\\r\\n".repeat(120);
        String offer = "{\"type\":\"offer\",\"sdp\":\"" + sdp + "\",\"to\":\"" + BOB + "\",\"from\":\"" + ALICE + "\"}";
        assertThat(offer.length()).isGreaterThan(4 * 1024);

        EnvelopeHeader first = parse(offer, null);
        assertThat(first).isEqualTo(EnvelopeHeader.from(ALICE, BOB));
        assertThat(parse("{\"to\":\"bob\"}", first)).isEqualTo(EnvelopeHeader.withoutFrom("bob"));
        assertRejected(offer.substring(0, offer.length() - 1) + ",}", first);
        assertRejected(offer.replace("\"to\":", "\"to\":\"x\",\"to\":"), first);
        assertThat(parse(offer, first)).isSameAs(first);
    }

    /**
     * The point of the reuse: a client writing to the same peer costs no allocation per message.
     * Counted with the JVM's per-thread allocation counter, over many messages to even out TLAB
     * bookkeeping; the limit is one byte per message, far below the ~1 KB of a fresh parser.
     */
    @Test
    void readingTheSameEnvelopeAgainAllocatesNothing() throws Exception {
        byte[] bytes = message(BOB, ALICE, "candidate").getBytes(StandardCharsets.UTF_8);
        ByteBuffer candidate = ByteBuffer.allocateDirect(bytes.length);
        candidate.put(bytes).flip();
        EnvelopeHeader previous = parser.parse(candidate, null);
        for (int i = 0; i < 20_000; i++) {
            parser.parse(candidate, previous);
        }
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        int messages = 50_000;

        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < messages; i++) {
            if (parser.parse(candidate, previous) != previous) {
                throw new AssertionError("header not reused");
            }
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;

        assertThat(allocated).as("bytes allocated for %d messages", messages).isLessThan(messages);
    }

    private static String message(String to, String from, String type) {
        return "{\"type\":\"" + type + "\",\"to\":\"" + to + "\",\"from\":\"" + from
                + "\",\"candidate\":{\"candidate\":\"candidate:1 1 udp 2122260223 127.0.0.1 54321 typ host\",\"sdpMid\":\"0\"}}";
    }

    private EnvelopeHeader parse(String message, EnvelopeHeader previous) throws MalformedEnvelopeException {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length);
        buffer.put(bytes).flip();
        return parser.parse(buffer, previous);
    }

    private void assertRejected(String message, EnvelopeHeader previous) {
        assertThatExceptionOfType(MalformedEnvelopeException.class)
                .as(message)
                .isThrownBy(() -> parse(message, previous))
                .satisfies(e -> assertThat(e.error().code()).isEqualTo(ErrorCode.BAD_JSON));
    }
}
