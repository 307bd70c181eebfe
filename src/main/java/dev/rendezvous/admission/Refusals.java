package dev.rendezvous.admission;

/**
 * Where admission reports each refusal: the metrics adapter counts them by cause. Called on event
 * loops, so implementations must not block.
 */
@FunctionalInterface
public interface Refusals {

    Refusals NONE = cause -> { };

    void refused(RefusalCause cause);
}
