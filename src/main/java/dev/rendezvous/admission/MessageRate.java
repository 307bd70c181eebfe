package dev.rendezvous.admission;

import dev.rendezvous.config.LimitsConfig;
import dev.rendezvous.signaling.ErrorCode;
import dev.rendezvous.signaling.PeerId;
import dev.rendezvous.signaling.SignalError;

/**
 * The per-socket message limit ({@code --message-rate}, {@code --message-burst}): one node-wide
 * instance of constants; each socket keeps its state in two {@code long} fields of its own (see
 * {@link TokenBucket}), so checking a message allocates nothing and takes no lock.
 *
 * <p>A message that does not fit is not forwarded and its sender gets one {@code rate-limited}
 * error frame. A socket <em>keeps on</em> when its refused messages reach the burst size within
 * {@value #KEEPS_ON_SECONDS} s: refusals fill a second bucket of the same size that forgets one
 * refusal every {@value #KEEPS_ON_SECONDS} s / burst, and the refusal that fills it also closes the
 * socket with 1008. A client that sends a little over the rate therefore loses only the excess; one
 * that floods is cut off after one burst's worth of error frames.
 */
public final class MessageRate {

    static final int KEEPS_ON_SECONDS = 10;

    private static final SignalError ERROR =
            SignalError.of(ErrorCode.RATE_LIMITED, "over this socket's message rate; not forwarded");

    private final TokenBucket messages;
    private final TokenBucket refusals;
    private final RefusalLog log;
    private final String overRate;
    private final String keepsOn;

    private MessageRate(TokenBucket messages, RefusalLog log) {
        this.messages = messages;
        this.refusals = new TokenBucket(messages.burst() / (double) KEEPS_ON_SECONDS, messages.burst());
        this.log = log;
        this.overRate = "over " + messages.describe("messages");
        this.keepsOn = "kept sending over " + messages.describe("messages") + ", closing with 1008";
    }

    /** The limit of {@code limits}, or null when {@code --message-rate} is 0 (off). */
    static MessageRate of(LimitsConfig limits, RefusalLog log) {
        return limits.messageRate() > 0
                ? new MessageRate(new TokenBucket(limits.messageRate(), limits.effectiveMessageBurst()), log)
                : null;
    }

    /** Whether one more message fits in a socket's bucket in state {@code bucket}. */
    public boolean fits(long bucket, long nowNanos) {
        return messages.fits(bucket, nowNanos);
    }

    /** The bucket's state after a message that fits. */
    public long take(long bucket, long nowNanos) {
        return messages.take(bucket, nowNanos);
    }

    /** The refusal bucket's state after one more refused message. */
    public long refuse(long refused, long nowNanos) {
        return refusals.take(refused, nowNanos);
    }

    /** Whether a socket whose refusal bucket is in state {@code refused} keeps on and must be closed. */
    public boolean keepsOn(long refused, long nowNanos) {
        return !refusals.fits(refused, nowNanos);
    }

    /** The error frame's content: one shared instance. */
    public SignalError error() {
        return ERROR;
    }

    /** Counts and (throttled) logs one refused message of {@code peer}, coming from {@code client}. */
    public void refused(ClientAddress client, PeerId peer, boolean closing) {
        log.refused(RefusalCause.MESSAGE_RATE, client, peer, closing ? keepsOn : overRate);
    }

    @Override
    public String toString() {
        return messages.describe("messages");
    }
}
