package dev.rendezvous.transport;

import dev.rendezvous.config.TurnConfig;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived TURN credentials in coturn's {@code use-auth-secret} convention (the "TURN REST
 * API"): the username is {@code <expiry in unix seconds>:<ID>} and the password is
 * base64(HMAC-SHA1(secret, username)), which coturn recomputes from its {@code static-auth-secret}.
 *
 * <p>coturn 4.6.1 answers 400 to a username holding a space, a tab, CR, LF, {@code '}, {@code "} or
 * {@code \}, or holding both {@code union} and {@code select} in any case ({@code is_secure_string}
 * in {@code ns_turn_utils.c}); it keeps at most 512 bytes of it; and it reads the expiry up to the
 * first {@code :}, so further colons (fingerprints {@code AB:CD:…}) are fine. An ID of printable
 * ASCII that passes those checks is used as it is; any other ID (a space as in
 * {@code sha-256 AB:CD:…}, non-ASCII, quotes) is carried as {@code b64.} followed by the unpadded
 * base64url of its UTF-8 bytes, and so is an ID that itself starts with {@code b64.}, so that the
 * form always decodes to one ID.
 */
final class TurnCredentials {

    static final String ENCODED_PREFIX = "b64.";

    private final SecretKeySpec key;
    private final long ttlSeconds;

    /** One credential: what goes into an RTCIceServer, and when it stops working. */
    record Credential(String username, String password, long expiresAtSeconds) {
    }

    TurnCredentials(TurnConfig turn) {
        this.key = new SecretKeySpec(turn.secret().getBytes(StandardCharsets.UTF_8), "HmacSHA1");
        this.ttlSeconds = turn.ttl().toSeconds();
    }

    long ttlSeconds() {
        return ttlSeconds;
    }

    Credential mint(String id, long nowSeconds) {
        long expiresAt = nowSeconds + ttlSeconds;
        String username = expiresAt + ":" + usernameId(id);
        return new Credential(username, signed(username), expiresAt);
    }

    /** The ID as it appears in the username (see the class comment). */
    static String usernameId(String id) {
        if (plain(id)) {
            return id;
        }
        return ENCODED_PREFIX + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(id.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean plain(String id) {
        if (id.startsWith(ENCODED_PREFIX)) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c <= ' ' || c > '~' || c == '"' || c == '\'' || c == '\\') {
                return false;
            }
        }
        String lower = id.toLowerCase(Locale.ROOT);
        return !(lower.contains("union") && lower.contains("select"));
    }

    /** The password coturn expects for this username. */
    String signed(String username) {
        try {
            // A Mac is not thread-safe and costs little to make; a request for credentials is rare.
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(key);
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA1 is required by every JVM", e);
        }
    }
}
