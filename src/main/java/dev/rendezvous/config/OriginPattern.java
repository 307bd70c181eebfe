package dev.rendezvous.config;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One entry of {@code --allowed-origins}: {@code *} (any origin), an exact origin
 * ({@code https://app.example.com}, {@code http://localhost:8080}) or a subdomain pattern
 * ({@code https://*.example.com}, which matches {@code https://a.example.com} and
 * {@code https://a.b.example.com} but not {@code https://example.com}). Origins are compared as
 * browsers serialise them (RFC 6454): lower-case scheme and host, the port only when not the
 * scheme's default.
 */
public final class OriginPattern {

    private static final Pattern SCHEME = Pattern.compile("[a-z][a-z0-9+.-]*");
    private static final Pattern HOST = Pattern.compile("(\\[[0-9a-f:.]+]|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)");

    private final String text;
    private final boolean any;
    private final String scheme;
    /** The exact host, or for a wildcard pattern the suffix after "*" (".example.com"). */
    private final String host;
    private final boolean wildcard;
    private final int port;

    private OriginPattern(String text, boolean any, String scheme, String host, boolean wildcard, int port) {
        this.text = text;
        this.any = any;
        this.scheme = scheme;
        this.host = host;
        this.wildcard = wildcard;
        this.port = port;
    }

    /** Parses one pattern; throws {@link IllegalArgumentException} saying what is wrong. */
    public static OriginPattern parse(String raw) {
        String text = raw.strip();
        if (text.equals("*")) {
            return new OriginPattern(text, true, null, null, false, -1);
        }
        // ASCII only (browsers send the punycode form), so that lower-casing cannot turn another
        // character into a letter of the host (the Kelvin sign lower-cases to 'k').
        if (!text.chars().allMatch(c -> c < 128)) {
            throw new IllegalArgumentException("allowed origin '" + raw + "' must be ASCII (write the host in punycode)");
        }
        String lower = text.toLowerCase(Locale.ROOT);
        int sep = lower.indexOf("://");
        if (sep <= 0) {
            throw new IllegalArgumentException("allowed origin '" + raw + "' must look like https://host[:port]");
        }
        String scheme = lower.substring(0, sep);
        if (!SCHEME.matcher(scheme).matches()) {
            throw new IllegalArgumentException("allowed origin '" + raw + "' has an invalid scheme");
        }
        String rest = lower.substring(sep + 3);
        if (rest.endsWith("/")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        if (rest.isEmpty() || rest.contains("/") || rest.contains("?") || rest.contains("#") || rest.contains("@")) {
            throw new IllegalArgumentException("allowed origin '" + raw + "' must be scheme://host[:port] only");
        }
        int port = -1;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf(']')) {
            port = parsePort(raw, rest.substring(colon + 1));
            rest = rest.substring(0, colon);
        }
        boolean wildcard = rest.startsWith("*.");
        String host = wildcard ? rest.substring(1) : rest;
        if (!HOST.matcher(wildcard ? host.substring(1) : host).matches()) {
            throw new IllegalArgumentException("allowed origin '" + raw + "' has an invalid host");
        }
        if (port == defaultPort(scheme)) {
            port = -1;
        }
        return new OriginPattern(text, false, scheme, host, wildcard, port);
    }

    private static int parsePort(String raw, String digits) {
        if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("allowed origin '" + raw + "' has an invalid port");
        }
        int port = Integer.parseInt(digits);
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("allowed origin '" + raw + "' has an invalid port");
        }
        return port;
    }

    static int defaultPort(String scheme) {
        return switch (scheme) {
            case "http", "ws" -> 80;
            case "https", "wss" -> 443;
            default -> -1;
        };
    }

    /** True for {@code *}. */
    public boolean any() {
        return any;
    }

    /**
     * Whether an origin already split into its parts (lower-case scheme and host; port -1 when
     * absent or the scheme's default) matches this pattern.
     */
    public boolean matches(String originScheme, String originHost, int originPort) {
        if (any) {
            return true;
        }
        if (!scheme.equals(originScheme) || port != originPort) {
            return false;
        }
        return wildcard
                ? originHost.length() > host.length() && originHost.endsWith(host)
                : host.equals(originHost);
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof OriginPattern that && text.equals(that.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}
