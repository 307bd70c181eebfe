package dev.rendezvous.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.config.TurnConfig;
import dev.rendezvous.support.Coturn;
import dev.rendezvous.support.HttpProbe;
import dev.rendezvous.support.TestServer;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.json.Json;

/**
 * Credentials minted by Rendezvous against a real coturn in {@code use-auth-secret} mode: two
 * {@code turnutils_uclient} clients allocate relays with them and exchange packets through coturn;
 * a wrong secret and an expired username are refused.
 */
class CoturnCredentialsTest {

    private static final String SECRET = "coturn-shared-secret-for-tests";
    private static final Pattern TOTALS = Pattern.compile("tot_send_msgs=(\\d+), tot_recv_msgs=(\\d+)");

    private static Coturn coturn;
    private static TestServer node;

    @BeforeAll
    static void start() throws Exception {
        coturn = Coturn.start(SECRET);
        node = TestServer.start(TestServer.config().turn(turn(SECRET, Duration.ofHours(4))).build());
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
        if (coturn != null) {
            coturn.close();
        }
    }

    @Test
    void credentialsFromIceServersAllocateAndRelay() throws Exception {
        for (String id : List.of("AB:CD:EF:01:23:45", "sha-256 AB:CD:EF")) {
            Map<String, Object> turn = iceServers(node, id);
            assertThat(turn.get("urls")).isEqualTo(List.of(coturn.udpUri()));

            Coturn.ClientRun run = coturn.relayWith((String) turn.get("username"), (String) turn.get("credential"), 3);

            assertThat(run.exitCode()).as("%s: %s", id, run.output()).isZero();
            assertRelayed(run);
        }
    }

    /** Why the safe form exists: the same ID verbatim, correctly signed, is refused by coturn itself. */
    @Test
    void coturnRefusesAUsernameWithASpaceEvenWhenSignedCorrectly() throws Exception {
        TurnCredentials credentials = new TurnCredentials(turn(SECRET, Duration.ofHours(1)));
        long expiry = Instant.now().getEpochSecond() + 3600;
        String verbatim = expiry + ":sha-256 AB:CD:EF";

        Coturn.ClientRun run = coturn.relayWith(verbatim, credentials.signed(verbatim), 1);

        assertThat(run.exitCode()).isNotZero();
        assertThat(coturn.log()).contains("wrong username: " + verbatim);
    }

    @Test
    void aWrongSecretIsRefused() throws Exception {
        try (TestServer other = TestServer.start(TestServer.config()
                .turn(turn("not-the-coturn-secret", Duration.ofHours(4))).build())) {
            Map<String, Object> turn = iceServers(other, "wrong-secret");

            Coturn.ClientRun run = coturn.relayWith((String) turn.get("username"), (String) turn.get("credential"), 1);

            assertThat(run.exitCode()).isNotZero();
            assertThat(run.output()).contains("Cannot complete Allocation");
            assertThat(coturn.log()).contains("Cannot find credentials of user <" + turn.get("username") + ">");
        }
    }

    @Test
    void anExpiredUsernameIsRefused() throws Exception {
        TurnCredentials credentials = new TurnCredentials(turn(SECRET, Duration.ofMinutes(1)));
        TurnCredentials.Credential expired = credentials.mint("expired-id", Instant.now().getEpochSecond() - 120);
        assertThat(expired.expiresAtSeconds()).isLessThan(Instant.now().getEpochSecond());

        Coturn.ClientRun run = coturn.relayWith(expired.username(), expired.password(), 1);

        assertThat(run.exitCode()).isNotZero();
        assertThat(run.output()).contains("Cannot complete Allocation");
        assertThat(coturn.log()).contains("Cannot find credentials of user <" + expired.username() + ">");
    }

    private static void assertRelayed(Coturn.ClientRun run) {
        Matcher totals = TOTALS.matcher(run.output());
        String last = null;
        while (totals.find()) {
            last = totals.group();
        }
        assertThat(last).as(run.output()).isNotNull();
        Matcher counts = TOTALS.matcher(last);
        assertThat(counts.find()).isTrue();
        assertThat(Integer.parseInt(counts.group(1))).isPositive();
        assertThat(counts.group(2)).as("every packet came back through the relays").isEqualTo(counts.group(1));
        assertThat(run.output()).contains("Total lost packets 0 (0.000000%)");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> iceServers(TestServer server, String id) throws Exception {
        String query = java.net.URLEncoder.encode(id, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
        HttpProbe.Response response = HttpProbe.get(server.port(), "/ice-servers?finger=" + query);
        assertThat(response.status()).isEqualTo(200);
        Map<String, Object> body = new Json().toType(response.body(), Json.MAP_TYPE);
        return ((List<Map<String, Object>>) body.get("iceServers")).get(0);
    }

    private static TurnConfig turn(String secret, Duration ttl) {
        return new TurnConfig(secret, List.of(URI.create(coturn.udpUri())), ttl);
    }
}
