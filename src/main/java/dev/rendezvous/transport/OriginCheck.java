package dev.rendezvous.transport;

/**
 * Whether a page's {@code Origin} may use the node's HTTP API ({@code /ice-servers}): the
 * {@code --allowed-origins} rule, which admission's {@code OriginPolicy} decides for upgrades too.
 */
@FunctionalInterface
public interface OriginCheck {

    /** @param origin the header exactly as sent, never null */
    boolean allows(String origin);
}
