package dev.rendezvous.cli;

import dev.rendezvous.signaling.FromCheck;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Accepts {@code reject} and {@code off} in any case. */
final class FromCheckConverter implements ITypeConverter<FromCheck> {

    @Override
    public FromCheck convert(String value) {
        try {
            return FromCheck.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException("expected reject or off, got '" + value + "'");
        }
    }
}
