package dev.rendezvous.admission;

import dev.rendezvous.config.CidrRange;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

/**
 * The address a connection is taken to come from: the TCP peer, or with {@code --trust-proxy} the
 * client a trusted proxy names. IPv4-mapped IPv6 addresses are held as IPv4, so one client has one
 * form whichever socket family carried it.
 */
public final class ClientAddress {

    /** A peer that is no IP address (an in-memory channel in tests). */
    public static final ClientAddress UNKNOWN = new ClientAddress(new byte[0]);

    private final byte[] bytes;
    private String text;

    private ClientAddress(byte[] bytes) {
        this.bytes = bytes;
    }

    public static ClientAddress of(InetAddress address) {
        return address == null ? UNKNOWN : of(address.getAddress());
    }

    /** From 4 or 16 address bytes (kept, not copied); anything else is {@link #UNKNOWN}. */
    static ClientAddress of(byte[] bytes) {
        if (bytes.length == 16 && isIpv4Mapped(bytes)) {
            return new ClientAddress(Arrays.copyOfRange(bytes, 12, 16));
        }
        return bytes.length == 4 || bytes.length == 16 ? new ClientAddress(bytes) : UNKNOWN;
    }

    /** A literal IPv4 or IPv6 address; null for anything else (host names are never looked up). */
    static ClientAddress parse(String literal) {
        byte[] bytes = CidrRange.literal(literal);
        return bytes == null ? null : of(bytes);
    }

    private static boolean isIpv4Mapped(byte[] v6) {
        for (int i = 0; i < 10; i++) {
            if (v6[i] != 0) {
                return false;
            }
        }
        return v6[10] == (byte) 0xff && v6[11] == (byte) 0xff;
    }

    boolean isIpv6() {
        return bytes.length == 16;
    }

    boolean in(List<CidrRange> ranges) {
        if (bytes.length == 0) {
            return false;
        }
        for (CidrRange range : ranges) {
            if (range.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whose share of the per-client limits this address counts against: the IPv4 address itself,
     * or the /64 an IPv6 address lies in. A single IPv6 subscriber usually gets a whole /64 (often
     * more) and can pick any address in it, so counting addresses would let one client multiply
     * its limits by 2^64; a /64 is the smallest block an ISP hands out (RFC 6177).
     */
    ClientKey key() {
        long prefix = 0;
        int length = Math.min(bytes.length, 8);
        for (int i = 0; i < length; i++) {
            prefix = prefix << 8 | (bytes[i] & 0xFF);
        }
        return new ClientKey(prefix, bytes.length);
    }

    /** One client for the limits; {@code family} is the address length (4, 16, or 0 when unknown). */
    record ClientKey(long prefix, int family) {
    }

    /** Dotted quad, or RFC 5952 text for IPv6 (lower case, longest run of zero groups as "::"). */
    @Override
    public String toString() {
        String shown = text;
        if (shown == null) {
            shown = bytes.length == 4 ? ipv4() : bytes.length == 16 ? ipv6() : "unknown";
            text = shown;
        }
        return shown;
    }

    private String ipv4() {
        return (bytes[0] & 0xFF) + "." + (bytes[1] & 0xFF) + "." + (bytes[2] & 0xFF) + "." + (bytes[3] & 0xFF);
    }

    private String ipv6() {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (bytes[2 * i] & 0xFF) << 8 | (bytes[2 * i + 1] & 0xFF);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ClientAddress that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }
}
