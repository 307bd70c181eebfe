package dev.rendezvous.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.rendezvous.signaling.PeerId;
import dev.rendezvous.signaling.SignalError;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * Encodes the frames the server itself sends. Each carries {@code to} (the receiving socket's own
 * ID) and a {@code type} the seed client ignores, so it passes the client's {@code data.to} check.
 */
public final class ServerFrames {

    private final JsonFactory json;

    public ServerFrames(JsonFactory json) {
        this.json = json;
    }

    public ServerFrames() {
        this(new JsonFactory());
    }

    /** {@code {"type":"error","to":…,"error":…,"detail":…[,"peer":…]}} written to {@code out}. */
    public void writeError(PeerId recipient, SignalError error, OutputStream out) {
        try (JsonGenerator gen = json.createGenerator(out)) {
            gen.writeStartObject();
            gen.writeStringField("type", "error");
            gen.writeStringField("to", recipient.value());
            gen.writeStringField("error", error.code().wireName());
            gen.writeStringField("detail", error.detail());
            if (error.peer() != null) {
                gen.writeStringField("peer", error.peer());
            }
            gen.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code {"type":"held","to":…,"peer":…}}: the mailbox holds {@code recipient}'s message from
     * {@code sender} until {@code peer} connects. A type the seed client ignores.
     */
    public void writeHeld(PeerId sender, PeerId peer, OutputStream out) {
        try (JsonGenerator gen = json.createGenerator(out)) {
            gen.writeStartObject();
            gen.writeStringField("type", "held");
            gen.writeStringField("to", sender.value());
            gen.writeStringField("peer", peer.value());
            gen.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public byte[] error(PeerId recipient, SignalError error) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        writeError(recipient, error, out);
        return out.toByteArray();
    }
}
