package dev.rendezvous.bench;

import java.util.Map;

/**
 * Senders write as fast as their socket stays writable, with at most {@code window} messages per
 * pair not yet received: without that bound a server faster than the generator's reader would
 * fill the receiver's outbound queue, and Rendezvous rightly closes such a slow consumer (1013).
 * Each pair refills once half its window has arrived, so writes and flushes go out in batches.
 */
final class FloodScenario extends PairScenario {

    @Override
    protected void createLanes(String runId) {
        for (int i = 0; i < settings.pairs(); i++) {
            lanes.add(new Lane("fs-" + runId + "-" + i, "fr-" + runId + "-" + i));
        }
    }

    @Override
    protected void startTraffic() {
        for (Lane lane : lanes) {
            pump(lane);
        }
    }

    private void pump(Lane lane) {
        if (!running) {
            return;
        }
        long t = System.nanoTime() - origin;
        boolean wrote = false;
        while (lane.inFlight() < settings.window() && lane.sender.channel().isWritable()) {
            write(lane, t);
            wrote = true;
        }
        if (wrote) {
            lane.sender.channel().flush();
        }
    }

    @Override
    protected void afterReceive(BenchSocket socket, Lane lane, long now) {
        if (lane.inFlight() <= settings.window() / 2) {
            pump(lane);
        }
    }

    @Override
    public void onWritable(BenchSocket socket) {
        if (socket.outbound != null) {
            pump(socket.outbound);
        }
    }

    @Override
    protected void describe(Map<String, Object> result) {
        result.put("window", settings.window());
    }
}
