package dev.rendezvous.cli;

import dev.rendezvous.config.AccessConfig;
import dev.rendezvous.config.CidrRange;
import dev.rendezvous.config.LimitsConfig;
import dev.rendezvous.config.OriginPattern;
import dev.rendezvous.config.ServerConfig;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Origins, trusted proxies and abuse limits: what is refused before an upgrade. */
final class AccessOptions implements Options {

    @Option(names = "--allowed-origins", defaultValue = "*", split = ",", converter = OriginConverter.class,
            scope = ScopeType.INHERIT,
            description = "Comma list of page origins allowed to open sockets: exact (https://app.example.com), "
                    + "subdomains (https://*.example.com) or * (any). Others get 403 before the upgrade.")
    List<OriginPattern> allowedOrigins;

    @Option(names = "--trust-proxy", split = ",", converter = CidrConverter.class, scope = ScopeType.INHERIT,
            description = "Comma list of CIDR ranges of reverse proxies: only from those is X-Forwarded-For read "
                    + "(its rightmost address outside the list is the client).")
    List<CidrRange> trustProxy;

    @Option(names = "--max-connections", defaultValue = "0", scope = ScopeType.INHERIT,
            description = "WebSocket sockets on the node, from the upgrade until they close; over it an upgrade "
                    + "gets 503. 0 = the open-file limit minus a reserve of 256.")
    int maxConnections;

    @Option(names = "--max-connections-per-ip", defaultValue = "0", scope = ScopeType.INHERIT,
            description = "WebSocket sockets from one client address (an IPv6 /64 counts as one); over it 429. "
                    + "0 = no limit.")
    int maxConnectionsPerIp;

    @Option(names = "--handshake-rate", defaultValue = "0", scope = ScopeType.INHERIT,
            description = "WebSocket upgrades per second from one client address (token bucket); "
                    + "over it 429. 0 = no limit.")
    double handshakeRate;

    @Option(names = "--handshake-burst", defaultValue = "0", scope = ScopeType.INHERIT,
            description = "Upgrades one address may make at once; 0 = one second's worth of --handshake-rate.")
    int handshakeBurst;

    @Option(names = "--message-rate", defaultValue = "0", scope = ScopeType.INHERIT,
            description = "Messages per second from one socket (token bucket); over it the message gets "
                    + "rate-limited, a socket that keeps on is closed with 1008. 0 = no limit.")
    double messageRate;

    @Option(names = "--message-burst", defaultValue = "0", scope = ScopeType.INHERIT,
            description = "Messages one socket may send at once; 0 = four seconds' worth of --message-rate.")
    int messageBurst;

    @Override
    public void applyTo(ServerConfig.Builder config) {
        config.access(new AccessConfig(allowedOrigins, trustProxy == null ? List.of() : trustProxy,
                new LimitsConfig(maxConnections, maxConnectionsPerIp, handshakeRate, handshakeBurst,
                        messageRate, messageBurst)));
    }
}
