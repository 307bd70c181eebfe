package dev.rendezvous.cli;

import dev.rendezvous.config.LogConfig;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code text} or {@code json}. */
final class LogFormatConverter implements ITypeConverter<LogConfig.Format> {

    @Override
    public LogConfig.Format convert(String value) {
        try {
            return LogConfig.Format.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("expected text or json, got '" + value + "'");
        }
    }
}
