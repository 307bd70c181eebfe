package dev.rendezvous.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.rendezvous.signaling.EnvelopeHeader;
import dev.rendezvous.signaling.ErrorCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every case runs against each way bytes reach the parser: a heap array (the blocking parser) and
 * a direct buffer, which is what Netty's pooled allocator hands the frame handler (the
 * non-blocking parser). Both must agree on every input.
 */
class EnvelopeHeaderParserTest {

    /** How the message's bytes are handed over; each surrounds them with junk the parser must not read. */
    enum Input {
        HEAP_ARRAY {
            @Override
            EnvelopeHeader parse(EnvelopeHeaderParser parser, byte[] message) throws MalformedEnvelopeException {
                byte[] padded = new byte[message.length + 6];
                System.arraycopy(message, 0, padded, 3, message.length);
                padded[0] = '{';
                padded[padded.length - 1] = '}';
                return parser.parse(padded, 3, message.length);
            }
        },
        HEAP_BUFFER {
            @Override
            EnvelopeHeader parse(EnvelopeHeaderParser parser, byte[] message) throws MalformedEnvelopeException {
                ByteBuffer buffer = ByteBuffer.allocate(message.length + 4);
                buffer.put((byte) '[').put((byte) '[').put(message).put((byte) ']');
                buffer.position(2).limit(2 + message.length);
                return parser.parse(buffer.slice());
            }
        },
        DIRECT_BUFFER {
            @Override
            EnvelopeHeader parse(EnvelopeHeaderParser parser, byte[] message) throws MalformedEnvelopeException {
                ByteBuffer buffer = ByteBuffer.allocateDirect(message.length + 4);
                buffer.put((byte) '"').put(message).put((byte) 'x');
                buffer.position(1).limit(1 + message.length);
                return parser.parse(buffer);
            }
        },
        /**
         * The server's path: one long-lived parser per thread, fed message after message. Each case
         * runs between two other messages, and the one after it must still parse exactly.
         */
        REUSED_DIRECT_BUFFER {
            @Override
            EnvelopeHeader parse(EnvelopeHeaderParser parser, byte[] message) throws MalformedEnvelopeException {
                return parseBetweenOthers(parser, message, true);
            }
        },
        REUSED_HEAP_BUFFER {
            @Override
            EnvelopeHeader parse(EnvelopeHeaderParser parser, byte[] message) throws MalformedEnvelopeException {
                return parseBetweenOthers(parser, message, false);
            }
        };

        private static final byte[] NEIGHBOUR = "{\"to\":\"carol\",\"from\":\"dave\",\"n\":1}".getBytes(StandardCharsets.UTF_8);

        abstract EnvelopeHeader parse(EnvelopeHeaderParser parser, byte[] message) throws MalformedEnvelopeException;

        static EnvelopeHeader parseBetweenOthers(EnvelopeHeaderParser parser, byte[] message, boolean direct)
                throws MalformedEnvelopeException {
            EnvelopeHeader before = parser.parse(framed(NEIGHBOUR, direct), null);
            try {
                ByteBuffer buffer = framed(message, direct);
                int position = buffer.position();
                int limit = buffer.limit();
                try {
                    return parser.parse(buffer, before);
                } finally {
                    assertThat(buffer.position()).isEqualTo(position);
                    assertThat(buffer.limit()).isEqualTo(limit);
                }
            } finally {
                assertThat(parser.parse(framed(NEIGHBOUR, direct), before))
                        .as("the message after it").isSameAs(before);
            }
        }

        /** The message with junk on both sides that the parser must not read. */
        static ByteBuffer framed(byte[] message, boolean direct) {
            ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(message.length + 4) : ByteBuffer.allocate(message.length + 4);
            buffer.put((byte) '"').put((byte) '{').put(message).put((byte) '"').put((byte) '}');
            return buffer.position(2).limit(2 + message.length);
        }

