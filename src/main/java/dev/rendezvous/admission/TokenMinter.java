package dev.rendezvous.admission;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.rendezvous.config.AuthConfig;
import dev.rendezvous.signaling.PeerId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/** {@code rendezvous token}: a grant as a backend would mint it, signed with the first HS256 secret. */
public final class TokenMinter {

    private TokenMinter() {
    }

    /**
     * A compact JWS (HS256) with the ID claim, {@code iat}, {@code exp} = now + {@code ttl}, and
     * {@code iss}, {@code aud} and {@code peers} when given. Throws IllegalArgumentException with
     * one line when no secret is configured or an ID is invalid.
     */
    public static String mint(AuthConfig auth, String id, Duration ttl, List<String> peers, Instant now) {
        if (auth.secrets().isEmpty()) {
            throw new IllegalArgumentException("minting needs --auth-secret or --auth-secret-file "
                    + "(a public key or a JWKS only verifies grants)");
        }
        requireId(id, "--id");
        peers.forEach(peer -> requireId(peer, "--peers"));
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .claim(auth.idClaim(), id)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)));
        if (auth.issuer() != null) {
            claims.issuer(auth.issuer());
        }
        if (auth.audience() != null) {
            claims.audience(auth.audience());
        }
        if (!peers.isEmpty()) {
            claims.claim(GrantVerifier.PEERS_CLAIM, List.copyOf(peers));
        }
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(),
                claims.build());
        try {
            jwt.sign(new MACSigner(auth.secrets().get(0).getBytes(StandardCharsets.UTF_8)));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("cannot sign: " + e.getMessage());
        }
        return jwt.serialize();
    }

    private static void requireId(String id, String option) {
        String problem = PeerId.problemWith(id);
        if (problem != null) {
            throw new IllegalArgumentException(option + " " + id + ": " + problem);
        }
    }
}
