package dev.rendezvous.support;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Plain HTTP/1.1 over a bare socket, keep-alive capable, with full control of the headers
 * (the JDK client refuses to send Upgrade or Connection).
 */
public final class HttpProbe implements AutoCloseable {

    /** A parsed response. */
    public record Response(int status, String head, String body) {
        public String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final int port;

    public HttpProbe(int port) throws IOException {
        this(null, port);
    }

    /** From a chosen loopback source address (127.0.0.2, …), as a client elsewhere would be; null: any. */
    public HttpProbe(InetAddress from, int port) throws IOException {
        this.port = port;
        this.socket = new Socket(InetAddress.getByName("127.0.0.1"), port, from, 0);
        socket.setSoTimeout((int) TestClient.WAIT.toMillis());
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** One request on a fresh connection. */
    public static Response get(int port, String pathAndQuery, String... extraHeaders) throws IOException {
        try (HttpProbe probe = new HttpProbe(port)) {
            return probe.request("GET", pathAndQuery, extraHeaders);
        }
    }

    /** An upgrade request with valid WebSocket headers. */
    public static Response upgrade(int port, String pathAndQuery) throws IOException {
        return get(port, pathAndQuery, UPGRADE_HEADERS);
    }

    /** The headers of a valid WebSocket upgrade request, to send with others. */
    public static final String[] UPGRADE_HEADERS = {"Upgrade: websocket", "Connection: Upgrade",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"};

    /**
     * Whether the server hung up after its answer: the next read sees the end of the stream (a
     * 101 is followed by WebSocket frames instead, so this is only for refusals).
     */
    public boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (java.net.SocketException reset) {
            return true;
        }
    }

    public Response request(String method, String pathAndQuery, String... extraHeaders) throws IOException {
        StringBuilder request = new StringBuilder()
                .append(method).append(' ').append(pathAndQuery).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1:").append(port).append("\r\n");
        for (String header : extraHeaders) {
            request.append(header).append("\r\n");
        }
        request.append("\r\n");
        out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return readResponse(!method.equals("HEAD"));
    }

    private Response readResponse(boolean hasBody) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        while (last4 != 0x0D0A0D0A) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed before the response ended: " + head);
            }
            head.write(b);
            last4 = (last4 << 8) | b;
        }
        String headText = head.toString(StandardCharsets.ISO_8859_1);
        int status = Integer.parseInt(headText.substring(9, 12));
        Response withoutBody = new Response(status, headText, "");
        String length = withoutBody.header("content-length");
        if (!hasBody || length == null || status == 101) {
            return withoutBody;
        }
        byte[] body = new byte[Integer.parseInt(length.toLowerCase(Locale.ROOT))];
        in.readFully(body);
        return new Response(status, headText, new String(body, StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
