package dev.rendezvous.admission;

import java.util.List;
import java.util.Locale;

/**
 * Where a grant travels: {@code token=<jwt>} in the upgrade URL (browsers cannot set headers on a
 * WebSocket) or {@code Authorization: Bearer <jwt>}. At most one grant per upgrade: two are
 * ambiguous, since whichever one we picked, a proxy or a log might show the other.
 */
public final class GrantToken {

    public static final String PARAMETER = "token";

    /** What the request carries: a token, none, or an ambiguous pair (then {@code token} is null). */
    public record Found(String token, boolean ambiguous) {
        static final Found NONE = new Found(null, false);
        static final Found AMBIGUOUS = new Found(null, true);

        public boolean missing() {
            return token == null && !ambiguous;
        }
    }

    private GrantToken() {
    }

    /**
     * The grant of an upgrade. {@code token} is taken from the raw query as is (a JWT is URL-safe);
     * an empty value or an empty bearer counts as none. Authorization headers of other schemes
     * are not grants and are ignored.
     *
     * @param authorization every {@code Authorization} header of the request, in order
     */
    public static Found extract(String rawQuery, List<String> authorization) {
        String fromQuery = null;
        int inQuery = 0;
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&", -1)) {
                int eq = pair.indexOf('=');
                if (PARAMETER.equals(eq < 0 ? pair : pair.substring(0, eq))) {
                    inQuery++;
                    fromQuery = eq < 0 ? "" : pair.substring(eq + 1);
                }
            }
        }
        String fromHeader = null;
        int inHeaders = 0;
        for (String header : authorization) {
            String bearer = bearer(header);
            if (bearer != null) {
                inHeaders++;
                fromHeader = bearer;
            }
        }
        if (inQuery + inHeaders > 1) {
            return Found.AMBIGUOUS;
        }
        String token = fromQuery != null ? fromQuery : fromHeader;
        return token == null || token.isEmpty() ? Found.NONE : new Found(token, false);
    }

    /** The credentials of a {@code Bearer} authorization (RFC 6750: scheme case-insensitive), else null. */
    static String bearer(String header) {
        String value = header.strip();
        int space = value.indexOf(' ');
        String scheme = space < 0 ? value : value.substring(0, space);
        if (!scheme.toLowerCase(Locale.ROOT).equals("bearer")) {
            return null;
        }
        return space < 0 ? "" : value.substring(space + 1).strip();
    }
}
