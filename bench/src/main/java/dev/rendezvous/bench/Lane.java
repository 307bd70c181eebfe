package dev.rendezvous.bench;

/**
 * The messages from one sender socket to one receiver socket, numbered from 0. The receiver
 * checks each number against the next one expected, so loss, duplication and reordering are
 * caught per pair, exactly as the relay promises ordering per pair.
 */
final class Lane {

    final String from;
    final String to;
    BenchSocket sender;
    BenchSocket receiver;
    /** Pingpong: the lane the receiver answers on. */
    Lane reverse;
    long sent;
    private long expected;
    long received;
    long lost;
    long disordered;

    Lane(String from, String to) {
        this.from = from;
        this.to = to;
    }

    void onReceived(long seq) {
        received++;
        if (seq == expected) {
            expected++;
        } else if (seq > expected) {
            lost += seq - expected;
            expected = seq + 1;
        } else {
            disordered++;
        }
    }

    long inFlight() {
        return sent - received;
    }

    boolean complete() {
        return received >= sent;
    }
}
