package dev.rendezvous.support;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node running from the built jar in its own JVM, on 127.0.0.1 and a port it picks itself (the
 * port is read from its INFO start line). Can be stopped with SIGTERM or killed with SIGKILL.
 */
public final class NodeProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on /127\\.0\\.0\\.1:(\\d+)");

    /** What a node that was expected to stop on its own said and returned. */
    public record Exit(int code, String output) {
    }

    private final Process process;
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final List<String> output = new ArrayList<>();

    private NodeProcess(Map<String, String> environment, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-jar", jar().toString(), "--host", "127.0.0.1", "--port", "0"));
        if (!List.of(args).contains("--shutdown-grace")) {
            command.addAll(List.of("--shutdown-grace", "3s"));
        }
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        this.process = builder.start();
        Thread reader = new Thread(this::readOutput, "node-process-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** The jar that failsafe's {@code rendezvous.jar} property names (mvn verify builds it first). */
    private static Path jar() {
        Path jar = Path.of(System.getProperty("rendezvous.jar", "target/rendezvous.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run mvn package (failsafe runs after it)");
        }
        return jar;
    }

    /**
     * Starts {@code java -jar rendezvous.jar --host 127.0.0.1 --port 0 [--shutdown-grace 3s] <args>}
     * and waits until it listens.
     */
    public static NodeProcess start(String... args) throws Exception {
        return start(Map.of(), args);
    }

    /** {@link #start(String...)} with extra environment variables. */
    public static NodeProcess start(Map<String, String> environment, String... args) throws Exception {
        NodeProcess node = new NodeProcess(environment, args);
        try {
            node.port.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            node.kill();
            throw new IllegalStateException("node did not start: " + node.output(), e);
        }
        return node;
    }

    /** Starts a node that is expected to stop by itself (a failed start) and waits for it, within {@code bound}. */
    public static Exit runToExit(Duration bound, String... args) throws Exception {
        try (NodeProcess node = new NodeProcess(Map.of(), args)) {
            int code = node.awaitExit(bound.toSeconds());
            if (code == -1) {
                throw new AssertionError("node still running after " + bound + ": " + node.output());
            }
            // The reader settles the port once the output ends: after that the output is complete.
            node.port.exceptionally(e -> -1).join();
            return new Exit(code, node.output());
        }
    }

    public int port() {
        return port.join();
    }

    /** SIGKILL: no shutdown hook, no lease release, sockets cut by the kernel. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM; returns the exit code, or -1 if the process did not exit within {@code seconds}. */
    public int terminate(long seconds) throws InterruptedException {
        terminateAsync();
        return awaitExit(seconds);
    }

    /** Sends SIGTERM and returns at once. */
    public void terminateAsync() {
        process.destroy();
    }

    /** The exit code, or -1 if the process is still running after {@code seconds}. */
    public int awaitExit(long seconds) throws InterruptedException {
        return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
    }

    public synchronized String output() {
        return String.join("\n", output);
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                synchronized (this) {
                    output.add(line);
                }
                Matcher listening = LISTENING.matcher(line);
                if (listening.find()) {
                    port.complete(Integer.parseInt(listening.group(1)));
                }
            }
        } catch (Exception e) {
            port.completeExceptionally(e);
        }
        port.completeExceptionally(new IllegalStateException("node exited before listening"));
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
