package dev.rendezvous;

import dev.rendezvous.cli.RendezvousCommand;
import dev.rendezvous.config.ServerConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The training run of the launchers' class-data-sharing archive: run under
 * {@code -XX:ArchiveClassesAtExit}, it loads the classes a node loads while it starts and serves,
 * so that the JVM can map them from the archive at the next start instead of loading, verifying
 * and linking each one. It reads a command line, starts a node on a free loopback port, relays a
 * call's messages between two sockets, asks for the health, metrics and client pages, and stops
 * the node. Only 127.0.0.1 is contacted. Exits 0, or 1 when the run could not complete (the
 * launcher then starts without an archive).
 */
public final class ClassDataTraining {

    private static final int CALLS = 50;
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private ClassDataTraining() {
    }

    public static void main(String[] args) throws Exception {
        // The command line's classes: the same parse a start does, without serving.
        StringWriter ignored = new StringWriter();
        RendezvousCommand.run(new String[] {"--host", "127.0.0.1", "--port", "0", "print-config"}, Map.of(),
                null, new PrintWriter(ignored), new PrintWriter(ignored));
        ServerConfig config = ServerConfig.builder().host("127.0.0.1").port(0).build();
        try (Rendezvous node = Rendezvous.start(config)) {
            String base = "127.0.0.1:" + node.port();
            HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
            for (String path : List.of("/healthz", "/metrics", "/rendezvous.js", "/")) {
                http.send(HttpRequest.newBuilder(URI.create("http://" + base + path)).timeout(TIMEOUT).build(),
                        HttpResponse.BodyHandlers.discarding());
            }
            for (int call = 0; call < CALLS; call++) {
                relayOneCall(http, "ws://" + base + "/websocket/?finger=", call);
            }
        }
        System.exit(0);
    }

    /** Opens a caller and a callee and sends an offer, an answer and a candidate between them. */
    private static void relayOneCall(HttpClient http, String url, int call) throws Exception {
        String a = "training-a-" + call;
        String b = "training-b-" + call;
        Inbox callee = new Inbox(2);
        Inbox caller = new Inbox(1);
        WebSocket bSocket = http.newWebSocketBuilder().buildAsync(URI.create(url + b), callee)
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        WebSocket aSocket = http.newWebSocketBuilder().buildAsync(URI.create(url + a), caller)
                .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        aSocket.sendText("{\"to\":\"" + b + "\",\"from\":\"" + a + "\",\"type\":\"offer\",\"sdp\":\"v=0\"}", true)
                .join();
        aSocket.sendText("{\"to\":\"" + b + "\",\"from\":\"" + a + "\",\"type\":\"candidate\",\"candidate\":"
                + "\"candidate:1 1 udp 1 127.0.0.1 9 typ host\"}", true).join();
        bSocket.sendText("{\"to\":\"" + a + "\",\"from\":\"" + b + "\",\"type\":\"answer\",\"sdp\":\"v=0\"}", true)
                .join();
        if (!callee.received.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                || !caller.received.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new IllegalStateException("the training call's messages were not relayed");
        }
        aSocket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
        bSocket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
    }

    /** Counts the text messages a socket receives. */
    private static final class Inbox implements WebSocket.Listener {
        final CountDownLatch received;

        Inbox(int expected) {
            received = new CountDownLatch(expected);
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            if (last) {
                received.countDown();
            }
            socket.request(1);
            return CompletableFuture.completedFuture(null);
        }
    }
}
