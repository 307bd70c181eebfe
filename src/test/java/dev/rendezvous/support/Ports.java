package dev.rendezvous.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for servers that a test stops and starts again on the same number. They are taken below
 * the kernel's ephemeral range: a port from that range can be handed, while the server is down,
 * to an outgoing connection — even to a client reconnecting to that very port, which then
 * connects to itself — and the restart would fail to bind.
 */
public final class Ports {

    private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    private Ports() {
    }

    /** A port on 127.0.0.1 that is free now and outside the ephemeral range. */
    public static int freeForRestarts() throws IOException {
        int ceiling = Math.max(2048, ephemeralLow());
        int floor = Math.max(1024, ceiling - 12_000);
        for (int attempt = 0; attempt < 100; attempt++) {
            int candidate = ThreadLocalRandom.current().nextInt(floor, ceiling);
            try (ServerSocket probe = new ServerSocket(candidate, 1, InetAddress.getLoopbackAddress())) {
                return probe.getLocalPort();
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port between " + floor + " and " + ceiling);
    }

    private static int ephemeralLow() {
        try {
            // readAllLines, not readString: /proc files report size 0, and readString trusts it.
            return Integer.parseInt(Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 32_768; // Linux's default
        }
    }
}
