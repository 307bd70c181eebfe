package dev.rendezvous.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.async.ByteBufferFeeder;
import dev.rendezvous.signaling.EnvelopeHeader;
import dev.rendezvous.signaling.ErrorCode;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads the top-level {@code to} and {@code from} of a client message with Jackson's streaming
 * parser, skipping every other value without building it. The whole message is still tokenized,
 * so malformed JSON is rejected here instead of reaching the recipient's {@code JSON.parse}.
 *
 * <p>A repeated top-level {@code to} or {@code from} is rejected: browsers' {@code JSON.parse}
 * keeps the last one, so routing or checking the first would let a sender address one peer while
 * the client sees another, or pass the {@code from} check while claiming someone else's ID.
 */
public final class EnvelopeHeaderParser {

    static final String TO = "to";
    static final String FROM = "from";

    private final JsonFactory json;
    private final ThreadLocal<ReusedHeaderReader> readers;

    public EnvelopeHeaderParser(JsonFactory json) {
        this.json = json;
        this.readers = ThreadLocal.withInitial(() -> new ReusedHeaderReader(json));
    }

    /**
     * Field names are not interned: a long-lived parser would otherwise put every name a client
     * invents into the JVM's global string table. Jackson's own table stays bounded (64k names).
     */
    public EnvelopeHeaderParser() {
        this(JsonFactory.builder().disable(JsonFactory.Feature.INTERN_FIELD_NAMES).build());
    }

    /**
     * The hot path: parses {@code buffer}'s readable bytes (heap or direct, left untouched) with
     * this thread's long-lived parser and returns {@code previous} itself when the message names
     * the same {@code to} and {@code from}, so a client writing to one peer allocates nothing per
     * message. Malformed messages are parsed again from scratch for the precise error.
     *
     * @param previous the header this connection read last, or null
     */
    public EnvelopeHeader parse(ByteBuffer buffer, EnvelopeHeader previous) throws MalformedEnvelopeException {
        EnvelopeHeader header = readers.get().read(buffer, previous);
        return header != null ? header : parse(buffer);
    }

    public EnvelopeHeader parse(byte[] bytes, int offset, int length) throws MalformedEnvelopeException {
        try (JsonParser parser = json.createParser(bytes, offset, length)) {
            return readHeader(parser);
        } catch (IOException e) {
            throw notJson();
        }
    }

    /** Parses the readable bytes of {@code buffer} (heap or direct) without copying them. */
    public EnvelopeHeader parse(ByteBuffer buffer) throws MalformedEnvelopeException {
        if (buffer.hasArray()) {
            return parse(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
        }
        try (JsonParser parser = json.createNonBlockingByteBufferParser()) {
            ByteBufferFeeder feeder = (ByteBufferFeeder) parser.getNonBlockingInputFeeder();
            feeder.feedInput(buffer);
            feeder.endOfInput();
            return readHeader(parser);
        } catch (IOException e) {
            throw notJson();
        }
    }

    private static EnvelopeHeader readHeader(JsonParser parser) throws IOException, MalformedEnvelopeException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new MalformedEnvelopeException(ErrorCode.BAD_JSON, "message is not a JSON object");
        }
        String to = null;
        boolean hasTo = false;
        String from = null;
        boolean hasFrom = false;
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (TO.equals(name)) {
                if (hasTo) {
                    throw duplicate(TO);
                }
                hasTo = true;
                to = value == JsonToken.VALUE_STRING ? parser.getText() : null;
            } else if (FROM.equals(name)) {
                if (hasFrom) {
                    throw duplicate(FROM);
                }
                hasFrom = true;
                from = value == JsonToken.VALUE_STRING ? parser.getText() : null;
            }
            parser.skipChildren();
        }
        if (token != JsonToken.END_OBJECT || !atEnd(parser)) {
            throw notJson();
        }
        if (to == null) {
            throw new MalformedEnvelopeException(ErrorCode.MISSING_TO, "message has no string field 'to'");
        }
        return new EnvelopeHeader(to, hasFrom, from);
    }

    /**
     * True when only whitespace follows the object. The non-blocking parser (direct buffers) reports
     * trailing whitespace as one NOT_AVAILABLE before the end even after endOfInput, so without the
     * second look a message ending in a newline would be bad JSON only when it arrived in a direct buffer.
     */
    private static boolean atEnd(JsonParser parser) throws IOException {
        JsonToken next = parser.nextToken();
        if (next == JsonToken.NOT_AVAILABLE) {
            next = parser.nextToken();
        }
        return next == null;
    }

    private static MalformedEnvelopeException notJson() {
        return new MalformedEnvelopeException(ErrorCode.BAD_JSON, "message is not valid JSON");
    }

    private static MalformedEnvelopeException duplicate(String field) {
        return new MalformedEnvelopeException(ErrorCode.BAD_JSON, "field '" + field + "' appears twice");
    }
}
