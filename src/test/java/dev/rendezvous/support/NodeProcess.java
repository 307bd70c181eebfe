package dev.rendezvous.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A node running from the built jar in its own JVM, on 127.0.0.1 and a port it picks itself (the
 * port is read from its INFO start line). Can be stopped with SIGTERM or killed with SIGKILL.
 *
 * <p>Its output goes to a file, not a pipe: when a process exits, the JDK closes the pipe under a
 * reader that is still reading ("Stream closed"), and the last lines — the shutdown's — were lost.
 */
public final class NodeProcess implements AutoCloseable {

    /** The start line in either log format (JSON escapes the slash). */
    private static final Pattern LISTENING = Pattern.compile("listening on \\\\?/127\\.0\\.0\\.1:(\\d+)");

    /** What a node that was expected to stop on its own said and returned. */
    public record Exit(int code, String output) {
    }

    private final Process process;
    private final Path log;
    private int port;

    private NodeProcess(Map<String, String> environment, String... args) throws IOException {
        this(nodeCommand(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-jar", jar().toString()), args), environment, true);
    }

    private NodeProcess(List<String> command, Map<String, String> environment, boolean inherit) throws IOException {
        this.log = Files.createTempFile("rendezvous-node-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        if (!inherit) {
            builder.environment().clear();
        }
        builder.environment().putAll(environment);
        this.process = builder.start();
    }

    /** {@code launcher --host 127.0.0.1 --port 0 [--shutdown-grace 3s] <args>}. */
    private static List<String> nodeCommand(List<String> launcher, String... args) {
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of("--host", "127.0.0.1", "--port", "0"));
        if (!List.of(args).contains("--shutdown-grace")) {
            command.addAll(List.of("--shutdown-grace", "3s"));
        }
        command.addAll(List.of(args));
        return command;
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
            node.port = node.awaitListening(Duration.ofSeconds(30));
        } catch (RuntimeException | InterruptedException e) {
            node.close();
            throw e;
        }
        return node;
    }

    /**
     * Starts a node through {@code launcher} (a packaged {@code bin/rendezvous}, or a command that
     * runs one in a container) with exactly {@code environment}, nothing inherited from the test's,
     * and waits until it listens.
     */
    public static NodeProcess startLauncher(List<String> launcher, Map<String, String> environment, String... args)
            throws Exception {
        NodeProcess node = new NodeProcess(nodeCommand(launcher, args), environment, false);
        try {
            node.port = node.awaitListening(Duration.ofSeconds(30));
        } catch (RuntimeException | InterruptedException e) {
            node.close();
            throw e;
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
            return new Exit(code, node.output());
        }
    }

    /** Reads the output until the start line shows; the file is only appended to, so rereading is safe. */
    private int awaitListening(Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher listening = LISTENING.matcher(output());
            if (listening.find()) {
                return Integer.parseInt(listening.group(1));
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("node exited with " + process.exitValue() + " before listening: "
                        + output());
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("node did not listen within " + bound + ": " + output());
    }

    public int port() {
        return port;
    }

    /** The operating system's process ID: launchers exec the JVM, so this is the JVM's. */
    public long pid() {
        return process.pid();
    }

    /**
     * Freezes the node (SIGSTOP), like a host that lost power or a stop-the-world pause: its
     * connections stay open, to clients and to Redis, and nothing on them is answered.
     */
    public void freeze() throws Exception {
        Signals.send(process, "STOP");
    }

    /** Thaws a {@link #freeze() frozen} node (SIGCONT). */
    public void thaw() throws Exception {
        Signals.send(process, "CONT");
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

    /** Everything the node printed so far (all of it once it has exited). */
    public String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8).stripTrailing();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            // A launcher that does not exec the JVM (a container runner) leaves it as a descendant.
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            if (process.isAlive()) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                Files.deleteIfExists(log);
            } catch (IOException e) {
                // A temporary file left behind is not worth failing a test for.
            }
        }
    }
}