        EnvelopeHeader parse(String message) throws MalformedEnvelopeException {
            return parse(new EnvelopeHeaderParser(), message.getBytes(StandardCharsets.UTF_8));
        }

        void assertRejected(String message, ErrorCode code) {
            assertThatExceptionOfType(MalformedEnvelopeException.class)
                    .as("%s: %s", this, message.length() > 80 ? message.substring(0, 80) + "…" : message)
                    .isThrownBy(() -> parse(message))
                    .satisfies(e -> {
                        assertThat(e.error().code()).isEqualTo(code);
                        assertThat(e.error().detail()).isNotBlank().doesNotContain("\n");
                    });
        }
    }

    @ParameterizedTest
    @EnumSource(Input.class)
    void readsTopLevelToAndFrom(Input input) throws Exception {
        assertThat(input.parse("{\"to\":\"bob\",\"from\":\"alice\",\"type\":\"offer\",\"sdp\":\"v=0\"}"))
                .isEqualTo(EnvelopeHeader.from("alice", "bob"));
    }

    @ParameterizedTest
    @EnumSource(Input.class)
    void aMessageWithoutFromHasNoFrom(Input input) throws Exception {
        assertThat(input.parse("{\"type\":\"candidate\",\"to\":\"bob\"}")).isEqualTo(EnvelopeHeader.withoutFrom("bob"));
    }

    @ParameterizedTest
    @EnumSource(Input.class)
    void skipsNestedValuesAndIgnoresNestedToAndFrom(Input input) throws Exception {
        String message = "{\"sdp\":{\"to\":\"eve\",\"from\":\"mallory\",\"list\":[1,{\"to\":\"x\"},[\"to\"],null]},"
                + "\"candidates\":[{\"from\":\"z\"}],\"to\":\"bob\",\"n\":-1.5e3,\"ok\":true}";

        assertThat(input.parse(message)).isEqualTo(EnvelopeHeader.withoutFrom("bob"));
    }

    @ParameterizedTest
    @EnumSource(Input.class)
    void acceptsSdpAsStringOrObject(Input input) throws Exception {
        assertThat(input.parse("{\"to\":\"bob\",\"sdp\":\"v=0\\r\\no=- 1 1 IN IP4 127.0.0.1\\r\\n\"}").to())
                .isEqualTo("bob");
        assertThat(input.parse("{\"to\":\"bob\",\"sdp\":{\"type\":\"offer\",\"sdp\":\"v=0\"}}").to()).isEqualTo("bob");
    }

    @ParameterizedTest
    @EnumSource(Input.class)
    void decodesUnicodeAndEscapesInTo(Input input) throws Exception {
        assertThat(input.parse("{\"to\":\"\u043f\u0438\u0440-\uD83D\uDE00\"}").to()).isEqualTo("\u043f\u0438\u0440-\uD83D\uDE00");
        assertThat(input.parse("{\"to\":\"\\u00e9\\uD83D\\uDE00\"}").to()).isEqualTo("\u00e9\uD83D\uDE00");
        assertThat(input.parse("{\"to\":\"say \\\"hi\\\" \\\\ bye\"}").to()).isEqualTo("say \"hi\" \\ bye");
    }

    @ParameterizedTest
    @EnumSource(Input.class)
    void readsAFieldNameWrittenWithEscapesAsTheSameField(Input input) throws Exception {
        assertThat(input.parse("{\"t\\u006f\":\"bob\"}").to()).isEqualTo("bob");
        input.assertRejected("{\"to\":\"bob\",\"t\\u006f\":\"eve\"}", ErrorCode.BAD_JSON);
    }

    @ParameterizedTest
    @EnumSource(Input.class)
    void findsToInALargeMessage(Input input) throws Exception {
        String sdp = "a=candidate:1 1 udp 2122260223 127.0.0.1 54400 typ host\\r\\n".repeat(200);
        assertThat(sdp.length()).isGreaterThan(10_000);

        assertThat(input.parse("{\"sdp\":\"" + sdp + "\",\"to\":\"bob\"}").to()).isEqualTo("bob");
    }

