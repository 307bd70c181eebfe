package dev.rendezvous.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.config.AdminConfig;
import dev.rendezvous.support.Await;
import dev.rendezvous.support.HttpProbe;
import dev.rendezvous.support.TestClient;
import dev.rendezvous.support.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code /stats}: the figures, and IDs and addresses only for the bearer of {@code --admin-token}. */
class StatsTest {

    private static final String TOKEN = "s3cret-admin-token-4711";
    private static final String ALICE = "ibex-3141-alpha";
    private static final String BOB = "okapi-2718-beta";

    private static TestServer start(String token, boolean metrics) throws InterruptedException {
        return TestServer.start(TestServer.config().admin(new AdminConfig(-1, "127.0.0.1", token, metrics)).build());
    }

    private static HttpProbe.Response stats(int port, String... headers) throws Exception {
        HttpProbe.Response response = HttpProbe.get(port, "/stats", headers);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("content-type")).isEqualTo("application/json; charset=utf-8");
        return response;
    }

    @Test
    void reportsTheNodeWithoutIdsOrAddressesByDefault() throws Exception {
        try (TestServer server = start(null, true);
             TestClient alice = TestClient.connect(server.port(), ALICE);
             TestClient bob = TestClient.connect(server.port(), BOB)) {
            String json = stats(server.port(), "Authorization: Bearer " + TOKEN).body();

            assertThat(Json.fields(json)).containsEntry("mode", "single-node").containsEntry("node", "local")
                    .containsEntry("version", "dev");
            assertThat(number(json, "sockets")).isEqualTo(2);
            assertThat(number(json, "ids")).isEqualTo(2);
            assertThat(number(json, "uptimeSeconds")).isGreaterThanOrEqualTo(0);
            assertThat(json).contains("\"messagesPerSecond\"", "\"errorsPerSecond\"", "\"lastMinute\"")
                    .doesNotContain(ALICE, BOB, "127.0.0.1", "openSockets", "\"nodes\"");
        }
    }

    @Test
    void listsSocketsAndAddressesForTheBearerOfTheAdminToken() throws Exception {
        try (TestServer server = start(TOKEN, true);
             TestClient alice = TestClient.connect(server.port(), ALICE);
             TestClient bob = TestClient.connect(server.port(), BOB)) {
            String json = stats(server.port(), "Authorization: Bearer " + TOKEN).body();

            assertThat(json).contains("\"id\" : \"" + ALICE + "\"", "\"id\" : \"" + BOB + "\"",
                    "\"address\" : \"127.0.0.1\"", "\"openSocketsTruncated\" : false");
        }
    }

    @Test
    void withATokenSetShowsNoIdsToACallerWithoutOne() throws Exception {
        try (TestServer server = start(TOKEN, true);
             TestClient alice = TestClient.connect(server.port(), ALICE)) {
            String json = stats(server.port()).body();

            assertThat(number(json, "sockets")).isEqualTo(1);
            assertThat(json).doesNotContain(ALICE, "127.0.0.1", "openSockets");
        }
    }

    @Test
    void refusesAWrongTokenWith401() throws Exception {
        try (TestServer server = start(TOKEN, true);
             TestClient alice = TestClient.connect(server.port(), ALICE)) {
            for (String header : List.of("Authorization: Bearer " + TOKEN + "x", "Authorization: Bearer x",
                    "Authorization: Basic " + TOKEN, "Authorization: " + TOKEN)) {
                HttpProbe.Response response = HttpProbe.get(server.port(), "/stats", header);

                assertThat(response.status()).as(header).isEqualTo(401);
                assertThat(response.header("www-authenticate")).startsWith("Bearer");
                assertThat(response.body()).doesNotContain(ALICE);
            }
        }
    }

    @Test
    void countsTheLastMinutesMessagesAndErrorsSecondBySecond() throws Exception {
        try (TestServer server = start(null, true);
             TestClient alice = TestClient.connect(server.port(), ALICE);
             TestClient bob = TestClient.connect(server.port(), BOB)) {
            for (int i = 0; i < 7; i++) {
                alice.send("{\"to\":\"" + BOB + "\",\"n\":" + i + "}");
                bob.receive();
            }
            alice.send("{\"to\":\"nobody-here\"}");
            alice.receive();

            // The admin thread samples the counters once a second: await the second that holds them.
            Await.until(() -> sum(series(stats(server.port()).body(), "messages")) == 8,
                    "8 messages in the last minute");
            String json = stats(server.port()).body();

            assertThat(sum(series(json, "errors"))).isEqualTo(1);
            assertThat(series(json, "messages").size()).isBetween(1, 60);
            assertThat(decimal(json, "messagesPerSecond")).isPositive();
        }
    }

    @Test
    void withMetricsOffHasNoRates() throws Exception {
        try (TestServer server = start(null, false);
             TestClient alice = TestClient.connect(server.port(), ALICE)) {
            String json = stats(server.port()).body();

            assertThat(number(json, "sockets")).isEqualTo(1);
            assertThat(json).contains("\"messagesPerSecond\" : null", "\"errorsPerSecond\" : null")
                    .doesNotContain("lastMinute");
        }
    }

    static long number(String json, String field) {
        String value = Json.field(json, field);
        assertThat(value).as("%s in %s", field, json).isNotNull();
        return Long.parseLong(value);
    }

    private static double decimal(String json, String field) {
        String value = Json.field(json, field);
        assertThat(value).as("%s in %s", field, json).isNotNull();
        return Double.parseDouble(value);
    }

    /** The per-second series {@code lastMinute.<field>}. */
    private static List<Long> series(String json, String field) {
        Matcher matcher = Pattern.compile("\"" + field + "\" : \\[([^]]*)]").matcher(json);
        assertThat(matcher.find()).as("lastMinute.%s in %s", field, json).isTrue();
        List<Long> values = new ArrayList<>();
        for (String value : matcher.group(1).split(",")) {
            if (!value.isBlank()) {
                values.add(Long.parseLong(value.trim()));
            }
        }
        return values;
    }

    private static long sum(List<Long> values) {
        return values.stream().mapToLong(Long::longValue).sum();
    }
}
