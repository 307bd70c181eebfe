package dev.rendezvous.admission;

/**
 * Every reason admission turns a connection or a message away: a closed set, so that it can
 * label a counter. Refusals meant for attackers are cheap HTTP answers before the upgrade;
 * those a legitimate user must understand are close codes after it.
 */
public enum RefusalCause {
    /** 403 before the upgrade: the page's Origin is not in {@code --allowed-origins}. */
    ORIGIN,
    /** 503 before the upgrade: {@code --max-connections} reached. */
    SERVER_FULL,
    /** 429 before the upgrade: {@code --max-connections-per-ip} reached for the client's address. */
    CONNECTIONS_PER_IP,
    /** 429 before the upgrade: the client's address is over {@code --handshake-rate}. */
    HANDSHAKE_RATE,
    /** 400 before the upgrade: a {@code session} parameter that is not a valid session key. */
    SESSION_KEY,
    /** 4401 after the upgrade: grants are on and none was presented. */
    TOKEN_MISSING,
    /** 4401: the grant does not verify (signature, algorithm, format, issuer, audience). */
    TOKEN_INVALID,
    /** 4401: the grant's {@code exp} has passed. */
    TOKEN_EXPIRED,
    /** 4401: the grant is for another ID. */
    TOKEN_FOR_ANOTHER_ID,
    /** A message over the socket's {@code --message-rate}: {@code rate-limited}, or 1008 for one that keeps on. */
    MESSAGE_RATE;

    /** The label value: lower case with dashes ({@code token-for-another-id}). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
