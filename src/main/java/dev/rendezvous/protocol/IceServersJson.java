package dev.rendezvous.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The {@code --ice-servers} value is handed to browsers verbatim inside {@code /config.json}, so it
 * must be one well-formed JSON array: checked once at start, so that a typo fails the start instead
 * of every call.
 */
public final class IceServersJson {

    private static final JsonFactory JSON = new JsonFactory();

    private IceServersJson() {
    }

    /** Returns the array text, stripped; throws {@link IllegalArgumentException} on anything else. */
    public static String requireArray(String json) {
        try (JsonParser parser = JSON.createParser(json)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new IllegalArgumentException("ice servers must be a JSON array, got: " + json);
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                throw new IllegalArgumentException("ice servers: unexpected content after the array: " + json);
            }
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("ice servers are not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return json.strip();
    }

    /**
     * The body of {@code /ice-servers}: the TURN server with its fresh credentials first, then the
     * static {@code --ice-servers} verbatim, and how many seconds the credentials last.
     *
     * @param staticArray the checked {@code --ice-servers} array text
     */
    public static String withTurn(List<String> turnUrls, String username, String credential, long ttlSeconds,
            String staticArray) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeFieldName("iceServers");
            json.writeStartArray();
            json.writeStartObject();
            json.writeArrayFieldStart("urls");
            for (String url : turnUrls) {
                json.writeString(url);
            }
            json.writeEndArray();
            json.writeStringField("username", username);
            json.writeStringField("credential", credential);
            json.writeEndObject();
            String others = elements(staticArray);
            if (!others.isEmpty()) {
                json.writeRaw(',');
                json.writeRaw(others);
            }
            json.writeEndArray();
            json.writeNumberField("ttl", ttlSeconds);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** The body of {@code /ice-servers} without TURN: the static servers only, and no {@code ttl}. */
    public static String withoutTurn(String staticArray) {
        return "{\"iceServers\":" + staticArray + "}";
    }

    /** The text between the brackets of a checked array. */
    private static String elements(String staticArray) {
        String array = staticArray.strip();
        return array.substring(1, array.length() - 1).strip();
    }
}
