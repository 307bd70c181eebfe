package dev.rendezvous.bench;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * New sockets back to back, {@code concurrency} at a time: TCP connect, WebSocket upgrade (and
 * the PeerJS greeting), then one message to itself through the server, which proves the ID is
 * bound and routable, then the client hangs up. Figures: handshakes per second and server CPU per
 * handshake (the upgrade, the claim, one relayed message and the release).
 */
final class ConnectScenario implements Scenario, BenchSocket.Listener {

    private static final long SETTLE_TIMEOUT_MILLIS = 10_000;

    private Settings settings;
    private Clients clients;
    private String runId;
    private final Latencies latency = new Latencies();
    private long next;
    private int inFlight;
    private boolean running;
    private boolean measuring;
    private long completedInWindow;
    private long completed;
    private final List<String> failures = new ArrayList<>();

    @Override
    public Map<String, Object> run(Settings s) throws Exception {
        settings = s;
        clients = new Clients(s.protocol(), Loopback.sources(s.sourceAddresses()), s.busyPoll(), s.tlsTrust());
        runId = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
        try {
            Cpu cpu = new Cpu(s.serverPids(), s.busyPoll());
            clients.onLoop(() -> {
                running = true;
                for (int i = 0; i < s.concurrency(); i++) {
                    startOne();
                }
                return null;
            });
            Thread.sleep(s.warmupMillis());
            clients.onLoop(() -> {
                latency.reset();
                completedInWindow = 0;
                measuring = true;
                cpu.start();
                return null;
            });
            Thread.sleep(s.durationMillis());
            long handshakes = clients.onLoop(() -> {
                cpu.stop();
                measuring = false;
                running = false;
                return completedInWindow;
            });
            long deadline = System.currentTimeMillis() + SETTLE_TIMEOUT_MILLIS;
            while (clients.onLoop(() -> inFlight) > 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("concurrency", s.concurrency());
            result.put("handshakes", handshakes);
            result.put("handshakesPerSec", handshakes / (cpu.wallNanos / 1e9));
            result.put("latencyUs", latency.micros());
            cpu.putInto(result, handshakes, "Handshake");
            return clients.onLoop(() -> {
                result.put("completed", completed);
                result.put("failures", failures.size());
                List<String> problems = new ArrayList<>();
                if (!failures.isEmpty()) {
                    problems.add(failures.size() + " connections failed, first: " + failures.get(0));
                }
                if (inFlight > 0) {
                    problems.add(inFlight + " connections still pending after the run");
                }
                if (handshakes == 0) {
                    problems.add("no handshake completed");
                }
                result.put("ok", problems.isEmpty());
                if (!problems.isEmpty()) {
                    result.put("failure", String.join("; ", problems));
                }
                return result;
            });
        } finally {
            clients.close();
        }
    }

    private void startOne() {
        inFlight++;
        clients.connect(settings.senderUrl(), "c-" + runId + "-" + next++, this);
    }

    @Override
    public void onOpen(BenchSocket socket) {
        ByteBuf out = socket.channel().alloc().buffer(settings.size() + 64);
        settings.protocol().writeMessage(out, socket.id, socket.id, 0, 0, settings.size());
        socket.channel().writeAndFlush(new TextWebSocketFrame(out), socket.channel().voidPromise());
    }

    @Override
    public void onMessage(BenchSocket socket, ByteBuf text) {
        if (socket.attachment != null) {
            return;
        }
        if (Ascii.seq(text) != 0) {
            failures.add(socket.id + ": unexpected frame " + text.toString(java.nio.charset.StandardCharsets.UTF_8));
        }
        socket.attachment = Boolean.TRUE;
        completed++;
        if (measuring) {
            completedInWindow++;
            latency.record(System.nanoTime() - socket.startedNanos);
        }
        socket.channel().close();
    }

    @Override
    public void onClosed(BenchSocket socket, int closeCode, Throwable failure) {
        inFlight--;
        if (socket.attachment == null && failures.size() < 1000) {
            failures.add(socket.id + ": " + (failure != null ? failure : "closed code=" + closeCode) + " before ready");
        }
        if (running) {
            startOne();
        }
    }
}
