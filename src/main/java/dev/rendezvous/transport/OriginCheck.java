package dev.rendezvous.transport;

import dev.rendezvous.config.AccessConfig;
import dev.rendezvous.config.OriginPattern;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * Whether a page's {@code Origin} may use the node's HTTP API ({@code /ice-servers}): the
 * {@code --allowed-origins} rule. The admission layer may supply its own; this one parses the
 * header as browsers serialise it (RFC 6454) and matches it against the configured patterns.
 */
@FunctionalInterface
public interface OriginCheck {

    /** @param origin the header exactly as sent, never null */
    boolean allows(String origin);

    /** {@code *} admits every origin; otherwise the origin must match one of the patterns. */
    static OriginCheck of(AccessConfig access) {
        if (access.anyOrigin()) {
            return origin -> true;
        }
        List<OriginPattern> patterns = access.allowedOrigins();
        return origin -> {
            URI uri;
            try {
                uri = new URI(origin);
            } catch (URISyntaxException e) {
                return false;
            }
            boolean hasPath = uri.getRawPath() != null && !uri.getRawPath().isEmpty();
            if (uri.getScheme() == null || uri.getHost() == null || hasPath || uri.getRawQuery() != null
                    || uri.getRawUserInfo() != null) {
                return false;
            }
            String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
            String host = uri.getHost().toLowerCase(Locale.ROOT);
            int port = uri.getPort() == defaultPort(scheme) ? -1 : uri.getPort();
            return patterns.stream().anyMatch(pattern -> pattern.matches(scheme, host, port));
        };
    }

    private static int defaultPort(String scheme) {
        return switch (scheme) {
            case "http", "ws" -> 80;
            case "https", "wss" -> 443;
            default -> -1;
        };
    }
}
