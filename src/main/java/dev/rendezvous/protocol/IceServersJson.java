package dev.rendezvous.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.UncheckedIOException;

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
}
