package dev.rendezvous.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.signaling.EnvelopeHeader;
import dev.rendezvous.signaling.SignalError;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The server reads every message with one long-lived parser per event loop, shared by all the
 * sockets on that loop ({@link ReusedHeaderReader}). Whatever one client sends, the answer must be
 * the one a fresh parser gives, and the next client's message must still be read exactly. This
 * test checks both on a hundred thousand messages made by mutating valid envelopes — the
 * inputs most likely to leave a parser in a strange state: cut strings, stray braces, escapes,
 * broken UTF-8, trailing commas, nesting, numbers and literals at the split.
 */
class EnvelopeHeaderFuzzTest {

    private static final int MESSAGES = 100_000;
    /** Simulated sockets on one event loop; each passes in the header it read last, as the server does. */
    private static final int SOCKETS = 3;

    private static final String[] TOKENS = {
        "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\u00", "\\\"", "\\\\", " ", "\n", "\t",
        "0", "-", "1e5", "1.", ".5", "true", "false", "null", "nul", "tru", "\"to\"", "\"from\"", "\"to\":",
        "\"from\":", "\"to\":\"x\"", "\"from\":null", "{}", "[]", "\"\"", "\u00e9", "\uD83D\uDE00", "/*", "*/", "//",
        "NaN", "'", "\u0000", "\u001f", "\u2028",
    };

    private static final byte[][] BROKEN_UTF8 = {
        {(byte) 0xff}, {(byte) 0xc3}, {(byte) 0xe2, (byte) 0x82}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
        {(byte) 0xc0, (byte) 0xaf}, {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0x80},
    };

    private final EnvelopeHeaderParser parser = new EnvelopeHeaderParser();

    @Test
    void theSharedParserAnswersLikeAFreshOneWhateverCameBefore() throws Exception {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        EnvelopeHeader[] previous = new EnvelopeHeader[SOCKETS];
        int accepted = 0;
        for (int i = 0; i < MESSAGES; i++) {
            byte[] message = random.nextInt(4) == 0 ? envelope(random) : mutated(envelope(random), random);
            int socket = random.nextInt(SOCKETS);
            boolean direct = random.nextBoolean();
            Object expected = freshParse(message, direct);
            Object actual = sharedParse(message, previous[socket], direct);
            assertThat(describe(actual))
                    .as("message %d (seed %d, %s buffer): %s", i, seed, direct ? "direct" : "heap", printable(message))
                    .isEqualTo(describe(expected));
            if (actual instanceof EnvelopeHeader header) {
                previous[socket] = header;
                accepted++;
            }
        }
        // The generator must exercise both outcomes, or the comparison proves little.
        assertThat(accepted).isBetween(MESSAGES / 10, MESSAGES - MESSAGES / 10);
    }

    @Test
    void aValidMessageAfterAnyMutantIsReadExactly() throws Exception {
        long seed = System.nanoTime();
        SplittableRandom random = new SplittableRandom(seed);
        byte[] canary = "{\"to\":\"AB:CD:EF\",\"from\":\"01:23\",\"type\":\"candidate\",\"n\":[1,{\"to\":2}]}"
                .getBytes(StandardCharsets.UTF_8);
        EnvelopeHeader canaryHeader = freshHeader(canary);
        for (int i = 0; i < MESSAGES / 4; i++) {
            byte[] mutant = mutated(envelope(random), random);
            boolean direct = random.nextBoolean();
            sharedParse(mutant, null, direct);
            assertThat(sharedParse(canary, null, !direct))
                    .as("the message after %d (seed %d): %s", i, seed, printable(mutant))
                    .isEqualTo(canaryHeader);
        }
    }

    /**
     * A fresh parser's answer for the same kind of buffer. The kinds may differ in the detail for
     * bytes that are not UTF-8 (the non-blocking parser decodes eagerly), which the server never
     * parses: Netty closes such a frame with 1007 first.
     */
    private Object freshParse(byte[] message, boolean direct) {
        ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(message.length) : ByteBuffer.allocate(message.length);
        buffer.put(message).flip();
        try {
            return parser.parse(buffer);
        } catch (MalformedEnvelopeException e) {
            return e.error();
        }
    }

    private EnvelopeHeader freshHeader(byte[] message) throws MalformedEnvelopeException {
        return parser.parse(message, 0, message.length);
    }

    /** The server's path, on a buffer with bytes on both sides that must not be read. */
    private Object sharedParse(byte[] message, EnvelopeHeader previous, boolean direct) {
        ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(message.length + 2) : ByteBuffer.allocate(message.length + 2);
        buffer.put((byte) '"').put(message).put((byte) '{');
        buffer.position(1).limit(1 + message.length);
        try {
            return parser.parse(buffer, previous);
        } catch (MalformedEnvelopeException e) {
            return e.error();
        } finally {
            assertThat(buffer.position()).isEqualTo(1);
            assertThat(buffer.limit()).isEqualTo(1 + message.length);
        }
    }

