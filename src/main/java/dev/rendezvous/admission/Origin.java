package dev.rendezvous.admission;

/**
 * An {@code Origin} header value as browsers serialise it (RFC 6454 §6.2): {@code scheme://host}
 * with an optional {@code :port}, nothing else. Parsed strictly, without exceptions and without
 * regular expressions (it runs for every upgrade): scheme and host are lower-cased, a port equal to
 * the scheme's default is dropped. The host grammar is the one {@code OriginPattern} accepts (DNS
 * labels of letters, digits and inner hyphens, or a bracketed IPv6 literal), so every origin that
 * parses here is also a valid {@code --allowed-origins} entry that matches it.
 *
 * @param port the explicit port, or -1 when absent or the scheme's default
 */
record Origin(String scheme, String host, int port) {

    /** The parts of {@code header}, or null when it is not one serialised origin ({@code null} included). */
    static Origin parse(String header) {
        if (header == null) {
            return null;
        }
        int sep = header.indexOf("://");
        if (sep <= 0 || !isScheme(header, sep)) {
            return null;
        }
        int hostStart = sep + 3;
        int hostEnd = hostEnd(header, hostStart);
        if (hostEnd < 0) {
            return null;
        }
        int port = -1;
        if (hostEnd < header.length()) {
            if (header.charAt(hostEnd) != ':') {
                return null;
            }
            port = port(header, hostEnd + 1);
            if (port < 0) {
                return null;
            }
        }
        String scheme = lowerAscii(header, 0, sep);
        if (port == defaultPort(scheme)) {
            port = -1;
        }
        return new Origin(scheme, lowerAscii(header, hostStart, hostEnd), port);
    }

    private static boolean isScheme(String s, int end) {
        if (!isLetter(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < end; i++) {
            char c = s.charAt(i);
            if (!isLetter(c) && !isDigit(c) && c != '+' && c != '.' && c != '-') {
                return false;
            }
        }
        return true;
    }

    /** Where the host that starts at {@code start} ends, or -1 when there is no valid host. */
    private static int hostEnd(String s, int start) {
        if (start < s.length() && s.charAt(start) == '[') {
            int i = start + 1;
            while (i < s.length() && (Character.digit(s.charAt(i), 16) >= 0 && s.charAt(i) < 128
                    || s.charAt(i) == ':' || s.charAt(i) == '.')) {
                i++;
            }
            return i > start + 1 && i < s.length() && s.charAt(i) == ']' ? i + 1 : -1;
        }
        int i = start;
        while (true) {
            int labelStart = i;
            while (i < s.length() && (isLetter(s.charAt(i)) || isDigit(s.charAt(i)) || s.charAt(i) == '-')) {
                i++;
            }
            if (i == labelStart || s.charAt(labelStart) == '-' || s.charAt(i - 1) == '-') {
                return -1;
            }
            if (i < s.length() && s.charAt(i) == '.') {
                i++;
            } else {
                return i;
            }
        }
    }

    /** The port of 1 to 5 ASCII digits from {@code start} to the end, in 1..65535; else -1. */
    private static int port(String s, int start) {
        int length = s.length() - start;
        if (length < 1 || length > 5) {
            return -1;
        }
        int port = 0;
        for (int i = start; i < s.length(); i++) {
            if (!isDigit(s.charAt(i))) {
                return -1;
            }
            port = port * 10 + (s.charAt(i) - '0');
        }
        return port >= 1 && port <= 65535 ? port : -1;
    }

    static int defaultPort(String scheme) {
        return switch (scheme) {
            case "http", "ws" -> 80;
            case "https", "wss" -> 443;
            default -> -1;
        };
    }

    private static boolean isLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String lowerAscii(String s, int start, int end) {
        char[] out = new char[end - start];
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            out[i - start] = c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
        }
        return new String(out);
    }

    @Override
    public String toString() {
        return scheme + "://" + host + (port < 0 ? "" : ":" + port);
    }
}
