package dev.rendezvous.admission;

import dev.rendezvous.config.CidrRange;
import java.util.List;

/**
 * Who the client is behind trusted reverse proxies ({@code --trust-proxy}), as nginx's
 * {@code real_ip_recursive on} decides it. Only when the TCP peer is a trusted proxy is
 * {@code X-Forwarded-For} read at all; then its entries are walked from the right (the hop nearest
 * to this node) and the first one that is not a trusted proxy is the client. Entries further left
 * were written by the client or proxies nobody vouches for, so they are never read. When every
 * entry is trusted, the leftmost one is the client.
 *
 * <p>Several {@code X-Forwarded-For} headers count as one list in their order (RFC 9110 §5.3). An
 * entry is an IPv4 address, optionally with {@code :port}, or an IPv6 address, bare or in brackets
 * with an optional {@code :port}, surrounded by optional spaces or tabs. If an entry the walk has to
 * read is anything else (empty, {@code unknown}, a host name), the header is not trusted and the
 * TCP peer is the client: only a misconfigured proxy writes such entries on its side of the list.
 */
final class ForwardedFor {

    private ForwardedFor() {
    }

    /**
     * The client address: {@code peer} itself unless {@code peer} is in {@code trusted} and the
     * headers name someone else.
     */
    static ClientAddress client(ClientAddress peer, List<String> headers, List<CidrRange> trusted) {
        if (headers.isEmpty() || !peer.in(trusted)) {
            return peer;
        }
        ClientAddress leftmost = null;
        for (int h = headers.size() - 1; h >= 0; h--) {
            String header = headers.get(h);
            int end = header.length();
            while (end >= 0) {
                int start = header.lastIndexOf(',', end - 1) + 1;
                ClientAddress hop = entry(header, start, end);
                if (hop == null) {
                    return peer;
                }
                if (!hop.in(trusted)) {
                    return hop;
                }
                leftmost = hop;
                end = start - 1;
            }
        }
        return leftmost == null ? peer : leftmost;
    }

    /** The address between {@code start} and {@code end}, or null when that is no address. */
    static ClientAddress entry(String header, int start, int end) {
        while (start < end && isSpace(header.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(header.charAt(end - 1))) {
            end--;
        }
        if (start == end || end - start > 53) {
            return null;
        }
        String text = header.substring(start, end);
        if (text.charAt(0) == '[') {
            int close = text.indexOf(']');
            if (close < 0 || close + 1 < text.length() && !isPort(text, close + 1)) {
                return null;
            }
            String inside = text.substring(1, close);
            return inside.indexOf(':') < 0 ? null : ClientAddress.parse(inside);
        }
        int colon = text.indexOf(':');
        if (colon >= 0 && colon == text.lastIndexOf(':')) {
            return isPort(text, colon) ? ClientAddress.parse(text.substring(0, colon)) : null;
        }
        return ClientAddress.parse(text);
    }

    /** Whether {@code text} from {@code colon} on is ":" and a port number 0-65535. */
    private static boolean isPort(String text, int colon) {
        int digits = text.length() - colon - 1;
        if (text.charAt(colon) != ':' || digits < 1 || digits > 5) {
            return false;
        }
        int port = 0;
        for (int i = colon + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            port = port * 10 + (c - '0');
        }
        return port <= 65535;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t';
    }
}
