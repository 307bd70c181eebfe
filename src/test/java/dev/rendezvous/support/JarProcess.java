package dev.rendezvous.support;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * target/rendezvous.jar in its own JVM on 127.0.0.1 and a free port. The port is read from the
 * start line; the process's output is kept for failure messages.
 */
public final class JarProcess implements AutoCloseable {

    private static final Pattern LISTENING = Pattern.compile("listening on /127\\.0\\.0\\.1:(\\d+)");

    private final Process process;
    private final int port;
    private final List<String> output;

    private JarProcess(Process process, int port, List<String> output) {
        this.process = process;
        this.port = port;
        this.output = output;
    }

    public static Path jar() {
        Path jar = Path.of(System.getProperty("rendezvous.jar", "target/rendezvous.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run mvn package (failsafe runs after it)");
        }
        return jar;
    }

    public static JarProcess start(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-jar", jar().toString(), "--host", "127.0.0.1", "--port", "0"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> output = java.util.Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    output.add(line);
                    Matcher matcher = LISTENING.matcher(line);
                    if (matcher.find()) {
                        port.complete(Integer.parseInt(matcher.group(1)));
                    }
                }
            } catch (Exception e) {
                port.completeExceptionally(e);
            }
            port.completeExceptionally(new IllegalStateException("exited before listening: " + output));
        }, "jar-output");
        reader.setDaemon(true);
        reader.start();
        try {
            return new JarProcess(process, port.get(30, TimeUnit.SECONDS), output);
        } catch (Exception e) {
            process.destroyForcibly();
            throw e;
        }
    }

    public int port() {
        return port;
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    public List<String> output() {
        return List.copyOf(output);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            try {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
