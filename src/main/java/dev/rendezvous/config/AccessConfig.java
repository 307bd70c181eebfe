package dev.rendezvous.config;

import java.util.List;

/**
 * Who may connect, decided before any upgrade: the pages' origins, the proxies whose
 * {@code X-Forwarded-For} is believed, and the abuse limits.
 *
 * @param allowedOrigins {@code --allowed-origins}; {@code [*]} admits any origin
 * @param trustProxy     TCP peers whose {@code X-Forwarded-For} names the client; empty: none
 * @param limits         connection, handshake and message limits
 */
public record AccessConfig(List<OriginPattern> allowedOrigins, List<CidrRange> trustProxy, LimitsConfig limits) {

    public static final AccessConfig DEFAULT =
            new AccessConfig(List.of(OriginPattern.parse("*")), List.of(), LimitsConfig.DEFAULT);

    public AccessConfig {
        allowedOrigins = List.copyOf(allowedOrigins);
        trustProxy = List.copyOf(trustProxy);
        if (allowedOrigins.isEmpty()) {
            throw new IllegalArgumentException("allowed origins must name at least one origin, or *");
        }
        java.util.Objects.requireNonNull(limits, "limits");
    }

    /** True when any origin is admitted ({@code *} in the list). */
    public boolean anyOrigin() {
        return allowedOrigins.stream().anyMatch(OriginPattern::any);
    }

    public AccessConfig withLimits(LimitsConfig newLimits) {
        return new AccessConfig(allowedOrigins, trustProxy, newLimits);
    }
}
