package dev.rendezvous.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The mailbox's cost per held message (the server runs with {@code --mailbox-ttl}): {@code pairs}
 * senders write {@code sockets} messages of {@code size} bytes in all, each to its own ID that
 * never connects (the worst case for bookkeeping: one recipient box per message), as fast as their
 * sockets stay writable. Every message must be answered with a {@code held} notice; any other frame
 * fails the run. Reported: server CPU per held message (the window ends with the last notice) and
 * the server's live heap growth per held message (after a full GC, before and after).
 */
final class HeldScenario implements Scenario, BenchSocket.Listener {

    private Clients clients;
    private EventLoop loop;
    private Opener opener;
    private final List<BenchSocket> senders = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final CountDownLatch allHeld = new CountDownLatch(1);
    private Settings settings;
    private String runId;
    private int perSender;
    private int[] next;
    private int held;
    private boolean closing;

    @Override
    public Map<String, Object> run(Settings s) throws Exception {
        settings = s;
        clients = new Clients(s.protocol(), Loopback.sources(s.sourceAddresses()), s.busyPoll(), s.tlsTrust());
        loop = clients.loop();
        runId = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
        perSender = Math.max(1, s.sockets() / s.pairs());
        next = new int[s.pairs()];
        ProcessProbe server = new ProcessProbe(s.serverPids().get(0));
        Cpu cpu = new Cpu(s.serverPids(), s.busyPoll());
        Map<String, Object> result = new LinkedHashMap<>();
        try {
            CountDownLatch opened = clients.onLoop(() -> {
                opener = new Opener(clients, this, 64, 0);
                for (int i = 0; i < s.pairs(); i++) {
                    opener.add(s.senderUrl(), "hs-" + runId + "-" + i);
                }
                return opener.start();
            });
            if (!opened.await(30, TimeUnit.SECONDS) || clients.onLoop(senders::size) != s.pairs()) {
                throw new IllegalStateException("senders did not open: " + clients.onLoop(() -> failures));
            }
            long heapBefore = server.liveHeapKiB();
            cpu.start();
            clients.onLoop(() -> {
                senders.forEach(this::pump);
                return null;
            });
            int total = perSender * s.pairs();
            long budget = 60 + total / 1000;
            boolean done = allHeld.await(budget, TimeUnit.SECONDS);
            cpu.stop();
            long heapAfter = server.liveHeapKiB();
            int heldNow = clients.onLoop(() -> held);
            result.put("heldMessages", heldNow);
            result.put("size", s.size());
            cpu.putInto(result, heldNow, "Msg");
            result.put("msgsPerSec", heldNow / (cpu.wallNanos / 1e9));
            if (heapBefore >= 0 && heldNow > 0) {
                result.put("heapBytesPerHeld", (heapAfter - heapBefore) * 1024.0 / heldNow);
            }
            List<String> problems = clients.onLoop(() -> new ArrayList<>(failures));
            if (!done) {
                result.put("failure", "held " + heldNow + " of " + total + " within " + budget + " s");
            } else if (!problems.isEmpty()) {
                result.put("failure", problems.size() + " problems, first: " + problems.get(0));
            }
            result.put("ok", done && problems.isEmpty());
            return result;
        } finally {
            clients.onLoop(() -> {
                closing = true;
                senders.forEach(socket -> socket.channel().close());
                return null;
            });
            clients.close();
        }
    }

    /** Writes this sender's next messages while its socket stays writable; on the event loop. */
    private void pump(BenchSocket sender) {
        int index = (Integer) sender.attachment;
        boolean wrote = false;
        while (next[index] < perSender && sender.channel().isWritable()) {
            ByteBuf out = sender.channel().alloc().buffer(settings.size() + 64);
            String to = "hr-" + runId + "-" + index + "-" + next[index];
            settings.protocol().writeMessage(out, sender.id, to, next[index]++, System.nanoTime(), settings.size());
            sender.channel().write(new TextWebSocketFrame(out), sender.channel().voidPromise());
            wrote = true;
        }
        if (wrote) {
            sender.channel().flush();
        }
    }

    @Override
    public void onOpen(BenchSocket socket) {
        socket.attachment = senders.size();
        senders.add(socket);
        opener.settled();
    }

    @Override
    public void onMessage(BenchSocket socket, ByteBuf text) {
        String frame = text.toString(StandardCharsets.UTF_8);
        if (frame.startsWith("{\"type\":\"held\"")) {
            if (++held == perSender * settings.pairs()) {
                allHeld.countDown();
            }
        } else if (failures.size() < 100) {
            failures.add(socket.id + ": " + (frame.length() > 200 ? frame.substring(0, 200) : frame));
        }
    }

    @Override
    public void onWritable(BenchSocket socket) {
        pump(socket);
    }

    @Override
    public void onClosed(BenchSocket socket, int closeCode, Throwable failure) {
        if (closing) {
            return;
        }
        failures.add(socket.id + ": closed code=" + closeCode + (failure != null ? " " + failure : ""));
        if (!senders.contains(socket)) {
            opener.settled();
        }
    }
}
