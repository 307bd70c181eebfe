package dev.rendezvous.bench;

import io.netty.buffer.ByteBuf;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Rendezvous: {@code /websocket/?finger=ID}, messages addressed by {@code to}, signed by {@code from}. */
final class RendezvousProtocol implements Protocol {

    @Override
    public String name() {
        return "rendezvous";
    }

    @Override
    public String path(String id) {
        return "/websocket/?finger=" + URLEncoder.encode(id, StandardCharsets.UTF_8);
    }

    @Override
    public boolean greets() {
        return false;
    }

    @Override
    public boolean isGreeting(ByteBuf text) {
        return false;
    }

    @Override
    public void writeMessage(ByteBuf out, String from, String to, long seq, long t, int size) {
        int start = out.writerIndex();
        Ascii.write(out, "{\"to\":\"");
        Ascii.write(out, to);
        Ascii.write(out, "\",\"from\":\"");
        Ascii.write(out, from);
        Ascii.write(out, "\",\"type\":\"bench\",\"seq\":");
        Ascii.writeLong(out, seq);
        Ascii.write(out, ",\"t\":");
        Ascii.writeLong(out, t);
        out.writeByte(',');
        Ascii.writePad(out, start, size, "}");
    }

    @Override
    public String heartbeat() {
        return null;
    }
}
