package dev.rendezvous.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rendezvous.support.Ports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Debian's nginx serving a site file from {@code deploy/}, unprivileged, on free loopback ports,
 * with everything it writes (pid, five temp paths, logs) under its own prefix folder. Its example
 * upstream servers, listen lines and certificate paths are replaced with the test's; every other
 * line runs as written.
 */
final class Nginx implements AutoCloseable {

    static final Path BINARY = Path.of(System.getenv().getOrDefault("NGINX_BINARY", "/usr/sbin/nginx"));

    private static final Pattern UPSTREAM_SERVER = Pattern.compile("(?m)^\\s*server 10\\.0\\.0\\.\\d+:8080;\\n");

    private final Path prefix;
    private final Process process;
    private final int tlsPort;
    private final int httpPort;

    private Nginx(Path prefix, Process process, int tlsPort, int httpPort) {
        this.prefix = prefix;
        this.process = process;
        this.tlsPort = tlsPort;
        this.httpPort = httpPort;
    }

    /** Skips on a machine without nginx, but fails in CI, where this test must run. */
    static void assumeInstalled() {
        String message = BINARY + " not found (apt-get install nginx, or run scripts/install-deps)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            assertTrue(Files.isExecutable(BINARY), message);
        } else {
            assumeTrue(Files.isExecutable(BINARY), message);
        }
    }

    /** Starts nginx with {@code site} in front of the nodes on {@code upstreamPorts}, and waits until it listens. */
    static Nginx start(Path site, Path certificate, Path key, List<Integer> upstreamPorts) throws Exception {
        Path prefix = Files.createTempDirectory("rendezvous-nginx-");
        int tlsPort = Ports.freeForRestarts();
        int httpPort = Ports.freeForRestarts();
        String servers = upstreamPorts.stream().map(port -> "    server 127.0.0.1:" + port + ";\n")
                .collect(Collectors.joining());
        String text = Files.readString(site, StandardCharsets.UTF_8);
        text = replaceUpstreamServers(text, servers);
        text = replaceOnce(text, "listen 443 ssl;", "listen 127.0.0.1:" + tlsPort + " ssl;");
        text = replaceOnce(text, "listen 80;", "listen 127.0.0.1:" + httpPort + ";");
        text = replaceOnce(text, "/etc/ssl/rendezvous/fullchain.pem", certificate.toString());
        text = replaceOnce(text, "/etc/ssl/rendezvous/privkey.pem", key.toString());
        Path config = prefix.resolve("nginx.conf");
        Files.writeString(config, wrap(text), StandardCharsets.UTF_8);
        Path errorLog = prefix.resolve("error.log");
        Process process = new ProcessBuilder(BINARY.toString(), "-p", prefix + "/", "-c", config.toString(),
                "-e", errorLog.toString())
                .redirectErrorStream(true)
                .redirectOutput(prefix.resolve("stdout.log").toFile())
                .start();
        Nginx nginx = new Nginx(prefix, process, tlsPort, httpPort);
        try {
            nginx.awaitListening();
        } catch (Exception | AssertionError e) {
            nginx.close();
            throw e;
        }
        return nginx;
    }

    /**
     * The http {} around a site file, as Debian's nginx.conf puts it, plus what an unprivileged
     * instance needs. One process (no master): nothing is left behind if the test JVM dies.
     */
    private static String wrap(String site) {
        return """
                daemon off;
                master_process off;
                pid nginx.pid;
                error_log error.log info;
                events {
                    worker_connections 256;
                }
                http {
                    access_log access.log;
                    client_body_temp_path client_body;
                    proxy_temp_path proxy;
                    fastcgi_temp_path fastcgi;
                    uwsgi_temp_path uwsgi;
                    scgi_temp_path scgi;
                """ + site.indent(4) + "}\n";
    }

    private static String replaceUpstreamServers(String text, String servers) {
        Matcher matcher = UPSTREAM_SERVER.matcher(text);
        assertTrue(matcher.find(), "the site file's upstream lists servers 10.0.0.x:8080");
        int start = matcher.start();
        int end = matcher.end();
        while (matcher.find()) {
            assertTrue(matcher.start() == end, "the upstream servers are listed together");
            end = matcher.end();
        }
        return text.substring(0, start) + servers + text.substring(end);
    }

    private static String replaceOnce(String text, String example, String replacement) {
        int at = text.indexOf(example);
        assertTrue(at >= 0 && text.indexOf(example, at + 1) < 0, "the site file has " + example + " once");
        return text.substring(0, at) + replacement + text.substring(at + example.length());
    }

    private void awaitListening() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!accepts(tlsPort) || !accepts(httpPort)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new AssertionError("nginx did not start: " + logs());
            }
            Thread.sleep(20);
        }
    }

    private static boolean accepts(int port) {
        try (Socket probe = new Socket()) {
            probe.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    int tlsPort() {
        return tlsPort;
    }

    int httpPort() {
        return httpPort;
    }

    /** Its error log and console output, for failure messages. */
    String logs() throws IOException {
        StringBuilder logs = new StringBuilder();
        for (String name : List.of("stdout.log", "error.log")) {
            Path file = prefix.resolve(name);
            if (Files.exists(file)) {
                logs.append(name).append(":\n").append(Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        return logs.toString();
    }

    @Override
    public void close() throws IOException, InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        }
        try (Stream<Path> files = Files.walk(prefix)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
