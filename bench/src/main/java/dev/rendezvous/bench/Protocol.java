package dev.rendezvous.bench;

import io.netty.buffer.ByteBuf;

/**
 * What differs between the servers under test: where a socket connects, whether the server
 * greets it before it may send, and how a benchmark message is addressed. The benchmark fields
 * ({@code "seq"} and {@code "t"}) travel inside the message on both, so receiving is shared.
 */
interface Protocol {

    String name();

    /** Request path and query that bind a new socket to {@code id}. */
    String path(String id);

    /** True when the server sends a greeting (PeerJS: OPEN) before the socket counts as open. */
    boolean greets();

    /** True when {@code text} is that greeting. */
    boolean isGreeting(ByteBuf text);

    /**
     * Writes one message from {@code from} to {@code to}, padded so the sent frame's text is
     * {@code size} bytes (when the header leaves room for it).
     */
    void writeMessage(ByteBuf out, String from, String to, long seq, long t, int size);

    /** A keep-alive the client must send by itself, or null when the server pings. */
    String heartbeat();

    static Protocol named(String name) {
        return switch (name) {
            case "rendezvous" -> new RendezvousProtocol();
            case "peerjs" -> new PeerJsProtocol();
            default -> throw new IllegalArgumentException("unknown protocol " + name + " (rendezvous|peerjs)");
        };
    }
}