    @ParameterizedTest
    @EnumSource(Input.class)
    void aToThatIsNotAStringIsMissingTo(Input input) {
        for (String to : new String[] {"42", "null", "true", "{\"id\":\"bob\"}", "[\"bob\"]"}) {
            input.assertRejected("{\"to\":" + to + "}", ErrorCode.MISSING_TO);
        }
        input.assertRejected("{\"from\":\"alice\"}", ErrorCode.MISSING_TO);
        input.assertRejected("{}", ErrorCode.MISSING_TO);
    }

    @ParameterizedTest
    @EnumSource(Input.class)
    void aFromThatIsNotAStringIsPresentButHasNoValue(Input input) throws Exception {
        for (String from : new String[] {"42", "null", "{\"id\":\"alice\"}", "[]"}) {
            assertThat(input.parse("{\"to\":\"bob\",\"from\":" + from + "}"))
                    .isEqualTo(new EnvelopeHeader("bob", true, null));
        }
    }

    @ParameterizedTest
    @EnumSource(Input.class)
    void aRepeatedTopLevelToOrFromIsBadJson(Input input) {
        input.assertRejected("{\"to\":\"bob\",\"to\":\"eve\"}", ErrorCode.BAD_JSON);
        input.assertRejected("{\"to\":1,\"x\":2,\"to\":\"eve\"}", ErrorCode.BAD_JSON);
        input.assertRejected("{\"from\":\"alice\",\"to\":\"bob\",\"from\":\"mallory\"}", ErrorCode.BAD_JSON);
    }

    @ParameterizedTest
    @EnumSource(Input.class)
    void aValueOtherThanAnObjectAtTopLevelIsBadJson(Input input) {
        for (String message : new String[] {"[{\"to\":\"bob\"}]", "\"to\"", "42", "true", "null", "hello"}) {
            input.assertRejected(message, ErrorCode.BAD_JSON);
        }
    }

    @ParameterizedTest
    @EnumSource(Input.class)
    void anEmptyOrBlankMessageIsBadJson(Input input) {
        input.assertRejected("", ErrorCode.BAD_JSON);
        input.assertRejected(" \r\n\t", ErrorCode.BAD_JSON);
    }

    @ParameterizedTest
    @EnumSource(Input.class)
    void anythingAfterTheObjectIsBadJson(Input input) {
        input.assertRejected("{\"to\":\"bob\"} x", ErrorCode.BAD_JSON);
        input.assertRejected("{\"to\":\"bob\"}{\"to\":\"eve\"}", ErrorCode.BAD_JSON);
        input.assertRejected("{\"to\":\"bob\"},", ErrorCode.BAD_JSON);
        input.assertRejected("{\"to\":\"bob\"}}", ErrorCode.BAD_JSON);
    }

    @ParameterizedTest
    @EnumSource(Input.class)
    void whitespaceAroundTheObjectIsFine(Input input) throws Exception {
        assertThat(input.parse(" \n{ \"to\" : \"bob\" }\r\n ").to()).isEqualTo("bob");
    }

    @ParameterizedTest
    @EnumSource(Input.class)
    void truncatedJsonIsBadJson(Input input) {
        for (String message : new String[] {"{", "{\"to\"", "{\"to\":", "{\"to\":\"bob", "{\"to\":\"bob\"",
                "{\"to\":\"bob\",", "{\"to\":\"bob\",\"sdp\":{\"a\":[1,", "{\"to\":\"b\\u00"}) {
            input.assertRejected(message, ErrorCode.BAD_JSON);
        }
    }

