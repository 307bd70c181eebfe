package dev.rendezvous.metrics;

import java.util.Locale;

/**
 * How a request at {@code /websocket} ended, as {@code rendezvous_upgrades_total} counts it.
 * Admission's refusals (origin, limits, rate) are counted by cause in {@code rendezvous_refusals_total}.
 */
public enum UpgradeResult {
    /** 101 and the ID is bound. */
    ACCEPTED,
    /** 101 and the ID is bound; its older socket (same session key, or a grant for the ID) got 4410. */
    REPLACING,
    /** 101, then closed with 4401: grants are on and this one is missing or refused (by cause in refusals). */
    UNAUTHORIZED,
    /** 101, then closed with 4409: another socket holds the ID. */
    ID_TAKEN,
    /** 101, then closed with 1013: the cluster's ID directory (Redis) cannot be reached. */
    DIRECTORY_UNAVAILABLE,
    /** 400 or 426: no valid ID or session key, or not a WebSocket upgrade Netty accepts. */
    INVALID,
    /** 503 (or 1001 right after the 101): the node is shutting down. */
    DRAINING,
    /** The client hung up while its claim was being decided. */
    ABANDONED,
    /** A server fault during the handshake; logged at ERROR. */
    FAILED;

    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
