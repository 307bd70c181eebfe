package dev.rendezvous.admission;

import dev.rendezvous.config.AuthConfig;
import dev.rendezvous.signaling.Claim;
import dev.rendezvous.signaling.CloseReason;
import dev.rendezvous.signaling.PeerId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what a socket may claim, in front of the core: its session key (before the upgrade: a
 * bad one is a 400) and, when grants are on, its grant (after: a refusal is a 4401 close, because
 * a page can read a close code but not a refused upgrade's status). The core is handed only the
 * decided {@link Claim}. Every refusal is reported to {@link Refusals} and logged at INFO with its
 * cause, never with the token or the key, and at most one line per cause per second.
 */
public final class ClaimAdmission implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClaimAdmission.class);
    private static final long LOG_INTERVAL_NANOS = 1_000_000_000L;

    /** The decision: a claim for the core, or the close reason of a refused grant (then no claim). */
    public record Decision(Claim claim, CloseReason refusal) {
    }

    private final Grants grants;
    private final Refusals refusals;
    /** Per cause (and for the provider's outages): when a line was last written, and how many were skipped since. */
    private final Map<RefusalCause, long[]> lastLogged = new EnumMap<>(RefusalCause.class);
    private final long[] unavailableLog = {System.nanoTime() - LOG_INTERVAL_NANOS, 0};

    private ClaimAdmission(Grants grants, Refusals refusals) {
        this.grants = grants;
        this.refusals = refusals;
        for (RefusalCause cause : RefusalCause.values()) {
            lastLogged.put(cause, new long[] {System.nanoTime() - LOG_INTERVAL_NANOS, 0});
        }
    }

    /** Session keys only: every socket is admitted (no key option set). */
    public static ClaimAdmission open(Refusals refusals) {
        return new ClaimAdmission(null, refusals);
    }

    /** Grants when {@code auth} names a key; loads the keys, throwing IllegalArgumentException for a bad one. */
    public static ClaimAdmission from(AuthConfig auth, Refusals refusals) {
        return from(auth, JwksSettings.DEFAULT, refusals);
    }

    public static ClaimAdmission from(AuthConfig auth, JwksSettings jwks, Refusals refusals) {
        return new ClaimAdmission(auth.enabled() ? new Grants(auth, jwks) : null, refusals);
    }

    /**
     * Loads every key and file {@code auth} names, for {@code check-config}; throws
     * IllegalArgumentException with one line. Fetches nothing.
     */
    public static void check(AuthConfig auth) {
        GrantKeys.load(auth, JwksSettings.DEFAULT);
    }

    public boolean grantsRequired() {
        return grants != null;
    }

    /** The request's session key; a refused one is reported here and answered 400 by the caller. */
    public SessionKey.Parsed sessionKey(String rawQuery, Object client) {
        SessionKey.Parsed key = SessionKey.fromQuery(rawQuery);
        if (key.refused()) {
            refuse(RefusalCause.SESSION_KEY, client, null, key.problem());
        }
        return key;
    }

    /**
     * Decides the claim of {@code id}. Without grants, at once; with grants from local keys, at once
     * on the caller's thread; with a JWKS, later, on a grant thread.
     *
     * @param keyHash       the session key's hash from {@link #sessionKey}, or null
     * @param authorization every {@code Authorization} header of the upgrade
     */
    public CompletableFuture<Decision> decide(PeerId id, byte[] keyHash, String rawQuery, List<String> authorization,
            Object client) {
        if (grants == null) {
            return CompletableFuture.completedFuture(new Decision(
                    keyHash == null ? Claim.plain(id) : Claim.of(id, keyHash, null, false), null));
        }
        GrantToken.Found found = GrantToken.extract(rawQuery, authorization);
        if (found.missing()) {
            refuse(RefusalCause.TOKEN_MISSING, client, id, "no token parameter or bearer authorization");
            return CompletableFuture.completedFuture(new Decision(null, CloseReason.TOKEN_MISSING));
        }
        if (found.ambiguous()) {
            refuse(RefusalCause.TOKEN_INVALID, client, id, "more than one grant in the request");
            return CompletableFuture.completedFuture(new Decision(null, CloseReason.TOKEN_INVALID));
        }
        return grants.check(found.token(), id).thenApply(verdict -> decision(verdict, id, keyHash, client));
    }

    /**
     * Whether a plain HTTP request (such as {@code /ice-servers}) carries a valid grant for
     * {@code id}, found where an upgrade's is. True without grants. Not a refusal of a socket, so
     * not counted; completes at once for local keys, later (on a grant thread) for a JWKS.
     */
    public CompletableFuture<Boolean> admitsRequest(PeerId id, String rawQuery, List<String> authorization) {
        if (grants == null) {
            return CompletableFuture.completedFuture(true);
        }
        GrantToken.Found found = GrantToken.extract(rawQuery, authorization);
        if (found.missing() || found.ambiguous()) {
            return CompletableFuture.completedFuture(false);
        }
        return grants.check(found.token(), id).thenApply(verdict -> verdict.kind() == Verdict.Kind.ADMITTED);
    }

    private Decision decision(Verdict verdict, PeerId id, byte[] keyHash, Object client) {
        switch (verdict.kind()) {
            case ADMITTED:
                return new Decision(Claim.of(id, keyHash, verdict.peers(), true), null);
            case EXPIRED:
                refuse(RefusalCause.TOKEN_EXPIRED, client, id, verdict.why());
                return new Decision(null, CloseReason.TOKEN_EXPIRED);
            case FOR_ANOTHER_ID:
                refuse(RefusalCause.TOKEN_FOR_ANOTHER_ID, client, id, verdict.why());
                return new Decision(null, CloseReason.TOKEN_FOR_ANOTHER_ID);
            case UNAVAILABLE:
                // The provider's fault, not the client's: no refusal cause, an ERROR line (throttled).
                logThrottled(null, "peer=" + id + " grant not checked, keys unavailable: " + verdict.why());
                return new Decision(null, CloseReason.GRANT_KEYS_UNAVAILABLE);
            default:
                refuse(RefusalCause.TOKEN_INVALID, client, id, verdict.why());
                return new Decision(null, CloseReason.TOKEN_INVALID);
        }
    }

    private void refuse(RefusalCause cause, Object client, PeerId id, String why) {
        refusals.refused(cause);
        logThrottled(cause, "refused " + (id == null ? "" : "peer=" + id + " ") + "from " + client + " cause="
                + cause.label() + ": " + why);
    }

    private void logThrottled(RefusalCause cause, String line) {
        long[] state;
        long now = System.nanoTime();
        long suppressed;
        synchronized (lastLogged) {
            state = cause == null ? unavailableLog : lastLogged.get(cause);
            if (now - state[0] < LOG_INTERVAL_NANOS) {
                state[1]++;
                return;
            }
            state[0] = now;
            suppressed = state[1];
            state[1] = 0;
        }
        String more = suppressed == 0 ? "" : " (" + suppressed + " more since the last line)";
        line = printable(line);
        if (cause == null) {
            log.error("{}{}", line, more);
        } else {
            log.info("{}{}", line, more);
        }
    }

    /**
     * Nimbus's messages may quote claim values (an unexpected {@code iss}, say), which the client
     * chose: no control characters (no forged log lines), and no more than a line's worth.
     */
    static String printable(String line) {
        StringBuilder out = new StringBuilder(Math.min(line.length(), 300));
        for (int i = 0; i < line.length() && out.length() < 300; i++) {
            char c = line.charAt(i);
            out.append(Character.isISOControl(c) ? '?' : c);
        }
        return out.length() < line.length() ? out.append('\u2026').toString() : out.toString();
    }

    @Override
    public void close() {
        if (grants != null) {
            grants.close();
        }
    }
}
