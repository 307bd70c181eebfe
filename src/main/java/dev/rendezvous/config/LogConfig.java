package dev.rendezvous.config;

import java.util.Locale;

/**
 * How the node logs.
 *
 * @param format {@code text} (one human-readable line per event) or {@code json} (one JSON object per line)
 * @param level  the level of the node's own loggers: error, warn, info, debug or trace
 */
public record LogConfig(Format format, String level) {

    public enum Format { TEXT, JSON }

    public static final LogConfig DEFAULT = new LogConfig(Format.TEXT, "info");

    public LogConfig {
        java.util.Objects.requireNonNull(format, "format");
        level = level.strip().toLowerCase(Locale.ROOT);
        if (!java.util.List.of("error", "warn", "info", "debug", "trace").contains(level)) {
            throw new IllegalArgumentException("log level must be error, warn, info, debug or trace, got " + level);
        }
    }
}
