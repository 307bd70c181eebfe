package dev.rendezvous.admission;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimNames;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.ExpiredJWTException;
import dev.rendezvous.config.AuthConfig;
import dev.rendezvous.signaling.PeerId;
import java.text.ParseException;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks one grant with Nimbus: the library decides validity (signature, algorithm, {@code exp},
 * {@code nbf}, {@code iss}, {@code aud}); this class maps its outcome to a close reason and reads
 * the two claims Rendezvous adds (the ID claim and {@code peers}). Thread-safe; may block on a
 * JWKS fetch, so grants from {@code --auth-jwks-url} are checked on {@link Grants}' own threads.
 */
final class GrantVerifier {

    static final String PEERS_CLAIM = "peers";

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final String idClaim;

    GrantVerifier(AuthConfig auth, JWSKeySelector<SecurityContext> keys) {
        this.idClaim = auth.idClaim();
        // "JWT" or none, as most backends write; "at+jwt" (RFC 9068) as identity providers write
        // for access tokens. Anything else (a JWE's inner "typ", say) is not a grant.
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT,
                new JOSEObjectType("at+jwt"), null));
        processor.setJWSKeySelector(keys);
        Set<String> required = new HashSet<>(List.of(JWTClaimNames.EXPIRATION_TIME, idClaim));
        JWTClaimsSet.Builder exact = new JWTClaimsSet.Builder();
        if (auth.issuer() != null) {
            required.add(JWTClaimNames.ISSUER);
            exact.issuer(auth.issuer());
        }
        if (auth.audience() != null) {
            required.add(JWTClaimNames.AUDIENCE);
        }
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                auth.audience() == null ? null : Set.of(auth.audience()), exact.build(), required, null);
        claims.setMaxClockSkew((int) auth.clockSkew().toSeconds());
        processor.setJWTClaimsSetVerifier(claims);
    }

    Verdict verify(String token, PeerId id) {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            // Parsed as a JWS up front: "alg":"none" and encrypted tokens are refused here, and the
            // raw payload shows whether the ID claim is really a string (Nimbus turns a numeric sub into one).
            jwt = SignedJWT.parse(token);
            claims = processor.process(jwt, null);
        } catch (ExpiredJWTException e) {
            return Verdict.refused(Verdict.Kind.EXPIRED, e.getMessage());
        } catch (KeySourceException e) {
            return Verdict.refused(Verdict.Kind.UNAVAILABLE, e.getMessage());
        } catch (ParseException | BadJOSEException | JOSEException | RuntimeException e) {
            return Verdict.refused(Verdict.Kind.INVALID, e.getMessage());
        }
        Map<String, Object> raw = jwt.getPayload().toJSONObject();
        if (!(raw.get(idClaim) instanceof String subject)) {
            return Verdict.refused(Verdict.Kind.INVALID, "claim " + idClaim + " is not a string");
        }
        if (!subject.equals(id.value())) {
            return Verdict.refused(Verdict.Kind.FOR_ANOTHER_ID, "claim " + idClaim + " names another id");
        }
        if (!raw.containsKey(PEERS_CLAIM)) {
            return Verdict.admitted(null);
        }
        return peers(claims);
    }

    private static Verdict peers(JWTClaimsSet claims) {
        List<String> listed;
        try {
            listed = claims.getStringListClaim(PEERS_CLAIM);
        } catch (ParseException e) {
            return Verdict.refused(Verdict.Kind.INVALID, "claim peers is not an array of strings");
        }
        if (listed == null) {
            return Verdict.refused(Verdict.Kind.INVALID, "claim peers is not an array of strings");
        }
        Set<PeerId> peers = new LinkedHashSet<>();
        for (String peer : listed) {
            if (peer == null || PeerId.problemWith(peer) != null) {
                return Verdict.refused(Verdict.Kind.INVALID, "claim peers holds an invalid id");
            }
            peers.add(new PeerId(peer));
        }
        return Verdict.admitted(peers);
    }

    /**
     * The algorithms a JWKS may use: the asymmetric ones the JDK verifies alone (no ES256K, no
     * EdDSA). A key that names its {@code alg} is used for that one only.
     */
    static final Set<JWSAlgorithm> JWKS_ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512);
}
