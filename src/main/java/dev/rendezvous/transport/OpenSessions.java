package dev.rendezvous.transport;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Every upgraded socket of this node, bound or not: what liveness checks and shutdown walk over. */
final class OpenSessions {

    private final Set<WebSocketSession> sessions = ConcurrentHashMap.newKeySet();

    void add(WebSocketSession session) {
        sessions.add(session);
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
