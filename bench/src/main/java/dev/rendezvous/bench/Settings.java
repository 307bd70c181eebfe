package dev.rendezvous.bench;

import java.net.URI;
import java.util.List;

/**
 * One generator run, as given on the command line.
 *
 * @param senderUrl   where sending sockets connect (node A in the cross-node scenario)
 * @param receiverUrl where receiving sockets connect (node B; the same server otherwise)
 * @param serverPids  processes whose CPU is charged to the server (both nodes across nodes)
 * @param busyPoll    the generator's event loop spins instead of sleeping in epoll_wait, so its own
 *                    timer and wake-up latency stay out of the latency figures (it then uses its
 *                    whole core by design, so it is never reported as the limit)
 * @param tlsTrust    PEM certificate that {@code wss://} clients trust; null for {@code ws://}
 */
record Settings(
        String scenario,
        String target,
        Protocol protocol,
        URI senderUrl,
        URI receiverUrl,
        List<Long> serverPids,
        int pairs,
        int rate,
        int size,
        double warmupSeconds,
        double durationSeconds,
        int window,
        int sockets,
        List<Integer> checkpoints,
        int openRate,
        double holdSeconds,
        int concurrency,
        int sourceAddresses,
        boolean busyPoll,
        java.nio.file.Path tlsTrust) {

    long warmupMillis() {
        return Math.round(warmupSeconds * 1000);
    }

    long durationMillis() {
        return Math.round(durationSeconds * 1000);
    }
}
