package dev.rendezvous.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a bare TCP socket, for what well-behaved clients cannot do: invalid
 * UTF-8, binary and raw fragments, ignoring pings, and dropping the connection with a TCP reset.
 */
public final class RawWebSocket implements AutoCloseable {

    public static final int TEXT = 0x1;
    public static final int BINARY = 0x2;
    public static final int CONTINUATION = 0x0;
    public static final int CLOSE = 0x8;
    public static final int PING = 0x9;
    public static final int PONG = 0xA;

    /** One received frame. */
    public record Frame(int opcode, boolean fin, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The status code of a close frame. */
        public int closeCode() {
            return payload.length < 2 ? 1005 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }

        /** The reason text of a close frame. */
        public String closeReason() {
            return payload.length < 2 ? "" : new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final String statusLine;

    private RawWebSocket(Socket socket, String statusLine) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.statusLine = statusLine;
    }

    /** Sends the upgrade request for {@code pathAndQuery}; returns the socket whatever the status. */
    public static RawWebSocket open(int port, String pathAndQuery, String... extraHeaders) throws IOException {
        return openFrom(null, port, pathAndQuery, extraHeaders);
    }

    /** The same from a chosen loopback source address (127.0.0.2, …); null: any. */
    public static RawWebSocket openFrom(InetAddress from, int port, String pathAndQuery, String... extraHeaders)
            throws IOException {
        return open(new Socket(InetAddress.getByName("127.0.0.1"), port, from, 0), pathAndQuery, extraHeaders);
    }

    /**
     * {@link #open(int, String, String...)} over a socket the caller connected: a TLS socket, or
     * one bound to a chosen source address.
     */
    public static RawWebSocket open(Socket socket, String pathAndQuery, String... extraHeaders) throws IOException {
        int port = socket.getPort();
        return over(socket, port, pathAndQuery, extraHeaders);
    }

    /** The same upgrade over a socket the caller connected, such as a TLS socket, naming the port for Host. */
    public static RawWebSocket over(Socket socket, int port, String pathAndQuery, String... extraHeaders)
            throws IOException {
        socket.setSoTimeout((int) TestClient.WAIT.toMillis());
        byte[] keyBytes = new byte[16];
        ThreadLocalRandom.current().nextBytes(keyBytes);
        String request = "GET " + pathAndQuery + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(keyBytes) + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + String.join("", java.util.Arrays.stream(extraHeaders).map(h -> h + "\r\n").toList())
                + "\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        String status = readHeaders(socket.getInputStream());
        return new RawWebSocket(socket, status);
    }

    public static RawWebSocket connect(int port, String id) throws IOException {
        RawWebSocket ws = open(port, "/websocket/?finger=" + id);
        if (!ws.upgraded()) {
            ws.close();
            throw new IOException("upgrade refused: " + ws.statusLine);
        }
        return ws;
    }

    private static String readHeaders(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        int b;
        while (last4 != 0x0D0A0D0A && (b = in.read()) >= 0) {
            head.write(b);
            last4 = (last4 << 8) | b;
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n");
        return end < 0 ? text : text.substring(0, end);
    }

    public boolean upgraded() {
        return statusLine.startsWith("HTTP/1.1 101");
    }

    public String statusLine() {
        return statusLine;
    }

    public RawWebSocket sendFrame(int opcode, boolean fin, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift));
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.write(mask, 0, 4);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        out.write(frame.toByteArray());
        out.flush();
        return this;
    }

    public RawWebSocket sendText(String text) throws IOException {
        return sendFrame(TEXT, true, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The next frame, or null when the server closed the connection. */
    public Frame readFrame() throws IOException {
        int b0;
        try {
            b0 = in.read();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no frame within " + TestClient.WAIT, e);
        }
        if (b0 < 0) {
            return null;
        }
        int b1 = in.readUnsignedByte();
        long length = b1 & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        return new Frame(b0 & 0x0F, (b0 & 0x80) != 0, payload);
    }

    /** The next frame that is not a ping (null at the end of the stream); pings are answered on the way, as a browser would. */
    public Frame readAnsweringPings() throws IOException {
        Frame frame;
        while ((frame = readFrame()) != null && frame.opcode() == PING) {
            sendFrame(PONG, true, frame.payload());
        }
        return frame;
    }

    /** Reads frames until a close frame (returned) or the end of the stream (null), skipping pings. */
    public Frame readUntilClose() throws IOException {
        Frame frame;
        while ((frame = readFrame()) != null && frame.opcode() != CLOSE) {
            // skip data and control frames
        }
        return frame;
    }

    /** Ends the TCP connection with a reset (SO_LINGER 0) instead of a FIN. */
    public void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    /** Half-closes with a FIN, without any WebSocket close frame. */
    public void fin() throws IOException {
        socket.close();
    }

    public Socket socket() {
        return socket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
