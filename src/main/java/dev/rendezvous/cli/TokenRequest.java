package dev.rendezvous.cli;

import java.time.Duration;
import java.util.List;

/**
 * What {@code rendezvous token} is asked to sign.
 *
 * @param id    the ID the grant admits
 * @param ttl   how long from now the grant is valid
 * @param peers the IDs it may signal, or empty for any
 */
public record TokenRequest(String id, Duration ttl, List<String> peers) {

    public TokenRequest {
        peers = List.copyOf(peers);
    }
}
