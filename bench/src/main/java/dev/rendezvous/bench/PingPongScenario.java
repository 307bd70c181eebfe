package dev.rendezvous.bench;

/**
 * Closed loop: in each of P pairs one message bounces between A and B, each side answering the
 * moment it receives. Throughput is bounded by round trips, not by the generator's send rate.
 */
final class PingPongScenario extends PairScenario {

    @Override
    protected void createLanes(String runId) {
        for (int i = 0; i < settings.pairs(); i++) {
            Lane there = new Lane("pa-" + runId + "-" + i, "pb-" + runId + "-" + i);
            Lane back = new Lane(there.to, there.from);
            there.reverse = back;
            back.reverse = there;
            lanes.add(there);
            lanes.add(back);
        }
    }

    @Override
    protected void startTraffic() {
        long now = System.nanoTime();
        for (int i = 0; i < lanes.size(); i += 2) {
            Lane there = lanes.get(i);
            write(there, now - origin);
            there.sender.channel().flush();
        }
    }

    @Override
    protected void afterReceive(BenchSocket socket, Lane lane, long now) {
        if (running) {
            write(lane.reverse, now - origin);
            socket.channel().flush();
        }
    }
}
