package dev.rendezvous.transport;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

/**
 * The {@code --admin-token} a request to {@code /stats} may present as {@code Authorization: Bearer
 * <token>}. Compared in constant time over digests, so neither the content nor the length of the
 * token leaks through the time an answer takes.
 */
final class AdminToken {

    /** What a request's {@code Authorization} header grants. */
    enum Access {
        /** No header: the view without IDs and addresses. */
        ANONYMOUS,
        /** The right token. */
        AUTHORIZED,
        /** A header with anything but the right bearer token: 401. */
        DENIED
    }

    private static final String SCHEME = "bearer ";

    private final byte[] digest;

    AdminToken(String token) {
        this.digest = sha256(token);
    }

    Access check(String authorization) {
        if (authorization == null) {
            return Access.ANONYMOUS;
        }
        if (authorization.length() < SCHEME.length()
                || !authorization.substring(0, SCHEME.length()).toLowerCase(Locale.ROOT).equals(SCHEME)) {
            return Access.DENIED;
        }
        String presented = authorization.substring(SCHEME.length()).trim();
        return MessageDigest.isEqual(digest, sha256(presented)) ? Access.AUTHORIZED : Access.DENIED;
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
