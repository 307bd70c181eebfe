package dev.rendezvous.cli;

import dev.rendezvous.config.CidrRange;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** One {@code --trust-proxy} entry. */
final class CidrConverter implements ITypeConverter<CidrRange> {

    @Override
    public CidrRange convert(String value) {
        try {
            return CidrRange.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
