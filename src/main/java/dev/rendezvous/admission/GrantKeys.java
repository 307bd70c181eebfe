package dev.rendezvous.admission;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSKeySelector;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import dev.rendezvous.config.AuthConfig;
import java.io.Closeable;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The keys that verify grants, each pinned to the algorithms of its type: HS256 for the secrets
 * (every one is tried: rotation), RS256 or ES256 for the PEM key, the asymmetric algorithms for a
 * JWKS. A key is never taken from the token's own header ({@code jwk}, {@code jku}, {@code x5u}):
 * Nimbus's selector only reads our sources. Several options may be set together; each still only
 * answers for its own algorithms, so an HS256 token never meets a public key.
 */
final class GrantKeys implements Closeable {

    private final List<JWSKeySelector<SecurityContext>> selectors;
    private final JWKSource<SecurityContext> remote;

    private GrantKeys(List<JWSKeySelector<SecurityContext>> selectors, JWKSource<SecurityContext> remote) {
        this.selectors = selectors;
        this.remote = remote;
    }

    /** Loads every configured key; throws IllegalArgumentException with one line for a bad file or URL. */
    static GrantKeys load(AuthConfig auth, JwksSettings jwks) {
        List<JWSKeySelector<SecurityContext>> selectors = new ArrayList<>();
        if (!auth.secrets().isEmpty()) {
            List<JWK> secrets = new ArrayList<>();
            for (String secret : auth.secrets()) {
                secrets.add(new OctetSequenceKey.Builder(secret.getBytes(StandardCharsets.UTF_8)).build());
            }
            selectors.add(new LocalKeys(JWSAlgorithm.HS256, new JWKSet(secrets)));
        }
        if (auth.publicKey() != null) {
            PemPublicKey pem = PemPublicKey.load(auth.publicKey());
            selectors.add(new LocalKeys(pem.algorithm(), new JWKSet(pem.key())));
        }
        JWKSource<SecurityContext> remote = null;
        if (auth.jwksUrl() != null) {
            remote = remoteSource(auth, jwks);
            selectors.add(new JWSVerificationKeySelector<>(GrantVerifier.JWKS_ALGORITHMS, remote));
        }
        return new GrantKeys(List.copyOf(selectors), remote);
    }

    private static JWKSource<SecurityContext> remoteSource(AuthConfig auth, JwksSettings jwks) {
        URL url;
        try {
            url = auth.jwksUrl().toURL();
        } catch (MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("auth jwks url " + auth.jwksUrl() + " is not a URL: " + e.getMessage());
        }
        int timeout = (int) jwks.httpTimeout().toMillis();
        return JWKSourceBuilder.<SecurityContext>create(url, new DefaultResourceRetriever(timeout, timeout,
                        jwks.maxBytes()))
                .cache(jwks.cacheTtl().toMillis(), jwks.refreshTimeout().toMillis())
                .refreshAheadCache(jwks.refreshAhead().toMillis(), true)
                .rateLimited(jwks.minFetchInterval().toMillis())
                .outageTolerant(jwks.outageTtl().toMillis())
                .retrying(true)
                .build();
    }

    /** Whether checking a grant may wait for the network (a JWKS fetch). */
    boolean remote() {
        return remote != null;
    }

    /** Every configured selector's keys for the token's algorithm, in the order above. */
    JWSKeySelector<SecurityContext> selector() {
        return (header, context) -> {
            List<Key> keys = new ArrayList<>();
            for (JWSKeySelector<SecurityContext> selector : selectors) {
                keys.addAll(selector.selectJWSKeys(header, context));
            }
            return keys;
        };
    }

    /** Fetches the JWKS now, so that the first client does not wait for it; blocks. */
    void prefetch() throws KeySourceException {
        if (remote != null) {
            remote.get(new com.nimbusds.jose.jwk.JWKSelector(new JWKMatcher.Builder().build()), null);
        }
    }

    @Override
    public void close() throws IOException {
        if (remote instanceof Closeable closeable) {
            closeable.close();
        }
    }

    /**
     * Our own keys carry no {@code kid}; a backend may still write one, so they are matched by
     * type alone and each is tried in turn (Nimbus's default would require the same {@code kid}).
     */
    private static final class LocalKeys extends JWSVerificationKeySelector<SecurityContext> {

        LocalKeys(JWSAlgorithm algorithm, JWKSet keys) {
            super(Set.of(algorithm), new ImmutableJWKSet<>(keys));
        }

        @Override
        protected JWKMatcher createJWKMatcher(JWSHeader header) {
            if (!isAllowed(header.getAlgorithm())) {
                return null;
            }
            return new JWKMatcher.Builder().keyType(KeyType.forAlgorithm(header.getAlgorithm())).build();
        }
    }
}
