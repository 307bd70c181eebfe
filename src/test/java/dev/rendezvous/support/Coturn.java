package dev.rendezvous.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A real coturn ({@code turnserver} from Debian) in the REST-credential mode
 * ({@code use-auth-secret}), listening and relaying on 127.0.0.1 only, without TLS, its log in a
 * file the test can read. Skips the test when the binary is missing on a laptop; fails when
 * {@code CI=true}.
 */
public final class Coturn implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/bin/turnserver");
    public static final Path CLIENT = Path.of("/usr/bin/turnutils_uclient");
    public static final String REALM = "rendezvous.test";
    private static final int RELAY_PORTS = 200;

    private final Process process;
    private final Path dir;
    private final int port;
    private final String secret;

    private Coturn(Process process, Path dir, int port, String secret) {
        this.process = process;
        this.dir = dir;
        this.port = port;
        this.secret = secret;
    }

    public static void assumeInstalled() {
        boolean installed = Files.isExecutable(BINARY) && Files.isExecutable(CLIENT);
        String message = "needs " + BINARY + " and " + CLIENT + " (apt-get install coturn)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            if (!installed) {
                throw new AssertionError(message);
            }
        } else {
            Assumptions.assumeTrue(installed, message);
        }
    }

    public static Coturn start(String secret) throws Exception {
        assumeInstalled();
        Path dir = Files.createTempDirectory("rendezvous-coturn-");
        int port = freeTcpAndUdpPort();
        int relayFloor = port + 1 + ThreadLocalRandom.current().nextInt(200);
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "-n",
                "--listening-ip", "127.0.0.1", "--listening-port", Integer.toString(port),
                "--relay-ip", "127.0.0.1",
                "--min-port", Integer.toString(relayFloor), "--max-port", Integer.toString(relayFloor + RELAY_PORTS),
                "--use-auth-secret", "--static-auth-secret", secret, "--realm", REALM,
                "--allow-loopback-peers", "--no-cli", "--no-tls", "--no-dtls", "--fingerprint",
                "--no-software-attribute", "--log-file", "stdout", "--simple-log",
                "--pidfile", dir.resolve("turnserver.pid").toString(),
                "--userdb", dir.resolve("turndb").toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("turnserver.log").toFile()).start();
        Coturn coturn = new Coturn(process, dir, port, secret);
        try {
            coturn.awaitListening();
        } catch (Exception | AssertionError e) {
            coturn.close();
            throw e;
        }
        return coturn;
    }

    public int port() {
        return port;
    }

    public String secret() {
        return secret;
    }

    /** {@code turn:127.0.0.1:<port>?transport=udp}. */
    public String udpUri() {
        return "turn:127.0.0.1:" + port + "?transport=udp";
    }

    public String log() {
        try {
            return Files.readString(dir.resolve("turnserver.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What {@code turnutils_uclient} did with these credentials: its exit code and output. */
    public record ClientRun(int exitCode, String output) {
    }

    /**
     * Two TURN clients that allocate a relay each and send {@code messages} to each other through
     * the relays ({@code turnutils_uclient -y}), with these credentials.
     */
    public ClientRun relayWith(String username, String password, int messages) throws Exception {
        Path output = Files.createTempFile(dir, "uclient-", ".log");
        Process client = new ProcessBuilder(CLIENT.toString(), "-y", "-n", Integer.toString(messages), "-m", "1",
                "-l", "120", "-u", username, "-w", password, "-p", Integer.toString(port), "127.0.0.1")
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!client.waitFor(60, TimeUnit.SECONDS)) {
            client.destroyForcibly();
            throw new AssertionError("turnutils_uclient did not finish within 60 s: " + Files.readString(output));
        }
        return new ClientRun(client.exitValue(), Files.readString(output));
    }

    private void awaitListening() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("turnserver exited with " + process.exitValue() + ": " + log());
            }
            if (log().contains("Total General servers") && accepts()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("turnserver did not listen on " + port + ": " + log());
            }
            Thread.sleep(20);
        }
    }

    private boolean accepts() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port free for both TCP and UDP on 127.0.0.1 (coturn listens on both), with room above for relays. */
    private static int freeTcpAndUdpPort() throws IOException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int candidate = Ports.freeForRestarts();
            if (candidate > 65535 - 2 * (RELAY_PORTS + 200)) {
                continue;
            }
            try (ServerSocket tcp = new ServerSocket(candidate, 1, InetAddress.getLoopbackAddress());
                 DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), candidate))) {
                return candidate;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no port free for both TCP and UDP");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // a leftover temp directory is harmless
        }
    }
}
