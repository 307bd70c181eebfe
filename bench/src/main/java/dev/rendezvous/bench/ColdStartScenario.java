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
 * A freshly started node meets its clients: N sockets connect at {@code --open-rate} (0: as fast
 * as the generator can, with {@code --concurrency} handshakes in flight, the reconnect storm after
 * a restart). Figures: the time from the first connect until every socket holds its 101, and the
 * server's CPU over exactly that window (its core share and per socket), beside what the server
 * spent before the first connect (the JVM's start). After the window every socket sends one
 * message to itself, which proves each ID is bound; the run fails on any socket not accepted,
 * closed, or not answered.
 */
final class ColdStartScenario implements Scenario, BenchSocket.Listener {

    private static final long CHECK_TIMEOUT_SECONDS = 30;

    private Settings settings;
    private Clients clients;
    private EventLoop loop;
    private Opener opener;
    private final Latencies handshake = new Latencies();
    private final List<BenchSocket> open = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private Cpu cpu;
    private int settled;
    private int answered;
    private CountDownLatch allAnswered = new CountDownLatch(0);
    private boolean closing;

    @Override
    public Map<String, Object> run(Settings s) throws Exception {
        settings = s;
        clients = new Clients(s.protocol(), Loopback.sources(s.sourceAddresses()), s.busyPoll(), s.tlsTrust());
        loop = clients.loop();
        String runId = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
        ProcessProbe server = new ProcessProbe(s.serverPids().get(0));
        try {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("serverAgeSeconds", server.ageSeconds());
            result.put("serverCpuBeforeSeconds", server.cpuNanos() / 1e9);
            result.put("serverRssBeforeKiB", server.rssKiB());
            cpu = new Cpu(s.serverPids(), s.busyPoll());
            CountDownLatch done = clients.onLoop(() -> {
                opener = new Opener(clients, this, s.concurrency(), s.openRate());
                for (int i = 0; i < s.sockets(); i++) {
                    opener.add(s.senderUrl(), "k-" + runId + "-" + i);
                }
                cpu.start();
                return opener.start();
            });
            long budget = 60 + 2L * s.sockets() / Math.max(1, s.openRate() > 0 ? s.openRate() : 1000);
            boolean allSettled = done.await(budget, TimeUnit.SECONDS);
            if (!allSettled) {
                clients.onLoop(() -> {
                    cpu.stop();
                    return null;
                });
            }
            int held = clients.onLoop(open::size);
            double acceptSeconds = Math.max(cpu.wallNanos, 1) / 1e9;
            result.put("sockets", held);
            result.put("openRate", s.openRate());
            result.put("concurrency", s.concurrency());
            result.put("acceptSeconds", acceptSeconds);
            result.put("socketsPerSec", held / acceptSeconds);
            result.put("latencyUs", handshake.micros());
            cpu.putInto(result, held, "Socket");
            result.put("serverRssAfterKiB", server.rssKiB());
            List<String> problems = new ArrayList<>();
            if (!allSettled) {
                problems.add("sockets did not open within " + budget + " s");
            }
            if (held != s.sockets()) {
                problems.add("held " + held + " of " + s.sockets() + " sockets");
            }
            if (problems.isEmpty()) {
                checkBound(problems);
            }
            problems.addAll(clients.onLoop(() -> new ArrayList<>(failures)).stream().limit(1).toList());
            result.put("ok", problems.isEmpty());
            if (!problems.isEmpty()) {
                result.put("failure", String.join("; ", problems) + (failures.size() > 1
                        ? " (" + failures.size() + " socket failures in all)" : ""));
            }
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

    /** Every socket sends one message to itself; each must come back. */
    private void checkBound(List<String> problems) throws Exception {
        CountDownLatch back = clients.onLoop(() -> {
            allAnswered = new CountDownLatch(1);
            for (BenchSocket socket : open) {
                ByteBuf out = socket.channel().alloc().buffer(settings.size() + 64);
                settings.protocol().writeMessage(out, socket.id, socket.id, 0, 0, settings.size());
                socket.channel().writeAndFlush(new TextWebSocketFrame(out), socket.channel().voidPromise());
            }
            return allAnswered;
        });
        if (!back.await(CHECK_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            problems.add(clients.onLoop(() -> open.size() - answered) + " sockets got no answer to a message to themselves");
        }
    }

    @Override
    public void onOpen(BenchSocket socket) {
        handshake.record(System.nanoTime() - socket.startedNanos);
        open.add(socket);
        settledOne();
    }

    /** The window ends when the last socket has opened (or failed), measured right there on the loop. */
    private void settledOne() {
        if (++settled == settings.sockets()) {
            cpu.stop();
        }
        opener.settled();
    }

    @Override
    public void onMessage(BenchSocket socket, ByteBuf text) {
        if (Ascii.seq(text) != 0 || socket.attachment != null) {
            failures.add(socket.id + ": unexpected frame " + text.toString(java.nio.charset.StandardCharsets.UTF_8));
            return;
        }
        socket.attachment = Boolean.TRUE;
        if (++answered == open.size()) {
            allAnswered.countDown();
        }
    }

    @Override
    public void onClosed(BenchSocket socket, int closeCode, Throwable failure) {
        if (closing) {
            return;
        }
        if (open.remove(socket)) {
            failures.add(socket.id + ": closed after opening, code=" + closeCode);
        } else {
            failures.add(socket.id + ": " + (failure != null ? failure : "closed code=" + closeCode));
            settledOne();
        }
    }
}
