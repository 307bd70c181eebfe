package dev.rendezvous.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 address range in CIDR notation ({@code 10.0.0.0/8}, {@code ::1/128}); a bare
 * address is a range of one. IPv4-mapped IPv6 addresses ({@code ::ffff:10.0.0.1}) match IPv4 ranges.
 */
public final class CidrRange {

    private final String text;
    private final byte[] network;
    private final int prefix;

    private CidrRange(String text, byte[] network, int prefix) {
        this.text = text;
        this.network = network;
        this.prefix = prefix;
    }

    /** Parses a range of literal addresses only: never a host name, so nothing is looked up. */
    public static CidrRange parse(String raw) {
        String text = raw.strip();
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = literal(address);
        if (bytes == null) {
            throw new IllegalArgumentException("'" + raw + "' is not an IP address or CIDR range");
        }
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            String digits = text.substring(slash + 1);
            if (digits.isEmpty() || digits.length() > 3 || !digits.chars().allMatch(Character::isDigit)
                    || Integer.parseInt(digits) > bytes.length * 8) {
                throw new IllegalArgumentException("'" + raw + "' has an invalid prefix length");
            }
            prefix = Integer.parseInt(digits);
        }
        return new CidrRange(text, mask(bytes, prefix), prefix);
    }

    /**
     * The bytes of a literal IPv4 or IPv6 address (IPv4-mapped IPv6 as IPv4), or null when the
     * text is anything else. Host names are refused before {@link InetAddress} could resolve them.
     */
    public static byte[] literal(String address) {
        if (address.isEmpty() || address.length() > 45) {
            return null;
        }
        boolean v6 = address.indexOf(':') >= 0;
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            boolean ok = v6 ? Character.digit(c, 16) >= 0 || c == ':' || c == '.' : c >= '0' && c <= '9' || c == '.';
            if (!ok) {
                return null;
            }
        }
        if (!v6 && !isDottedQuad(address)) {
            return null;
        }
        // InetAddress parses a literal only when it starts with a hex digit or ':'; anything else
        // (".::1") it would send to DNS.
        if (v6 && address.charAt(0) == '.') {
            return null;
        }
        try {
            return InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException | RuntimeException e) {
            return null;
        }
    }

    private static boolean isDottedQuad(String address) {
        String[] parts = address.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    private static byte[] mask(byte[] address, int prefix) {
        byte[] masked = address.clone();
        for (int bit = prefix; bit < masked.length * 8; bit++) {
            masked[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
        }
        return masked;
    }

    public boolean contains(InetAddress address) {
        return contains(address.getAddress());
    }

    /** Whether the address bytes (4 for IPv4, 16 for IPv6) fall in this range. */
    public boolean contains(byte[] address) {
        byte[] candidate = address.length == 16 && network.length == 4 ? unmapped(address) : address;
        if (candidate == null || candidate.length != network.length) {
            return false;
        }
        return Arrays.equals(mask(candidate, prefix), network);
    }

    /** The IPv4 address inside an IPv4-mapped IPv6 address, or null. */
    private static byte[] unmapped(byte[] v6) {
        for (int i = 0; i < 10; i++) {
            if (v6[i] != 0) {
                return null;
            }
        }
        if (v6[10] != (byte) 0xff || v6[11] != (byte) 0xff) {
            return null;
        }
        return Arrays.copyOfRange(v6, 12, 16);
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CidrRange that && prefix == that.prefix && Arrays.equals(network, that.network);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(network) * 31 + prefix;
    }
}
