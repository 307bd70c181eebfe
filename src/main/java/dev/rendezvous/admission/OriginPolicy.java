package dev.rendezvous.admission;

import dev.rendezvous.config.OriginPattern;
import java.util.List;

/**
 * Which page origins {@code --allowed-origins} admits: for WebSocket upgrades here, and for CORS on
 * HTTP endpoints wherever one needs it.
 *
 * <p>A request without an {@code Origin} header is allowed. Only browsers send the header, and
 * they always do on a WebSocket upgrade; what the check protects is a browser user whose page on
 * another site would open sockets with the user's network position (an intranet node) or cookies.
 * A program that is not a browser can send any origin it likes, so refusing it the missing header
 * would protect nothing: keeping such clients out is what signed grants are for.
 */
public final class OriginPolicy {

    private final List<OriginPattern> patterns;
    private final boolean any;

    public OriginPolicy(List<OriginPattern> patterns) {
        this.patterns = List.copyOf(patterns);
        this.any = this.patterns.stream().anyMatch(OriginPattern::any);
    }

    /** True when {@code *} is listed: every request is allowed, whatever its header says. */
    public boolean allowsAny() {
        return any;
    }

    /**
     * Whether a request with this {@code Origin} header value (null when absent) may proceed. A
     * value that is not one serialised origin, {@code null} included (sandboxed frames, {@code file:}
     * pages and some redirects send it), is refused unless {@code *} is listed.
     */
    public boolean allows(String originHeader) {
        if (any || originHeader == null) {
            return true;
        }
        Origin origin = Origin.parse(originHeader);
        return origin != null && matches(origin);
    }

    /**
     * The same for all values a request carries: a browser sends at most one, so two or more are
     * refused unless {@code *} is listed.
     */
    public boolean allows(List<String> originHeaders) {
        if (any || originHeaders.isEmpty()) {
            return true;
        }
        return originHeaders.size() == 1 && allows(originHeaders.get(0));
    }

    private boolean matches(Origin origin) {
        for (OriginPattern pattern : patterns) {
            if (pattern.matches(origin.scheme(), origin.host(), origin.port())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return patterns.toString();
    }
}
