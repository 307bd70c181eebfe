package dev.rendezvous.bench;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** Small helpers to write and scan the benchmark's ASCII-only JSON without building strings. */
final class Ascii {

    private static final byte[] SEQ = "\"seq\":".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] T = "\"t\":".getBytes(StandardCharsets.US_ASCII);

    private Ascii() {
    }

    static void write(ByteBuf out, String ascii) {
        out.writeCharSequence(ascii, StandardCharsets.US_ASCII);
    }

    static void writeLong(ByteBuf out, long value) {
        if (value < 0) {
            out.writeByte('-');
            value = -value;
        }
        if (value == 0) {
            out.writeByte('0');
            return;
        }
        int digits = 0;
        for (long v = value; v > 0; v /= 10) {
            digits++;
        }
        int end = out.writerIndex() + digits;
        out.ensureWritable(digits);
        for (int i = end - 1; i >= out.writerIndex(); i--) {
            out.setByte(i, (int) ('0' + value % 10));
            value /= 10;
        }
        out.writerIndex(end);
    }

    /** Writes {@code "pad":"xxx"} so that the message reaches {@code size} bytes after {@code tail}. */
    static void writePad(ByteBuf out, int start, int size, String tail) {
        String key = "\"pad\":\"";
        int fixed = key.length() + 1 + tail.length();
        int padding = Math.max(0, size - (out.writerIndex() - start) - fixed);
        write(out, key);
        for (int i = 0; i < padding; i++) {
            out.writeByte('x');
        }
        out.writeByte('"');
        write(out, tail);
    }

    /** The value of {@code "seq":<n>} in {@code text}, or -1 when absent. */
    static long seq(ByteBuf text) {
        return numberAfter(text, SEQ);
    }

    /** The value of {@code "t":<n>} in {@code text}, or -1 when absent. */
    static long t(ByteBuf text) {
        return numberAfter(text, T);
    }

    private static long numberAfter(ByteBuf text, byte[] key) {
        int from = text.readerIndex();
        int to = text.writerIndex() - key.length;
        outer:
        for (int i = from; i <= to; i++) {
            for (int k = 0; k < key.length; k++) {
                if (text.getByte(i + k) != key[k]) {
                    continue outer;
                }
            }
            long value = 0;
            int j = i + key.length;
            boolean any = false;
            while (j < text.writerIndex()) {
                byte b = text.getByte(j);
                if (b < '0' || b > '9') {
                    break;
                }
                value = value * 10 + (b - '0');
                any = true;
                j++;
            }
            return any ? value : -1;
        }
        return -1;
    }

    static boolean contains(ByteBuf text, String ascii) {
        return text.toString(StandardCharsets.UTF_8).contains(ascii);
    }
}
