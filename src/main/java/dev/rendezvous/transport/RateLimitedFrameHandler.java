package dev.rendezvous.transport;

import dev.rendezvous.admission.MessageRate;
import dev.rendezvous.protocol.EnvelopeHeaderParser;
import dev.rendezvous.signaling.CloseReason;
import dev.rendezvous.signaling.Relay;
import dev.rendezvous.signaling.Router;

/**
 * The frame handler of a node with {@code --message-rate}: the socket's two buckets (messages, and
 * refusals for "keeps on") are plain fields, read and written only on the socket's event loop, so
 * a message costs a subtraction and a comparison, with no allocation and no lock.
 */
final class RateLimitedFrameHandler extends WebSocketFrameHandler {

    private final MessageRate rate;
    private long messages;
    private long refusals;

    RateLimitedFrameHandler(WebSocketSession session, EnvelopeHeaderParser parser, Router router, Relay relay,
            OpenSessions openSessions, MessageRate rate, long nowNanos) {
        super(session, parser, router, relay, openSessions);
        this.rate = rate;
        this.messages = nowNanos;
        this.refusals = nowNanos;
    }

    /**
     * A message over the rate gets exactly one error frame, through the same outbound bound as
     * everything else (a flooder that does not read is closed with 1013 as usual); the refusal
     * that shows the socket keeps on also closes it with 1008.
     */
    @Override
    boolean withinRate(long nowNanos) {
        if (rate.fits(messages, nowNanos)) {
            messages = rate.take(messages, nowNanos);
            return true;
        }
        refusals = rate.refuse(refusals, nowNanos);
        boolean keepsOn = rate.keepsOn(refusals, nowNanos);
        WebSocketSession session = session();
        rate.refused(session.client(), session.id(), keepsOn);
        session.sendError(rate.error());
        if (keepsOn) {
            session.close(CloseReason.RATE_LIMIT);
        }
        return false;
    }
}
