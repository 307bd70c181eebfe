package dev.rendezvous.browser;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.openqa.selenium.json.Json;

/**
 * Debian's firefox-esr driven over WebDriver BiDi, which Firefox speaks by itself when started with
 * {@code --remote-debugging-port}: no geckodriver. A small client over the JDK's WebSocket sends the
 * few commands the tests need (a session, navigation, script evaluation). The profile gives fake
 * media, loopback ICE candidates without mDNS, and a proxy on a closed loopback port for anything
 * that is not loopback, so that nothing leaves the machine.
 */
final class Firefox implements AutoCloseable {

    static final Path BINARY = Path.of(System.getenv().getOrDefault("FIREFOX_BINARY", "/usr/bin/firefox-esr"));
    static final Duration WAIT = BrowserPage.WAIT;
    private static final Pattern LISTENING = Pattern.compile("WebDriver BiDi listening on (ws://\\S+)");
    private static final Json JSON = new Json();

    private static final List<String> PREFERENCES = List.of(
            "media.navigator.streams.fake\", true",
            "media.navigator.permission.disabled\", true",
            "media.peerconnection.ice.loopback\", true",
            "media.peerconnection.ice.obfuscate_host_addresses\", false",
            "media.autoplay.default\", 0",
            "network.proxy.type\", 1",
            "network.proxy.http\", \"127.0.0.1\"",
            "network.proxy.http_port\", 9",
            "network.proxy.ssl\", \"127.0.0.1\"",
            "network.proxy.ssl_port\", 9",
            "network.dns.disablePrefetch\", true",
            "browser.safebrowsing.malware.enabled\", false",
            "browser.safebrowsing.phishing.enabled\", false",
            "datareporting.policy.dataSubmissionEnabled\", false",
            "toolkit.telemetry.enabled\", false",
            "app.update.auto\", false");

    private final String name;
    private final Process process;
    private final Path profile;
    private final Path log;
    private final WebSocket socket;
    private final Map<Integer, CompletableFuture<Map<String, Object>>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private String context;

    private Firefox(String name, Process process, Path profile, Path log, WebSocket socket) {
        this.name = name;
        this.process = process;
        this.profile = profile;
        this.log = log;
        this.socket = socket;
    }

    static void assumeInstalled() {
        boolean installed = Files.isExecutable(BINARY);
        String message = "needs " + BINARY + " (apt-get install firefox-esr)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            assertTrue(installed, message);
        } else {
            assumeTrue(installed, message);
        }
    }

    /** A headless Firefox with a fresh profile, a BiDi session and its first tab. */
    static Firefox launch(String name) throws Exception {
        Path profile = Files.createTempDirectory("rendezvous-firefox-");
        StringBuilder prefs = new StringBuilder();
        for (String preference : PREFERENCES) {
            prefs.append("user_pref(\"").append(preference).append(");\n");
        }
        Files.writeString(profile.resolve("user.js"), prefs, StandardCharsets.UTF_8);
        Path log = profile.resolve("firefox.log");
        Process process = new ProcessBuilder(BINARY.toString(), "--headless", "--no-remote", "--profile",
                profile.toString(), "--remote-debugging-port", "0", "about:blank")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            String endpoint = awaitEndpoint(process, log);
            CompletableFuture<Firefox> self = new CompletableFuture<>();
            Listener listener = new Listener(self);
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create(endpoint + "/session"), listener).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            Firefox firefox = new Firefox(name, process, profile, log, socket);
            self.complete(firefox);
            firefox.command("session.new", Map.of("capabilities", Map.of()));
            Map<String, Object> tree = firefox.command("browsingContext.getTree", Map.of());
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> contexts = (List<Map<String, Object>>) tree.get("contexts");
            firefox.context = (String) contexts.get(0).get("context");
            return firefox;
        } catch (Exception | Error e) {
            process.destroyForcibly();
            deleteTree(profile);
            throw e;
        }
    }

    String name() {
        return name;
    }

    void navigate(String url) throws Exception {
        command("browsingContext.navigate", Map.of("context", context, "url", url, "wait", "complete"));
    }

    /**
     * Evaluates {@code expression} in the page, awaiting a promise, and returns its value as JSON
     * parsed into Java (the expression's value is passed through {@code JSON.stringify}).
     */
    Object evaluate(String expression) throws Exception {
        Map<String, Object> result = command("script.evaluate", Map.of(
                "expression", "(async () => JSON.stringify(await (" + expression + ")))()",
                "target", Map.of("context", context), "awaitPromise", true));
        if (!"success".equals(result.get("type"))) {
            throw new AssertionError(name + ": script failed: " + result.get("exceptionDetails"));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> value = (Map<String, Object>) result.get("result");
        return "undefined".equals(value.get("type")) ? null : JSON.toType((String) value.get("value"), Object.class);
    }

    /** The demo page's {@code window.__rendezvousDemo.snapshot()}. */
    @SuppressWarnings("unchecked")
    Map<String, Object> snapshot() throws Exception {
        return (Map<String, Object>) evaluate("window.__rendezvousDemo ? window.__rendezvousDemo.snapshot() : {}");
    }

    /** Asks every 100 ms until the condition holds, for at most {@link #WAIT}. */
    void await(String what, Predicate<Firefox> condition) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.test(this)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + ": " + what + " (state: " + snapshot() + ")");
            }
            Thread.sleep(100);
        }
    }

    private Map<String, Object> command(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<Map<String, Object>> reply = new CompletableFuture<>();
        pending.put(id, reply);
        socket.sendText(JSON.toJson(Map.of("id", id, "method", method, "params", params)), true)
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        try {
            return reply.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } finally {
            pending.remove(id);
        }
    }

    @SuppressWarnings("unchecked")
    private void received(String text) {
        Map<String, Object> message = JSON.toType(text, Json.MAP_TYPE);
        Object id = message.get("id");
        if (id == null) {
            return; // an event; no test subscribes to any
        }
        CompletableFuture<Map<String, Object>> reply = pending.get(((Number) id).intValue());
        if (reply == null) {
            return;
        }
        if ("error".equals(message.get("type"))) {
            reply.completeExceptionally(new AssertionError(name + ": BiDi error " + message.get("error") + ": "
                    + message.get("message")));
        } else {
            reply.complete((Map<String, Object>) message.get("result"));
        }
    }

    private static String awaitEndpoint(Process process, Path log) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher listening = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
            if (listening.find()) {
                return listening.group(1);
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("firefox exited with " + process.exitValue() + ": " + Files.readString(log));
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("firefox did not start WebDriver BiDi: " + Files.readString(log));
    }

    @Override
    public void close() throws InterruptedException {
        try {
            command("browser.close", Map.of());
        } catch (Exception | AssertionError e) {
            // the process is ended below in any case
        }
        socket.abort();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        deleteTree(profile);
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a leftover profile in the temp directory is harmless
        }
    }

    /** Collects whole text messages and hands them to the Firefox it belongs to. */
    private static final class Listener implements WebSocket.Listener {
        private final CompletableFuture<Firefox> owner;
        private final StringBuilder partial = new StringBuilder();

        Listener(CompletableFuture<Firefox> owner) {
            this.owner = owner;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                owner.thenAccept(firefox -> firefox.received(text));
            }
            webSocket.request(1);
            return null;
        }
    }
}
