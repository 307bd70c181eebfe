package dev.rendezvous.cli;

import dev.rendezvous.config.AdminConfig;
import dev.rendezvous.config.LogConfig;
import dev.rendezvous.config.MailboxConfig;
import dev.rendezvous.config.ServerConfig;
import java.time.Duration;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The admin port, metrics, logs and the mailbox. */
final class OperationsOptions implements Options {

    @Option(names = "--admin-port", scope = ScopeType.INHERIT,
            description = "Serve /metrics and /stats on this port only, off the public one (the production "
                    + "setting); 0 picks a free one. Default: on the public port.")
    Integer adminPort;

    @Option(names = "--admin-host", defaultValue = "127.0.0.1", scope = ScopeType.INHERIT,
            description = "Address of the admin port.")
    String adminHost;

    @Option(names = "--admin-token", scope = ScopeType.INHERIT,
            description = "Bearer token (at least 16 characters) that unlocks IDs and addresses in /stats.")
    String adminToken;

    @Option(names = "--metrics", defaultValue = "on", converter = OnOffConverter.class,
            scope = ScopeType.INHERIT, paramLabel = "on|off",
            description = "on: record meters and serve /metrics; off: neither.")
    OnOffConverter.Switch metrics;

    @Option(names = "--log-format", defaultValue = "text", converter = LogFormatConverter.class,
            scope = ScopeType.INHERIT, description = "text: one readable line per event; json: one JSON object per line.")
    LogConfig.Format logFormat;

    @Option(names = "--log-level", defaultValue = "info", scope = ScopeType.INHERIT,
            description = "error, warn, info, debug (a line per connect and disconnect) or trace.")
    String logLevel;

    @Option(names = "--mailbox-ttl", defaultValue = "0s", converter = DurationConverter.class,
            scope = ScopeType.INHERIT,
            description = "Hold messages for an ID nobody holds for this long, delivered when it connects; "
                    + "0s = off (peer-unavailable at once).")
    Duration mailboxTtl;

    @Option(names = "--mailbox-max-messages", defaultValue = "32", scope = ScopeType.INHERIT,
            description = "Messages held per recipient.")
    int mailboxMaxMessages;

    @Option(names = "--mailbox-max-bytes", defaultValue = "262144", scope = ScopeType.INHERIT,
            description = "Bytes held per recipient.")
    int mailboxMaxBytes;

    @Option(names = "--mailbox-total-bytes", defaultValue = "67108864", scope = ScopeType.INHERIT,
            description = "Bytes held on the node for all recipients together.")
    long mailboxTotalBytes;

    @Override
    public void applyTo(ServerConfig.Builder config) {
        config.admin(new AdminConfig(adminPort == null ? -1 : adminPort, adminHost, adminToken,
                metrics == OnOffConverter.Switch.ON));
        config.log(new LogConfig(logFormat, logLevel));
        config.mailbox(new MailboxConfig(mailboxTtl, mailboxMaxMessages, mailboxMaxBytes, mailboxTotalBytes));
    }
}