    @ParameterizedTest
    @EnumSource(Input.class)
    void syntaxThatBrowsersRejectIsBadJson(Input input) {
        for (String message : new String[] {"{'to':'bob'}", "{to:\"bob\"}", "{\"to\":\"bob\",}",
                "{\"to\":\"bob\" /* hi */}", "{\"to\":\"bob\",\"n\":NaN}", "{\"to\":\"bob\",\"n\":01}",
                "{\"to\":\"a\tb\"}", "{\"to\":\"bob\" ,}", "{\"to\":\"bob\",\n}", "{\"to\":\"bob\",\"x\"}",
                "{\"to\":\"bob\",\"x\":}", "{\"to\":\"bob\",\"x\":1,}", "{\"to\":\"bob\",\"x\":tru}",
                "{\"to\":\"bob\",\"x\":-}", "{\"to\":\"bob\",\"x\":1.}", "{\"to\":\"bob\",\"x\":1e}",
                "{\"to\":\"bob\",\"x\":[1,]}", "{\"to\":\"bob\",\"x\":{\"y\":1,}}", "{\"to\":\"bob\",\"x\":nul}",
                "{\"to\":\"bob\",\"x\":\"}"}) {
            input.assertRejected(message, ErrorCode.BAD_JSON);
        }
    }

    @ParameterizedTest
    @EnumSource(Input.class)
    void deepNestingIsBadJsonNotACrash(Input input) {
        int depth = 20_000;
        String message = "{\"to\":\"bob\",\"x\":" + "[".repeat(depth) + "]".repeat(depth) + "}";

        input.assertRejected(message, ErrorCode.BAD_JSON);
    }

    @ParameterizedTest
    @EnumSource(Input.class)
    void moderateNestingIsFine(Input input) throws Exception {
        String message = "{\"x\":" + "{\"a\":".repeat(100) + "1" + "}".repeat(100) + ",\"to\":\"bob\"}";

        assertThat(input.parse(message).to()).isEqualTo("bob");
    }

    /** The documented limits, at their edges: 1,000 levels of nesting (the envelope's own object included). */
    @ParameterizedTest
    @EnumSource(Input.class)
    void nestingIsAcceptedUpToOneThousandLevels(Input input) throws Exception {
        int inner = 999;
        String deepest = "{\"to\":\"bob\",\"x\":" + "[".repeat(inner) + "]".repeat(inner) + "}";
        assertThat(input.parse(deepest).to()).isEqualTo("bob");

        String tooDeep = "{\"to\":\"bob\",\"x\":" + "[".repeat(inner + 1) + "]".repeat(inner + 1) + "}";
        input.assertRejected(tooDeep, ErrorCode.BAD_JSON);
    }

    @ParameterizedTest
    @EnumSource(Input.class)
    void numbersAreAcceptedUpToOneThousandDigits(Input input) throws Exception {
        assertThat(input.parse("{\"to\":\"bob\",\"n\":" + "7".repeat(1000) + "}").to()).isEqualTo("bob");

        input.assertRejected("{\"to\":\"bob\",\"n\":" + "7".repeat(1001) + "}", ErrorCode.BAD_JSON);
    }

    @ParameterizedTest
    @EnumSource(Input.class)
    void fieldNamesAreAcceptedUpToFiftyThousandCharacters(Input input) throws Exception {
        assertThat(input.parse("{\"to\":\"bob\",\"" + "k".repeat(50_000) + "\":1}").to()).isEqualTo("bob");

        input.assertRejected("{\"to\":\"bob\",\"" + "k".repeat(50_001) + "\":1}", ErrorCode.BAD_JSON);
    }

    @ParameterizedTest
    @EnumSource(Input.class)
    void bytesThatAreNotUtf8AreBadJson(Input input) {
        byte[] message = {'{', '"', 't', 'o', '"', ':', '"', (byte) 0xFF, (byte) 0xC3, '"', '}'};

        assertThatExceptionOfType(MalformedEnvelopeException.class)
                .isThrownBy(() -> input.parse(new EnvelopeHeaderParser(), message))
                .satisfies(e -> assertThat(e.error().code()).isEqualTo(ErrorCode.BAD_JSON));
    }
}
