package dev.rendezvous.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Opens sockets at a bounded rate and holds them. At each checkpoint it pauses, lets the server
 * settle, and reads the server's RSS and (for a JVM) its live heap after a forced full GC. Memory
 * per socket is the growth from the empty server divided by the sockets held; the slope between
 * the first and last checkpoint is what the extrapolation to 1,000,000 sockets uses.
 */
final class IdleScenario implements Scenario, BenchSocket.Listener {

    private static final long SETTLE_MILLIS = 2_000;
    private static final long HEARTBEAT_SECONDS = 15;

    private Clients clients;
    private EventLoop loop;
    private Opener opener;
    private final List<BenchSocket> open = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private boolean closing;

    @Override
    public Map<String, Object> run(Settings s) throws Exception {
        clients = new Clients(s.protocol(), Loopback.sources(s.sourceAddresses()), s.busyPoll(), s.tlsTrust());
        loop = clients.loop();
        ProcessProbe server = new ProcessProbe(s.serverPids().get(0));
        ProcessProbe self = ProcessProbe.self();
        String runId = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
        try {
            Map<String, Object> result = new LinkedHashMap<>();
            List<Map<String, Object>> points = new ArrayList<>();
            long baseHeap = server.liveHeapKiB();
            long baseRss = server.rssKiB();
            long baseSelfRss = self.rssKiB();
            points.add(point(0, baseRss, baseHeap, baseRss, baseHeap));
            clients.onLoop(() -> {
                opener = new Opener(clients, this, 256, s.openRate());
                if (s.protocol().heartbeat() != null) {
                    loop.scheduleAtFixedRate(() -> heartbeat(s.protocol().heartbeat()),
                            HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
                }
                return null;
            });
            int target = 0;
            long openStarted = System.nanoTime();
            for (int checkpoint : s.checkpoints()) {
                if (checkpoint > s.sockets()) {
                    break;
                }
                int from = target;
                target = checkpoint;
                CountDownLatch done = clients.onLoop(() -> {
                    for (int i = from; i < checkpoint; i++) {
                        opener.add(s.senderUrl(), "i-" + runId + "-" + i);
                    }
                    return opener.start();
                });
                long budget = 30 + 2L * (checkpoint - from) / Math.max(1, s.openRate());
                if (!done.await(budget, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("sockets did not open within " + budget + " s");
                }
                int held = clients.onLoop(open::size);
                if (held != checkpoint) {
                    result.put("failure", "held " + held + " of " + checkpoint + " sockets; first failure: "
                            + clients.onLoop(() -> failures.isEmpty() ? "none" : failures.get(0)));
                    break;
                }
                Thread.sleep(SETTLE_MILLIS);
                points.add(point(checkpoint, server.rssKiB(), server.liveHeapKiB(), baseRss, baseHeap));
            }
            double openSeconds = (System.nanoTime() - openStarted) / 1e9;
            Thread.sleep(Math.round(s.holdSeconds() * 1000));
            int held = clients.onLoop(open::size);
            result.put("sockets", held);
            result.put("checkpoints", points);
            result.put("generatorRssBytesPerSocket", held == 0 ? 0 : (self.rssKiB() - baseSelfRss) * 1024.0 / held);
            if (points.size() >= 3) {
                Map<String, Object> first = points.get(1);
                Map<String, Object> last = points.get(points.size() - 1);
                double n = ((Number) last.get("sockets")).doubleValue() - ((Number) first.get("sockets")).doubleValue();
                double rssSlope = (((Number) last.get("rssKiB")).doubleValue()
                        - ((Number) first.get("rssKiB")).doubleValue()) * 1024 / n;
                result.put("rssBytesPerSocketSlope", rssSlope);
                result.put("rssGiBAt1M", (baseRss * 1024.0 + rssSlope * 1_000_000) / (1L << 30));
                if (baseHeap >= 0) {
                    double heapSlope = (((Number) last.get("heapKiB")).doubleValue()
                            - ((Number) first.get("heapKiB")).doubleValue()) * 1024 / n;
                    result.put("heapBytesPerSocketSlope", heapSlope);
                    result.put("heapGiBAt1M", (baseHeap * 1024.0 + heapSlope * 1_000_000) / (1L << 30));
                }
            }
            if (!points.isEmpty()) {
                Map<String, Object> last = points.get(points.size() - 1);
                result.put("rssBytesPerSocket", last.get("rssBytesPerSocket"));
                result.put("heapBytesPerSocket", last.get("heapBytesPerSocket"));
            }
            result.put("openSeconds", openSeconds);
            List<String> problems = clients.onLoop(() -> new ArrayList<>(failures));
            boolean ok = !result.containsKey("failure") && problems.isEmpty() && held > 0;
            if (!problems.isEmpty()) {
                result.put("failure", problems.size() + " sockets failed or closed, first: " + problems.get(0));
            }
            result.put("ok", ok);
            return result;
        } finally {
            clients.onLoop(() -> {
                closing = true;
                open.forEach(socket -> socket.channel().close());
                return null;
            });
            clients.close();
        }
    }

    private static Map<String, Object> point(int sockets, long rssKiB, long heapKiB, long baseRss, long baseHeap) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("sockets", sockets);
        p.put("rssKiB", rssKiB);
        if (heapKiB >= 0) {
            p.put("heapKiB", heapKiB);
        }
        if (sockets > 0) {
            p.put("rssBytesPerSocket", (rssKiB - baseRss) * 1024.0 / sockets);
            if (heapKiB >= 0) {
                p.put("heapBytesPerSocket", (heapKiB - baseHeap) * 1024.0 / sockets);
            }
        }
        return p;
    }

    private void heartbeat(String text) {
        for (BenchSocket socket : open) {
            if (socket.isOpen()) {
                ByteBuf out = socket.channel().alloc().buffer(text.length());
                Ascii.write(out, text);
                socket.channel().writeAndFlush(new TextWebSocketFrame(out), socket.channel().voidPromise());
            }
        }
    }

    @Override
    public void onOpen(BenchSocket socket) {
        open.add(socket);
        opener.settled();
    }

    @Override
    public void onMessage(BenchSocket socket, ByteBuf text) {
        failures.add(socket.id + ": unexpected frame " + text.toString(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public void onClosed(BenchSocket socket, int closeCode, Throwable failure) {
        if (closing) {
            return;
        }
        if (open.remove(socket)) {
            failures.add(socket.id + ": closed while idle, code=" + closeCode);
        } else {
            failures.add(socket.id + ": " + (failure != null ? failure : "closed code=" + closeCode));
            opener.settled();
        }
    }
}
