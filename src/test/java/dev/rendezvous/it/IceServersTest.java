package dev.rendezvous.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.config.AccessConfig;
import dev.rendezvous.config.AuthConfig;
import dev.rendezvous.config.OriginPattern;
import dev.rendezvous.config.TurnConfig;
import dev.rendezvous.support.Grants;
import dev.rendezvous.support.HttpProbe;
import dev.rendezvous.support.NodeUnderTest;
import dev.rendezvous.support.TestServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.json.Json;

/** {@code GET /ice-servers} over real HTTP: the credentials, the static servers, caching and CORS. */
class IceServersTest {

    private static final String SECRET = "ice-servers-test-secret";
    private static final String STATIC = "[{\"urls\":\"stun:127.0.0.1:3478\"}]";
    private static final List<String> TURN_URIS = List.of("turn:127.0.0.1:3478?transport=udp", "turns:127.0.0.1:5349");

    @RegisterExtension
    static final NodeUnderTest server = new NodeUnderTest(TestServer.config()
            .iceServers(STATIC)
            .access(new AccessConfig(List.of(OriginPattern.parse("https://app.example.com"),
                    OriginPattern.parse("https://*.example.org")), List.of(), AccessConfig.DEFAULT.limits()))
            .turn(new TurnConfig(SECRET, TURN_URIS.stream().map(URI::create).toList(), Duration.ofMinutes(5))));

    @RegisterExtension
    static final NodeUnderTest withoutTurn = new NodeUnderTest(TestServer.config().iceServers(STATIC));

    @RegisterExtension
    static final NodeUnderTest withGrants = new NodeUnderTest(TestServer.config()
            .auth(AuthConfig.NONE.withSecrets(List.of(Grants.SECRET)))
            .turn(new TurnConfig(SECRET, TURN_URIS.stream().map(URI::create).toList(), Duration.ofMinutes(5))));

    /** With grants on, the socket's grant for the same ID, in the query or as a bearer token. */
    @Test
    void withGrantsOnlyTheSocketsGrantForThatIdMintsCredentials() throws Exception {
        String grant = Grants.forId("alice");

        HttpProbe.Response none = HttpProbe.get(withGrants.port(), "/ice-servers?finger=alice");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(none.body()).doesNotContain("credential");

        assertThat(HttpProbe.get(withGrants.port(), "/ice-servers?finger=bob", "Authorization: Bearer " + grant)
                .status()).as("a grant for another id").isEqualTo(401);
        assertThat(HttpProbe.get(withGrants.port(), "/ice-servers?finger=alice",
                "Authorization: Bearer " + Grants.hs256(Grants.SECRET, Grants.claims("alice", Duration.ofMinutes(-5))
                        .build())).status()).as("an expired grant").isEqualTo(401);
        assertThat(HttpProbe.get(withGrants.port(), "/ice-servers?finger=alice&token=" + grant,
                "Authorization: Bearer " + grant).status()).as("two grants").isEqualTo(401);

        HttpProbe.Response header = HttpProbe.get(withGrants.port(), "/ice-servers?finger=alice",
                "Authorization: Bearer " + grant);
        assertThat(header.status()).isEqualTo(200);
        assertThat(header.body()).contains(":alice\"").contains("\"credential\"");
        assertThat(HttpProbe.get(withGrants.port(), "/ice-servers?finger=alice&token=" + grant).status())
                .as("the grant in the query, as a socket sends it").isEqualTo(200);
    }

    @Test
    @SuppressWarnings("unchecked")
    void mintsCredentialsForTheIdThenListsTheStaticServersAndIsNeverCached() throws Exception {
        long before = Instant.now().getEpochSecond();
        HttpProbe.Response response = HttpProbe.get(server.port(), "/ice-servers?finger=AB:CD:EF");
        long after = Instant.now().getEpochSecond();

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        assertThat(response.header("Access-Control-Allow-Origin")).as("no Origin, no CORS").isNull();
        Map<String, Object> body = parse(response.body());
        assertThat(body).containsEntry("ttl", 300L);
        List<Map<String, Object>> servers = (List<Map<String, Object>>) body.get("iceServers");
        assertThat(servers).hasSize(2);
        assertThat(servers.get(1)).isEqualTo(Map.of("urls", "stun:127.0.0.1:3478"));
        Map<String, Object> turn = servers.get(0);
        assertThat(turn.get("urls")).isEqualTo(TURN_URIS);
        String username = (String) turn.get("username");
        assertThat(username).endsWith(":AB:CD:EF");
        long expiry = Long.parseLong(username.substring(0, username.indexOf(':')));
        assertThat(expiry).isBetween(before + 300, after + 300);
        assertThat(turn.get("credential")).isEqualTo(hmac(username));
    }

