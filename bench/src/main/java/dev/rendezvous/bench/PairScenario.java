package dev.rendezvous.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The common life of a messaging scenario: open sender and receiver sockets, start traffic,
 * warm up, measure one window (throughput, latency, CPU of server and generator), stop, wait for
 * every sent message to arrive, and verify every pair's sequence. Everything that touches sockets
 * runs on the generator's single event loop.
 */
abstract class PairScenario implements Scenario, BenchSocket.Listener {

    private static final long OPEN_TIMEOUT_SECONDS = 60;
    private static final long DRAIN_TIMEOUT_MILLIS = 5_000;

    protected Settings settings;
    protected Clients clients;
    protected EventLoop loop;
    protected final List<Lane> lanes = new ArrayList<>();
    protected final Latencies latency = new Latencies();
    /** Message times are written relative to this, so they stay small numbers in any JSON parser. */
    protected final long origin = System.nanoTime();
    protected boolean measuring;
    protected boolean running;
    private long receivedInWindow;
    private long unexpected;
    private String firstUnexpected;
    private final List<String> closes = new ArrayList<>();
    private final Set<BenchSocket> opened = new HashSet<>();
    private Opener opener;
    private boolean shuttingDown;

    /** Creates the lanes (sockets connected later): who sends to whom. */
    protected abstract void createLanes(String runId);

    /** Starts sending, on the event loop. */
    protected abstract void startTraffic();

    /** Handles one received benchmark message already checked against its lane. */
    protected abstract void afterReceive(BenchSocket socket, Lane lane, long now);

    /** Extra figures of the scenario. */
    protected void describe(Map<String, Object> result) {
    }

    /** Stops sending, on the event loop. */
    protected void stopTraffic() {
        running = false;
    }

    @Override
    public Map<String, Object> run(Settings s) throws Exception {
        this.settings = s;
        this.clients = new Clients(s.protocol(), Loopback.sources(s.sourceAddresses()), s.busyPoll(), s.tlsTrust());
        this.loop = clients.loop();
        try {
            return measure();
        } finally {
            onLoop(() -> {
                shuttingDown = true;
                for (BenchSocket socket : opened) {
                    socket.channel().close();
                }
                return null;
            });
            clients.close();
        }
    }

    private Map<String, Object> measure() throws Exception {
        String runId = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
        createLanes(runId);
        openSockets();
        Cpu cpu = new Cpu(settings.serverPids(), settings.busyPoll());
        onLoop(() -> {
            running = true;
            startTraffic();
            return null;
        });
        Thread.sleep(settings.warmupMillis());
        onLoop(() -> {
            latency.reset();
            resetWindow();
            receivedInWindow = 0;
            measuring = true;
            cpu.start();
            return null;
        });
        Thread.sleep(settings.durationMillis());
        long messages = onLoop(() -> {
            cpu.stop();
            measuring = false;
            return receivedInWindow;
        });
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("pairs", settings.pairs());
        result.put("sizeBytes", settings.size());
        result.put("messages", messages);
        result.put("msgsPerSec", messages / (cpu.wallNanos / 1e9));
        result.put("latencyUs", latency.micros());
        cpu.putInto(result, messages, "Msg");
        describe(result);
        onLoop(() -> {
            stopTraffic();
            return null;
        });
        boolean drained = awaitDrain();
        return verify(result, drained);
    }

    /** Called when the measured window starts, on the event loop. */
    protected void resetWindow() {
    }

