package dev.rendezvous.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.rendezvous.signaling.ErrorCode;
import dev.rendezvous.signaling.PeerId;
import dev.rendezvous.signaling.SignalError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ServerFramesTest {

    private final ServerFrames frames = new ServerFrames();

    /** Reads a JSON object of string fields, failing on anything else: the whole shape of an error frame. */
    private static Map<String, String> flatObject(byte[] json) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        try (JsonParser parser = new JsonFactory().createParser(json)) {
            assertThat(parser.nextToken()).isEqualTo(JsonToken.START_OBJECT);
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                assertThat(parser.nextToken()).as("value of %s", name).isEqualTo(JsonToken.VALUE_STRING);
                assertThat(fields.put(name, parser.getText())).as("%s written once", name).isNull();
            }
            assertThat(parser.currentToken()).isEqualTo(JsonToken.END_OBJECT);
            assertThat(parser.nextToken()).as("nothing after the object").isNull();
        }
        return fields;
    }

    @Test
    void anErrorFrameHasExactlyTypeToErrorAndDetail() throws IOException {
        byte[] frame = frames.error(new PeerId("alice"), SignalError.of(ErrorCode.FROM_MISMATCH, "from is not your own id"));

        assertThat(flatObject(frame)).containsExactly(
                entry("type", "error"),
                entry("to", "alice"),
                entry("error", "from-mismatch"),
                entry("detail", "from is not your own id"));
    }

    @Test
    void aPeerUnavailableFrameAlsoNamesThePeer() throws IOException {
        byte[] frame = frames.error(new PeerId("alice"), SignalError.peerUnavailable("bob", "nobody is connected as that id"));

        assertThat(flatObject(frame)).containsExactly(
                entry("type", "error"),
                entry("to", "alice"),
                entry("error", "peer-unavailable"),
                entry("detail", "nobody is connected as that id"),
                entry("peer", "bob"));
    }

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void carriesEachCodesWireName(ErrorCode code) throws IOException {
        byte[] frame = frames.error(new PeerId("alice"), SignalError.of(code, "why"));

        assertThat(flatObject(frame)).containsEntry("error", code.wireName());
    }

    @Test
    void escapesQuotesControlCharactersAndUnicodeSoTheFrameStaysValidJson() throws IOException {
        String ownId = "sha-256 \"AB\":\\CD \u00e9\uD83D\uDE00";
        String badPeer = "b\u0000\n\"}{\"to\":\"eve\"\uD800";

        byte[] frame = frames.error(new PeerId(ownId), SignalError.peerUnavailable(badPeer, "not a valid id"));

        assertThat(flatObject(frame)).containsEntry("to", ownId).containsEntry("peer", badPeer).hasSize(5);
    }

    @Test
    void writesUtf8() {
        byte[] frame = frames.error(new PeerId("\u00e9"), SignalError.of(ErrorCode.BAD_JSON, "x"));

        assertThat(new String(frame, StandardCharsets.UTF_8)).contains("\"to\":\"\u00e9\"");
    }

    @Test
    void writingToAStreamGivesTheSameBytes() {
        SignalError error = SignalError.peerUnavailable("bob", "gone");
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        frames.writeError(new PeerId("alice"), error, out);

        assertThat(out.toByteArray()).isEqualTo(frames.error(new PeerId("alice"), error));
    }
}