    @Test
    @SuppressWarnings("unchecked")
    void anIdCoturnWouldRefuseIsCarriedInItsSafeForm() throws Exception {
        Map<String, Object> body = parse(HttpProbe.get(server.port(), "/ice-servers?finger=sha-256%20AB:CD").body());

        Map<String, Object> turn = ((List<Map<String, Object>>) body.get("iceServers")).get(0);
        String username = (String) turn.get("username");
        assertThat(username).matches("[0-9]+:b64\\.c2hhLTI1NiBBQjpDRA");
        assertThat(turn.get("credential")).isEqualTo(hmac(username));
    }

    @Test
    void anAllowedOriginGetsCorsHeadersAndOthersGet403WithoutCredentials() throws Exception {
        for (String origin : List.of("https://app.example.com", "https://a.b.example.org", "https://APP.example.com:443")) {
            HttpProbe.Response allowed = HttpProbe.get(server.port(), "/ice-servers?finger=cors", "Origin: " + origin);
            assertThat(allowed.status()).as(origin).isEqualTo(200);
            assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo(origin);
            assertThat(allowed.header("Vary")).isEqualTo("Origin");
        }
        for (String origin : List.of("https://evil.example.com", "http://app.example.com", "https://example.org",
                "https://app.example.com:8443", "null")) {
            HttpProbe.Response refused = HttpProbe.get(server.port(), "/ice-servers?finger=cors", "Origin: " + origin);
            assertThat(refused.status()).as(origin).isEqualTo(403);
            assertThat(refused.header("Access-Control-Allow-Origin")).isNull();
            assertThat(refused.body()).isEqualTo("origin not allowed\n").doesNotContain("credential");
        }
    }

    @Test
    void aPreflightIsAnsweredForAllowedOriginsAndAllowsAuthorization() throws Exception {
        HttpProbe.Response preflight;
        try (HttpProbe probe = new HttpProbe(server.port())) {
            preflight = probe.request("OPTIONS", "/ice-servers?finger=pre", "Origin: https://app.example.com",
                    "Access-Control-Request-Method: GET", "Access-Control-Request-Headers: authorization");
            // The connection stays usable: the real request follows on it, as browsers do.
            assertThat(probe.request("GET", "/ice-servers?finger=pre", "Origin: https://app.example.com",
                    "Authorization: Bearer x").status()).isEqualTo(200);
        }
        assertThat(preflight.status()).isEqualTo(204);
        assertThat(preflight.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example.com");
        assertThat(preflight.header("Access-Control-Allow-Methods")).contains("GET");
        assertThat(preflight.header("Access-Control-Allow-Headers")).isEqualToIgnoringCase("Authorization");
        assertThat(preflight.header("Access-Control-Max-Age")).isEqualTo("600");
        assertThat(preflight.header("Content-Length")).isNull();

        HttpProbe.Response refused;
        try (HttpProbe probe = new HttpProbe(server.port())) {
            refused = probe.request("OPTIONS", "/ice-servers?finger=pre", "Origin: https://evil.example.com",
                    "Access-Control-Request-Method: GET");
        }
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void aMissingOrBadIdIs400AndOtherMethods405() throws Exception {
        HttpProbe.Response missing = HttpProbe.get(server.port(), "/ice-servers");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.body()).contains("/ice-servers?finger=<ID>");
        assertThat(HttpProbe.get(server.port(), "/ice-servers?finger=%ZZ").status()).isEqualTo(400);
        assertThat(HttpProbe.get(server.port(), "/ice-servers?finger=a&finger=b").status()).isEqualTo(400);
        try (HttpProbe probe = new HttpProbe(server.port())) {
            assertThat(probe.request("POST", "/ice-servers?finger=a").status()).isEqualTo(405);
        }
    }

    @Test
    void withoutTurnTheStaticServersAloneAndConfigSaysSo() throws Exception {
        HttpProbe.Response response = HttpProbe.get(withoutTurn.port(), "/ice-servers?finger=plain");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Cache-Control")).isEqualTo("no-store");
        assertThat(response.body()).isEqualTo("{\"iceServers\":" + STATIC + "}");

        assertThat(parse(HttpProbe.get(withoutTurn.port(), "/config.json").body())).containsEntry("turn", false);
        assertThat(parse(HttpProbe.get(server.port(), "/config.json").body())).containsEntry("turn", true);
    }

    private static Map<String, Object> parse(String json) {
        return new Json().toType(json, Json.MAP_TYPE);
    }

    private static String hmac(String username) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
    }
}