    private void openSockets() throws Exception {
        CountDownLatch done = onLoop(() -> {
            opener = new Opener(clients, this, 256, 0);
            Set<String> seen = new HashSet<>();
            for (Lane lane : lanes) {
                if (seen.add(lane.from)) {
                    opener.add(settings.senderUrl(), lane.from);
                }
                if (seen.add(lane.to)) {
                    opener.add(receiverUrlFor(lane), lane.to);
                }
            }
            return opener.start();
        });
        if (!done.await(OPEN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("sockets did not open within " + OPEN_TIMEOUT_SECONDS + " s");
        }
        String problem = onLoop(() -> {
            for (Lane lane : lanes) {
                if (lane.sender == null || lane.receiver == null) {
                    return "a socket failed to open: " + (closes.isEmpty() ? "unknown" : closes.get(0));
                }
            }
            return null;
        });
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
    }

    /** Receivers of pingpong lanes that point back at senders connect where senders do. */
    private java.net.URI receiverUrlFor(Lane lane) {
        for (Lane other : lanes) {
            if (other.from.equals(lane.to)) {
                return settings.senderUrl();
            }
        }
        return settings.receiverUrl();
    }

    @Override
    public void onOpen(BenchSocket socket) {
        opened.add(socket);
        for (Lane lane : lanes) {
            if (lane.from.equals(socket.id)) {
                lane.sender = socket;
                socket.outbound = lane;
            }
            if (lane.to.equals(socket.id)) {
                lane.receiver = socket;
                socket.attachment = lane;
            }
        }
        opener.settled();
    }

    @Override
    public void onMessage(BenchSocket socket, ByteBuf text) {
        long now = System.nanoTime();
        long seq = Ascii.seq(text);
        long t = Ascii.t(text);
        Lane lane = (Lane) socket.attachment;
        if (seq < 0 || t < 0 || lane == null) {
            unexpected++;
            if (firstUnexpected == null) {
                firstUnexpected = text.toString(java.nio.charset.StandardCharsets.UTF_8);
            }
            return;
        }
        lane.onReceived(seq);
        if (measuring) {
            receivedInWindow++;
            latency.record(now - origin - t);
        }
        afterReceive(socket, lane, now);
    }

    @Override
    public void onClosed(BenchSocket socket, int closeCode, Throwable failure) {
        if (!opened.contains(socket)) {
            closes.add(socket.id + ": " + (failure != null ? failure : "closed " + closeCode));
            opener.settled();
            return;
        }
        if (!shuttingDown) {
            closes.add(socket.id + ": closed code=" + closeCode + (failure != null ? " " + failure : ""));
        }
    }

    /** Writes the next message of {@code lane} without flushing; {@code t} is relative to {@link #origin}. */
    protected void write(Lane lane, long t) {
        ByteBuf out = lane.sender.channel().alloc().buffer(settings.size() + 64);
        settings.protocol().writeMessage(out, lane.from, lane.to, lane.sent++, t, settings.size());
        lane.sender.channel().write(new io.netty.handler.codec.http.websocketx.TextWebSocketFrame(out),
                lane.sender.channel().voidPromise());
    }

    private boolean awaitDrain() throws Exception {
        long deadline = System.currentTimeMillis() + DRAIN_TIMEOUT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            boolean complete = onLoop(() -> lanes.stream().allMatch(Lane::complete));
            if (complete) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    private Map<String, Object> verify(Map<String, Object> result, boolean drained) throws Exception {
        return onLoop(() -> {
            long sent = 0;
            long received = 0;
            long lost = 0;
            long disordered = 0;
            for (Lane lane : lanes) {
                sent += lane.sent;
                received += lane.received;
                lost += lane.lost + Math.max(0, lane.sent - lane.received - lane.lost);
                disordered += lane.disordered;
            }
            Map<String, Object> check = new LinkedHashMap<>();
            check.put("sent", sent);
            check.put("received", received);
            check.put("lost", lost);
            check.put("duplicatedOrReordered", disordered);
            check.put("unexpectedFrames", unexpected);
            check.put("unexpectedCloses", closes.size());
            result.put("sequence", check);
            List<String> failures = new ArrayList<>();
            if (lost > 0) {
                failures.add(lost + " messages lost" + (drained ? "" : " (not all arrived within 5 s)"));
            }
            if (disordered > 0) {
                failures.add(disordered + " messages duplicated or out of order");
            }
            if (unexpected > 0) {
                failures.add(unexpected + " unexpected frames, first: " + abbreviate(firstUnexpected));
            }
            if (!closes.isEmpty()) {
                failures.add(closes.size() + " sockets closed during the run, first: " + closes.get(0));
            }
            if (sent == 0) {
                failures.add("nothing was sent");
            }
            result.put("ok", failures.isEmpty());
            if (!failures.isEmpty()) {
                result.put("failure", String.join("; ", failures));
            }
            return result;
        });
    }

    private static String abbreviate(String s) {
        return s == null || s.length() <= 160 ? s : s.substring(0, 160) + "...";
    }

    protected <T> T onLoop(Callable<T> task) throws Exception {
        return clients.onLoop(task);
    }
}
