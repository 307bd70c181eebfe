package dev.rendezvous.bench;

import io.netty.buffer.ByteBuf;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The PeerJS server (npm {@code peer} 1.0.2, started with {@code --path /}): {@code /peerjs?key=&id=&token=},
 * an {@code {"type":"OPEN"}} greeting, messages addressed by {@code dst} with the body in
 * {@code payload}; the server parses each message, sets {@code src} and re-serialises it.
 * Clients must send {@code HEARTBEAT} or are dropped after {@code alive_timeout}.
 */
final class PeerJsProtocol implements Protocol {

    @Override
    public String name() {
        return "peerjs";
    }

    @Override
    public String path(String id) {
        String encoded = URLEncoder.encode(id, StandardCharsets.UTF_8);
        return "/peerjs?key=peerjs&id=" + encoded + "&token=t" + encoded;
    }

    @Override
    public boolean greets() {
        return true;
    }

    @Override
    public boolean isGreeting(ByteBuf text) {
        return Ascii.contains(text, "\"OPEN\"");
    }

    @Override
    public void writeMessage(ByteBuf out, String from, String to, long seq, long t, int size) {
        int start = out.writerIndex();
        Ascii.write(out, "{\"type\":\"OFFER\",\"dst\":\"");
        Ascii.write(out, to);
        Ascii.write(out, "\",\"payload\":{\"type\":\"bench\",\"seq\":");
        Ascii.writeLong(out, seq);
        Ascii.write(out, ",\"t\":");
        Ascii.writeLong(out, t);
        out.writeByte(',');
        Ascii.writePad(out, start, size, "}}");
    }

    @Override
    public String heartbeat() {
        return "{\"type\":\"HEARTBEAT\"}";
    }
}
