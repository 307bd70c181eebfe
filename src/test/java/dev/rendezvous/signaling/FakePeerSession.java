package dev.rendezvous.signaling;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link PeerSession} that records what the core asks of it. It copies each payload on
 * delivery, as the {@link Payload} contract requires of a session that keeps the bytes.
 */
public final class FakePeerSession implements PeerSession {

    private final PeerId id;
    private final List<String> deliveries = new CopyOnWriteArrayList<>();
    private final List<SignalError> errors = new CopyOnWriteArrayList<>();
    private final List<CloseReason> closes = new CopyOnWriteArrayList<>();
    private final List<PeerId> helds = new CopyOnWriteArrayList<>();
    private volatile DeliveryResult answer = DeliveryResult.QUEUED;

    private final Claim claim;

    public FakePeerSession(String id) {
        this.id = new PeerId(id);
        this.claim = Claim.plain(this.id);
    }

    /** A session that presented {@code claim} (a session key, a grant). */
    public FakePeerSession(Claim claim) {
        this.id = claim.id();
        this.claim = claim;
    }

    @Override
    public Claim claim() {
        return claim;
    }

    /** Makes every later delivery answer {@code result} (and record nothing unless QUEUED). */
    public FakePeerSession answering(DeliveryResult result) {
        this.answer = result;
        return this;
    }

    @Override
    public PeerId id() {
        return id;
    }

    @Override
    public DeliveryResult deliver(Payload payload) {
        if (answer == DeliveryResult.QUEUED) {
            deliveries.add(new String(payload.toByteArray(), StandardCharsets.UTF_8));
        }
        return answer;
    }

    @Override
    public DeliveryResult sendError(SignalError error) {
        errors.add(error);
        return DeliveryResult.QUEUED;
    }

    @Override
    public DeliveryResult sendHeld(PeerId recipient) {
        if (!closes.isEmpty()) {
            return DeliveryResult.CLOSED;
        }
        helds.add(recipient);
        return DeliveryResult.QUEUED;
    }

    @Override
    public void close(CloseReason reason) {
        closes.add(reason);
    }

    /** The recipients of this sender's messages that were held, one per held notice. */
    public List<PeerId> helds() {
        return helds;
    }

    public List<String> deliveries() {
        return deliveries;
    }

    public List<SignalError> errors() {
        return errors;
    }

    public List<CloseReason> closes() {
        return closes;
    }

    @Override
    public String toString() {
        return "FakePeerSession[" + id + "]";
    }
}
