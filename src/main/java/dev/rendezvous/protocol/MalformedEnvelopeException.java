package dev.rendezvous.protocol;

import dev.rendezvous.signaling.ErrorCode;
import dev.rendezvous.signaling.SignalError;

/** A client message that cannot be routed; carries the error to send back. */
public final class MalformedEnvelopeException extends Exception {

    private final transient SignalError error;

    MalformedEnvelopeException(ErrorCode code, String detail) {
        super(detail, null, false, false);
        this.error = SignalError.of(code, detail);
    }

    public SignalError error() {
        return error;
    }
}
