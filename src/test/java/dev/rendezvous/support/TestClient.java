package dev.rendezvous.support;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A real WebSocket client (the JDK's) that collects whole text messages and the close code, with
 * bounded waits only. The JDK client answers pings by itself, as browsers do.
 */
public final class TestClient implements AutoCloseable {

    public static final Duration WAIT = Duration.ofSeconds(10);

    /** The close code and reason the server sent. */
    public record Close(int code, String reason) {
    }

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final WebSocket socket;
    private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Close> closed = new CompletableFuture<>();

    private TestClient(URI uri, java.util.Map<String, String> headers) throws Exception {
        this(uri, HTTP, headers);
    }

    private TestClient(URI uri, HttpClient http) throws Exception {
        this(uri, http, java.util.Map.of());
    }

    private TestClient(URI uri, HttpClient http, java.util.Map<String, String> headers) throws Exception {
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(WAIT);
        headers.forEach(builder::header);
        this.socket = builder.buildAsync(uri, new Collector()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    public static TestClient connect(int port, String id) throws Exception {
        return connect(uri(port, id));
    }

    public static TestClient connect(URI uri) throws Exception {
        return new TestClient(uri, java.util.Map.of());
    }

    /** Connects with extra upgrade headers, such as {@code Authorization}. */
    public static TestClient connect(URI uri, java.util.Map<String, String> headers) throws Exception {
        return new TestClient(uri, headers);
    }

    /** {@link #uri} with more query parameters, given as {@code name=value} pairs already encoded. */
    public static URI uri(int port, String id, String... parameters) {
        StringBuilder uri = new StringBuilder(uri(port, id).toString());
        for (String parameter : parameters) {
            uri.append('&').append(parameter);
        }
        return URI.create(uri.toString());
    }

    /** Through a client of the caller's, such as one with an SSLContext for {@code wss://}. */
    public static TestClient connect(URI uri, HttpClient http) throws Exception {
        return new TestClient(uri, http);
    }

    /**
     * Connects as {@code id} until the claim sticks, within {@code bound}: a client that is
     * closed with 4409 tries again. For IDs that are being freed by something the test cannot
     * await directly, such as a lease running out, or a claim whose SET lands in Redis after its
     * connection closed (the node then deletes it as soon as it sees the answer).
     */
    public static TestClient connectOnceFree(int port, String id, Duration bound) throws Exception {
        long deadline = System.nanoTime() + bound.toNanos();
        String probe = "{\"to\":\"" + id + "\",\"probe\":true}";
        while (System.nanoTime() < deadline) {
            TestClient client = connect(port, id);
            // The refusal may already have closed the socket: a failed send is expected then.
            client.socket.sendText(probe, true).exceptionally(e -> null);
            while (!client.closed.isDone()) {
                if (System.nanoTime() > deadline) {
                    client.close();
                    throw new AssertionError(id + ": neither the probe back nor a close within " + bound);
                }
                String echo = client.poll(Duration.ofMillis(20));
                if (echo != null) {
                    if (!echo.equals(probe)) {
                        throw new AssertionError("expected the probe back, got " + echo);
                    }
                    return client;
                }
            }
            Close refusal = client.awaitClose();
            client.close();
            if (refusal.code() != 4409) {
                throw new AssertionError("expected 4409 while " + id + " is taken, got " + refusal);
            }
            Thread.sleep(20); // paces the retries; the lease's end cannot be awaited from here
        }
        throw new AssertionError(id + " was not claimable within " + bound);
    }

    public static URI uri(int port, String id) {
        return URI.create("ws://127.0.0.1:" + port + "/websocket/?finger="
                + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20"));
    }

    /**
     * Sends a message to the client's own ID and returns null when it comes back (the client holds
     * its ID), or the close the server sent instead; bounded by {@link #WAIT}.
     */
    public Close echoOrClose(String id) throws Exception {
        String probe = "{\"to\":\"" + id + "\",\"echo\":true}";
        socket.sendText(probe, true).exceptionally(e -> null);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!closed.isDone() && System.nanoTime() < deadline) {
            String echo = poll(Duration.ofMillis(20));
            if (echo != null) {
                if (!echo.equals(probe)) {
                    throw new AssertionError("expected the probe back, got " + echo);
                }
                return null;
            }
        }
        return awaitClose();
    }

    public TestClient send(String text) {
        socket.sendText(text, true).join();
        return this;
    }

    /** Sends one message as several continuation frames. */
    public TestClient sendFragmented(String... parts) {
        for (int i = 0; i < parts.length; i++) {
            socket.sendText(parts[i], i == parts.length - 1).join();
        }
        return this;
    }

    public WebSocket socket() {
        return socket;
    }

    /** The next whole message, failing after {@link #WAIT}. */
    public String receive() throws InterruptedException {
        String message = messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (message == null) {
            throw new AssertionError("no message within " + WAIT);
        }
        return message;
    }

    /** The next message if one arrives within {@code wait}; null otherwise. */
    public String poll(Duration wait) throws InterruptedException {
        return messages.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The close the server sent, failing after {@link #WAIT}. */
    public Close awaitClose() throws Exception {
        return closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    public CompletableFuture<Close> closeFuture() {
        return closed;
    }

    public boolean isOpen() {
        return !socket.isInputClosed() && !closed.isDone();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").exceptionally(e -> null);
        }
        socket.abort();
    }

    private final class Collector implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new Close(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.completeExceptionally(error);
        }
    }
}
