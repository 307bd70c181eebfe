package dev.rendezvous.cli;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code on} or {@code off}: a setting that is a switch, written the same way in flags, variables and files. */
final class OnOffConverter implements ITypeConverter<OnOffConverter.Switch> {

    enum Switch { ON, OFF }

    @Override
    public Switch convert(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "on" -> Switch.ON;
            case "off" -> Switch.OFF;
            default -> throw new TypeConversionException("expected on or off, got '" + value + "'");
        };
    }
}
