package dev.rendezvous.signaling;

/**
 * Every reason the server closes a WebSocket. Standard RFC 6455 codes where one fits; the
 * application range uses 4000 + the closest HTTP status so the number alone says what happened.
 * {@link #clientShouldReconnect()} tells a client library whether retrying can help.
 */
public enum CloseReason {
    NORMAL(1000, "bye", false),
    GOING_AWAY(1001, "going away", true),
    /** A frame that breaks RFC 6455 (bad fragmentation, reserved bits or opcodes, an unmasked frame...). */
    PROTOCOL_ERROR(1002, "protocol error", false),
    UNSUPPORTED_DATA(1003, "binary frames not supported", false),
    INVALID_PAYLOAD(1007, "invalid utf-8", false),
    /** The socket kept sending over its message rate ({@code --message-rate}). */
    RATE_LIMIT(1008, "rate limit", false),
    MESSAGE_TOO_BIG(1009, "message too big", false),
    INTERNAL_ERROR(1011, "internal error", true),
    /** The socket's outbound queue hit its bound: the client reads too slowly. */
    TOO_SLOW(1013, "too slow", true),
    /** Cluster mode: the shared ID directory cannot be reached, so the ID cannot be claimed now. */
    DIRECTORY_UNAVAILABLE(1013, "id directory unavailable", true),
    /**
     * Grants from {@code --auth-jwks-url}: the identity provider's keys cannot be had (never
     * fetched, or the verification queue is full), so the grant cannot be checked now.
     */
    GRANT_KEYS_UNAVAILABLE(1013, "grant keys unavailable", true),
    /** Grants are on and the upgrade carried none. */
    TOKEN_MISSING(4401, "token missing", false),
    /** The grant's signature, algorithm, format or claims are wrong. */
    TOKEN_INVALID(4401, "token invalid", false),
    /** The grant's {@code exp} has passed (beyond the clock leeway). */
    TOKEN_EXPIRED(4401, "token expired", false),
    /** The grant is valid but names another ID. */
    TOKEN_FOR_ANOTHER_ID(4401, "token for another id", false),
    /** Nothing (frame or pong) arrived for the idle timeout. */
    IDLE_TIMEOUT(4408, "idle timeout", true),
    /** Another open socket holds the requested ID. */
    ID_TAKEN(4409, "id taken", false),
    /** A newer socket presented this socket's session key (or a grant for its ID) and holds the ID now. */
    REPLACED(4410, "replaced", false);

    private final int code;
    private final String reason;
    private final boolean clientShouldReconnect;

    CloseReason(int code, String reason, boolean clientShouldReconnect) {
        this.code = code;
        this.reason = reason;
        this.clientShouldReconnect = clientShouldReconnect;
    }

    public int code() {
        return code;
    }

    public String reason() {
        return reason;
    }

    public boolean clientShouldReconnect() {
        return clientShouldReconnect;
    }
}
