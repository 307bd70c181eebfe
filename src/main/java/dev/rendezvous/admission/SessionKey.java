package dev.rendezvous.admission;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The {@code session} query parameter: a random key a client keeps for as long as its page lives
 * (the browser module keeps it per tab), so that a newer socket with the same key takes its ID
 * back from an older one that has not timed out yet. Only its SHA-256 is kept, never the key.
 */
public final class SessionKey {

    public static final String PARAMETER = "session";
    public static final int MIN_LENGTH = 22;
    public static final int MAX_LENGTH = 128;

    /** The parameter's outcome: a hash, nothing (no parameter), or the one-line reason for a 400. */
    public record Parsed(byte[] hash, String problem) {
        static final Parsed NONE = new Parsed(null, null);

        public boolean refused() {
            return problem != null;
        }
    }

    private SessionKey() {
    }

    /**
     * Reads {@code session} from a raw query string. The value is taken as is: every allowed
     * character is URL-safe, so a percent sign (or anything else) makes it invalid.
     */
    public static Parsed fromQuery(String rawQuery) {
        String value = null;
        if (rawQuery != null) {
            for (String pair : rawQuery.split("&", -1)) {
                int eq = pair.indexOf('=');
                if (PARAMETER.equals(eq < 0 ? pair : pair.substring(0, eq))) {
                    if (value != null) {
                        return new Parsed(null, "more than one session parameter");
                    }
                    value = eq < 0 ? "" : pair.substring(eq + 1);
                }
            }
        }
        if (value == null) {
            return Parsed.NONE;
        }
        String problem = problemWith(value);
        return problem == null ? new Parsed(hash(value), null) : new Parsed(null, problem);
    }

    /** Why {@code key} is not a session key, or null when it is one. */
    public static String problemWith(String key) {
        if (key.length() < MIN_LENGTH || key.length() > MAX_LENGTH) {
            return "session key must be " + MIN_LENGTH + "-" + MAX_LENGTH + " characters of A-Z a-z 0-9 - _";
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return "session key must be " + MIN_LENGTH + "-" + MAX_LENGTH + " characters of A-Z a-z 0-9 - _";
            }
        }
        return null;
    }

    static byte[] hash(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
