package dev.rendezvous.bench.jmh;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.rendezvous.protocol.EnvelopeHeaderParser;
import dev.rendezvous.protocol.MalformedEnvelopeException;
import dev.rendezvous.signaling.EnvelopeHeader;
import java.io.IOException;
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

/**
 * An alternative we measured and did not adopt: Jackson's blocking parser, made afresh for every
 * message over the message's bytes, which skips the string values it is not asked for (the SDP, the
 * candidate) where the node's kept non-blocking parser decodes every one. {@code node} is what
 * the node does ({@link EnvelopeHeaderParser}, no previous header: its to/from become new
 * Strings); {@code blocking} finds the same two fields and checks the same shape (one object,
 * nothing after it) but makes no header. Run with {@code -prof gc}: the blocking parser's speed
 * comes with its parser and contexts allocated for every message (docs/PERFORMANCE.md).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JacksonParserBenchmark {

    @Param({"candidate", "offer"})
    public String message;

    private final EnvelopeHeaderParser node = new EnvelopeHeaderParser();
    private final JsonFactory json = new JsonFactory();
    private final byte[] copy = new byte[4096];
    private ByteBuffer bytes;

    @Setup
    public void setUp() {
        byte[] raw = HotPathBenchmark.sample(message).getBytes(StandardCharsets.UTF_8);
        bytes = ByteBuffer.allocateDirect(raw.length);
        bytes.put(raw).flip();
    }

    @Benchmark
    public EnvelopeHeader node() throws MalformedEnvelopeException {
        return node.parse(bytes, null);
    }

    /** The sum of the lengths of to and from, or -1 for a message that is not one object. */
    @Benchmark
    public int blocking() throws IOException {
        int length = bytes.remaining();
        bytes.get(bytes.position(), copy, 0, length);
        int found = 0;
        try (JsonParser parser = json.createParser(copy, 0, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return -1;
            }
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals("to") || name.equals("from")) {
                    found += parser.getTextLength();
                } else if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    parser.skipChildren();
                }
            }
            return token == JsonToken.END_OBJECT && parser.nextToken() == null ? found : -1;
        }
    }
}
