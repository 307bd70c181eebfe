package dev.rendezvous.transport;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Every upgraded socket of this node, bound or not: what liveness checks and shutdown walk over. */
final class OpenSessions {

    private final Set<WebSocketSession> sessions = ConcurrentHashMap.newKeySet();
    private volatile boolean closedToNew;

    /**
     * Adds {@code session}; false once {@link #closeToNew} has run, when the shutdown's sweep may
     * already have passed and the caller must close the session (going away) itself. Adding first
     * and checking after means a session is always caught by one of the two, sometimes by both.
     */
    boolean add(WebSocketSession session) {
        sessions.add(session);
        return !closedToNew;
    }

    /** From now on {@link #add} reports that the session came too late; called before the shutdown's sweep. */
    void closeToNew() {
        closedToNew = true;
    }

    void remove(WebSocketSession session) {
        sessions.remove(session);
    }

    Iterable<WebSocketSession> all() {
        return sessions;
    }

    int size() {
        return sessions.size();
    }
}
