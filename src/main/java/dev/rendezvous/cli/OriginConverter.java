package dev.rendezvous.cli;

import dev.rendezvous.config.OriginPattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** One {@code --allowed-origins} entry. */
final class OriginConverter implements ITypeConverter<OriginPattern> {

    @Override
    public OriginPattern convert(String value) {
        try {
            return OriginPattern.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
