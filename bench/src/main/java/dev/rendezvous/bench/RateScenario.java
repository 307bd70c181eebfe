package dev.rendezvous.bench;

import io.netty.channel.Channel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Open loop at a fixed aggregate rate, spread round-robin over P pairs. Message k is due at
 * start + k/rate; its latency is measured from that intended time, not from when the generator
 * got round to sending it, so a stall anywhere (server or generator) shows up in the percentiles
 * instead of silently lowering the offered load (coordinated omission). How late the generator
 * itself sent is reported separately as {@code sendLagUs}.
 */
final class RateScenario extends PairScenario {

    private static final int MAX_BATCH = 1000;

    private final Latencies sendLag = new Latencies();
    private final List<Channel> toFlush = new ArrayList<>();
    private long start;
    private long k;

    @Override
    protected void createLanes(String runId) {
        for (int i = 0; i < settings.pairs(); i++) {
            lanes.add(new Lane("rs-" + runId + "-" + i, "rr-" + runId + "-" + i));
        }
    }

    @Override
    protected void startTraffic() {
        start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1);
        k = 0;
        loop.schedule(this::tick, 1, TimeUnit.MILLISECONDS);
    }

    private long dueAt(long index) {
        return start + index * 1_000_000_000L / settings.rate();
    }

    private void tick() {
        if (!running) {
            return;
        }
        long now = System.nanoTime();
        int batch = 0;
        long due;
        while ((due = dueAt(k)) <= now && batch < MAX_BATCH) {
            Lane lane = lanes.get((int) (k % lanes.size()));
            write(lane, due - origin);
            Channel ch = lane.sender.channel();
            if (!toFlush.contains(ch)) {
                toFlush.add(ch);
            }
            if (measuring) {
                sendLag.record(now - due);
            }
            k++;
            batch++;
        }
        for (Channel ch : toFlush) {
            ch.flush();
        }
        toFlush.clear();
        loop.schedule(this::tick, Math.max(0, dueAt(k) - System.nanoTime()), TimeUnit.NANOSECONDS);
    }

    @Override
    protected void resetWindow() {
        sendLag.reset();
    }

    @Override
    protected void afterReceive(BenchSocket socket, Lane lane, long now) {
    }

    @Override
    protected void describe(Map<String, Object> result) {
        result.put("offeredRate", settings.rate());
        result.put("sendLagUs", sendLag.micros());
    }
}
