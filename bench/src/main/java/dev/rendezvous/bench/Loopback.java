package dev.rendezvous.bench;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/** The benchmark sends traffic to loopback only; this is where that is enforced. */
final class Loopback {

    private Loopback() {
    }

    static void require(String host) {
        try {
            if (!InetAddress.getByName(host).isLoopbackAddress()) {
                throw new IllegalArgumentException(host + " is not a loopback address; the benchmark only targets 127.0.0.0/8 or ::1");
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("unknown host " + host, e);
        }
    }

    /** 127.0.0.2 .. 127.0.0.(1+count): source addresses for client sockets. */
    static List<String> sources(int count) {
        List<String> sources = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sources.add("127.0.0." + (2 + i));
        }
        return sources;
    }
}
