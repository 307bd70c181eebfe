package dev.rendezvous.signaling;

/**
 * The exact bytes of one client text message. Whoever hands a payload to the core keeps
 * ownership of it: the core and the sessions it calls must copy or retain what they still need
 * after the call returns. This keeps the relay zero-copy on one node (the Netty session retains
 * the received buffer) without the core knowing what a buffer is.
 */
public interface Payload {

    /** Size in bytes. */
    int length();

    /** A copy of the bytes, for transports that cannot share the original (such as a cluster bus). */
    byte[] toByteArray();
}
