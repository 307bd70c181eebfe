package dev.rendezvous.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteArrayFeeder;
import dev.rendezvous.signaling.EnvelopeHeader;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The allocation-free way to read a message's header: one long-lived non-blocking Jackson parser
 * per thread, fed one message after another as consecutive root-level values, so that the parser,
 * its buffers and its field-name table are built once instead of once per message (about 1 KB).
 * It reads bytes from an array: a heap buffer's own, or, for a direct buffer (what the epoll
 * transport hands over), this thread's copy of the message, one bulk copy into an array kept for
 * the next message (it grows to the largest message read, at most the node's message limit). The
 * parser's loops over an array cost less than over a direct buffer, where every byte is a
 * bounds-checked {@code ByteBuffer.get}: in {@code bench/jmh}, 5 alternating runs, a 256 B
 * candidate from a direct buffer took 446 ns this way and 728 ns fed as the buffer, a 2 KB offer
 * 1,402 and 1,597 ns (medians; docs/PERFORMANCE.md, "Hot path").
 * {@code to} and {@code from} are compared with the previous header's in place, as characters, so
 * a client writing to the same peer again costs no String either.
 *
 * <p>It only ever accepts a message that is exactly one JSON object with a string {@code to} and
 * no repeated {@code to}/{@code from}; for anything else it answers null and forgets its parser,
 * and the caller parses the message again from scratch to report the precise error. To be sure
 * nothing follows the object, the message is fed in two parts: everything before its final
 * {@code '}'}, then that brace. The object must close exactly on the second part; otherwise
 * content would follow it, or a string left open after it could swallow the next message.
 *
 * <p>Not thread-safe: one instance per thread.
 */
final class ReusedHeaderReader {

    private final JsonFactory json;
    private JsonParser parser;
    private ByteArrayFeeder feeder;
    /** Where a direct buffer's message is copied to. */
    private byte[] copy = new byte[1024];

    // Per message state.
    private byte[] input;
    private int closingBrace;
    private boolean braceFed;

    ReusedHeaderReader(JsonFactory json) {
        this.json = json;
    }

    /**
     * The header of the message in {@code buffer}'s readable bytes; {@code previous} itself when
     * {@code to} and {@code from} are the same as in it; null when the message is not a valid
     * envelope. The buffer's position and limit are left as they were.
     */
    EnvelopeHeader read(ByteBuffer buffer, EnvelopeHeader previous) {
        byte[] bytes;
        int from;
        if (buffer.hasArray()) {
            bytes = buffer.array();
            from = buffer.arrayOffset() + buffer.position();
        } else {
            bytes = copyOf(buffer);
            from = 0;
        }
        int to = from + buffer.remaining();
        int last = lastNonWhitespace(bytes, from, to);
        if (last < from || bytes[last] != '}' || !endsAValue(bytes, from, last)) {
            return null;
        }
        try {
            start(bytes, from, last);
            EnvelopeHeader header = readObject(previous);
            if (header == null) {
                discardParser();
            }
            return header;
        } catch (IOException | RuntimeException e) {
            discardParser();
            return null;
        } finally {
            input = null;
        }
    }

    /**
     * The buffer's readable bytes in this reader's array, grown to exactly the message's length when
     * too small (so never beyond the largest message read, which the node's limit bounds); the
     * buffer is left as it was.
     */
    private byte[] copyOf(ByteBuffer buffer) {
        int length = buffer.remaining();
        if (copy.length < length) {
            copy = new byte[length];
        }
        buffer.get(buffer.position(), copy, 0, length);
        return copy;
    }

    private void start(byte[] bytes, int from, int last) throws IOException {
        if (parser == null) {
            parser = json.createNonBlockingByteArrayParser();
            feeder = (ByteArrayFeeder) parser.getNonBlockingInputFeeder();
        }
        input = bytes;
        closingBrace = last;
        braceFed = false;
        feeder.feedInput(bytes, from, last);
    }

    private EnvelopeHeader readObject(EnvelopeHeader previous) throws IOException {
        if (next() != JsonToken.START_OBJECT) {
            return null;
        }
        boolean hasTo = false;
        boolean toIsPrevious = false;
        String to = null;
        boolean hasFrom = false;
        boolean fromIsPrevious = false;
        String from = null;
        int depth = 1;
        while (true) {
            JsonToken token = next();
            if (token == null || token == JsonToken.NOT_AVAILABLE) {
                return null;
            }
            if (depth > 1) {
                depth += nesting(token);
                continue;
            }
            if (token == JsonToken.END_OBJECT) {
                break;
            }
            String name = parser.currentName();
            JsonToken value = next();
            if (value == null || value == JsonToken.NOT_AVAILABLE) {
                return null;
            }
            if (EnvelopeHeaderParser.TO.equals(name)) {
                if (hasTo || value != JsonToken.VALUE_STRING) {
                    return null;
                }
                hasTo = true;
                toIsPrevious = previous != null && textEquals(previous.to());
                to = toIsPrevious ? previous.to() : parser.getText();
            } else if (EnvelopeHeaderParser.FROM.equals(name)) {
                if (hasFrom) {
                    return null;
                }
                hasFrom = true;
                if (value == JsonToken.VALUE_STRING) {
                    fromIsPrevious = previous != null && previous.hasFrom() && textEquals(previous.from());
                    from = fromIsPrevious ? previous.from() : parser.getText();
                } else {
                    fromIsPrevious = previous != null && previous.hasFrom() && previous.from() == null;
                }
            }
            depth += nesting(value);
        }
        // The object must have closed on its final brace, fed last: anything else means more follows.
        if (!braceFed || !hasTo) {
            return null;
        }
        boolean sameFrom = hasFrom ? fromIsPrevious : previous != null && !previous.hasFrom();
        if (toIsPrevious && sameFrom) {
            return previous;
        }
        return toIsPrevious
                ? new EnvelopeHeader(to, previous.recipient(), hasFrom, from)
                : new EnvelopeHeader(to, hasFrom, from);
    }

    /** The next token; at the end of the first part, feeds the final brace once. */
    private JsonToken next() throws IOException {
        JsonToken token = parser.nextToken();
        if (token == JsonToken.NOT_AVAILABLE && !braceFed) {
            braceFed = true;
            feeder.feedInput(input, closingBrace, closingBrace + 1);
            token = parser.nextToken();
        }
        return token;
    }

    private static int nesting(JsonToken token) {
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
            return 1;
        }
        if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
            return -1;
        }
        return 0;
    }

    /** Whether the current string token is {@code expected}, compared without making a String. */
    private boolean textEquals(String expected) throws IOException {
        if (expected == null) {
            return false;
        }
        int length = parser.getTextLength();
        if (length != expected.length()) {
            return false;
        }
        char[] text = parser.getTextCharacters();
        int offset = parser.getTextOffset();
        for (int i = 0; i < length; i++) {
            if (text[offset + i] != expected.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int lastNonWhitespace(byte[] bytes, int from, int to) {
        int i = to - 1;
        while (i >= from && isJsonWhitespace(bytes[i])) {
            i--;
        }
        return i;
    }

    /**
     * Whether what precedes the final brace can end a value: a string, a nested object or array, a
     * number or a literal. Jackson's non-blocking parser, resumed on a lone brace after a comma,
     * accepts a trailing comma it rejects in one piece, so such splits go to the slow path.
     */
    private static boolean endsAValue(byte[] bytes, int from, int closingBrace) {
        int i = lastNonWhitespace(bytes, from, closingBrace);
        if (i < from) {
            return false;
        }
        byte b = bytes[i];
        return b == '"' || b == '}' || b == ']' || (b >= '0' && b <= '9') || b == 'e' || b == 'l';
    }

    private static boolean isJsonWhitespace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    /** After a failure the parser may be mid-token; the next message gets a fresh one. */
    private void discardParser() {
        if (parser != null) {
            try {
                parser.close();
            } catch (IOException ignored) {
                // Closing only returns buffers to Jackson's pool; there is nothing to recover.
            }
        }
        parser = null;
        feeder = null;
    }
}
