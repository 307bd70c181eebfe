package dev.rendezvous.transport;

import dev.rendezvous.admission.ClaimAdmission;
import dev.rendezvous.admission.ConnectionGate;

/**
 * What an upgrade passes before it may claim an ID: the gate (origin, socket limits, handshake
 * rate; an HTTP answer before the upgrade) and the claim decision (grant, session key; a close
 * code after it). The root builds both; the caller owns {@code claims} and closes it after the server.
 */
public record UpgradeAdmission(ConnectionGate gate, ClaimAdmission claims) {

    public UpgradeAdmission {
        java.util.Objects.requireNonNull(gate, "gate");
        java.util.Objects.requireNonNull(claims, "claims");
    }
}
