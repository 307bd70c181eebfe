package dev.rendezvous.support;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
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

    private final Process process;
    private final CompletableFuture<Integer> port = new CompletableFuture<>();
    private final List<String> output = new ArrayList<>();

    private NodeProcess(List<String> command) throws Exception {
        this.process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread reader = new Thread(this::readOutput, "node-process-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code java -jar rendezvous.jar --host 127.0.0.1 --port 0 <args>} and waits until it listens. */
    public static NodeProcess start(String... args) throws Exception {
        String jar = System.getProperty("rendezvous.jar");
        if (jar == null) {
            throw new IllegalStateException("system property rendezvous.jar is not set (run through mvn verify)");
        }
        List<String> command = new ArrayList<>(List.of(
                System.getProperty("java.home") + "/bin/java", "-Xmx256m", "-jar", jar,
                "--host", "127.0.0.1", "--port", "0", "--shutdown-grace", "3s"));
        command.addAll(List.of(args));
        NodeProcess node = new NodeProcess(command);
        try {
            node.port.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            node.kill();
            throw new IllegalStateException("node did not start: " + node.output(), e);
        }
        return node;
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