    private static String describe(Object result) {
        if (result instanceof SignalError error) {
            return "error " + error.code() + ": " + error.detail();
        }
        EnvelopeHeader header = (EnvelopeHeader) result;
        return "header to=" + header.to() + " recipient=" + header.recipient() + " hasFrom=" + header.hasFrom()
                + " from=" + header.from();
    }

    /** A valid envelope: IDs like the field's (fingerprints, unicode, escapes), other fields of every JSON kind. */
    private static byte[] envelope(SplittableRandom random) {
        StringBuilder json = new StringBuilder("{");
        int fields = random.nextInt(5);
        int toAt = random.nextInt(fields + 1);
        boolean withFrom = random.nextBoolean();
        int fromAt = random.nextInt(fields + 1);
        for (int i = 0; i <= fields; i++) {
            if (i == toAt) {
                member(json, "to", quoted(id(random)));
            }
            if (withFrom && i == fromAt) {
                member(json, "from", random.nextInt(8) == 0 ? value(random, 1) : quoted(id(random)));
            }
            if (i < fields) {
                member(json, random.nextBoolean() ? "type" : "f" + random.nextInt(10), value(random, 0));
            }
        }
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void member(StringBuilder json, String name, String value) {
        if (json.length() > 1) {
            json.append(',');
        }
        json.append('"').append(name).append("\":").append(value);
    }

    private static String id(SplittableRandom random) {
        return switch (random.nextInt(5)) {
            case 0 -> "alice";
            case 1 -> "bob";
            case 2 -> "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89";
            case 3 -> "\\u00e9t\\u00e9-\uD83D\uDE00";
            default -> "p" + random.nextInt(3);
        };
    }

    private static String quoted(String text) {
        return '"' + text + '"';
    }

    private static String value(SplittableRandom random, int depth) {
        int kind = random.nextInt(depth > 3 ? 5 : 7);
        return switch (kind) {
            case 0 -> quoted("v=0\\r\\no=- 1 1 IN IP4 127.0.0.1");
            case 1 -> Integer.toString(random.nextInt(-1000, 1000));
            case 2 -> "1.5e-3";
            case 3 -> random.nextBoolean() ? "true" : "null";
            case 4 -> quoted("to");
            case 5 -> "[" + value(random, depth + 1) + "," + value(random, depth + 1) + "]";
            default -> "{\"to\":" + value(random, depth + 1) + ",\"from\":" + value(random, depth + 1) + "}";
        };
    }

    /** One to three edits; the result often still ends in '}' so that it reaches the fast path. */
    private static byte[] mutated(byte[] message, SplittableRandom random) {
        byte[] bytes = message;
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int at = random.nextInt(bytes.length + 1);
            bytes = switch (random.nextInt(6)) {
                case 0 -> splice(bytes, at, Math.min(bytes.length, at + 1 + random.nextInt(4)), new byte[0]);
                case 1 -> splice(bytes, at, at, TOKENS[random.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8));
                case 2 -> splice(bytes, at, at, BROKEN_UTF8[random.nextInt(BROKEN_UTF8.length)]);
                case 3 -> splice(bytes, at, Math.min(bytes.length, at + 1),
                        TOKENS[random.nextInt(TOKENS.length)].getBytes(StandardCharsets.UTF_8));
                case 4 -> Arrays.copyOf(bytes, at);
                default -> {
                    int from = random.nextInt(bytes.length + 1);
                    int to = Math.min(bytes.length, from + random.nextInt(12));
                    yield splice(bytes, at, at, Arrays.copyOfRange(bytes, from, to));
                }
            };
        }
        if (random.nextBoolean() && (bytes.length == 0 || bytes[bytes.length - 1] != '}')) {
            bytes = splice(bytes, bytes.length, bytes.length, new byte[] {'}'});
        }
        return bytes;
    }

    private static byte[] splice(byte[] bytes, int from, int to, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + insert.length);
        out.write(bytes, 0, from);
        out.write(insert, 0, insert.length);
        out.write(bytes, to, bytes.length - to);
        return out.toByteArray();
    }

    private static String printable(byte[] message) {
        StringBuilder text = new StringBuilder();
        for (byte b : message) {
            text.append(b >= 0x20 && b < 0x7f ? Character.toString(b) : String.format("\\x%02x", b & 0xff));
        }
        return text.toString();
    }
}
