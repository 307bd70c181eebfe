package dev.rendezvous.cli;

import dev.rendezvous.config.ServerConfig;
import java.net.URI;
import java.time.Duration;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Cluster mode through Redis. */
final class ClusterOptions implements Options {

    @Option(names = "--redis", scope = ScopeType.INHERIT,
            description = "redis://host:port[/db]: join a cluster sharing one ID space. "
                    + "Without it the node runs alone, in memory.")
    URI redis;

    @Option(names = "--node-id", scope = ScopeType.INHERIT,
            description = "This node's name in a cluster (default: random).")
    String nodeId;

    @Option(names = "--lease-ttl", defaultValue = "15s", converter = DurationConverter.class,
            scope = ScopeType.INHERIT,
            description = "Cluster mode: how long a node's ID leases outlive it if it dies.")
    Duration leaseTtl;

    @Override
    public void applyTo(ServerConfig.Builder config) {
        config.redis(redis).nodeId(nodeId).leaseTtl(leaseTtl);
    }
}
