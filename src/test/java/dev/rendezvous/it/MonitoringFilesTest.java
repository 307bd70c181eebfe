package dev.rendezvous.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.rendezvous.admission.RefusalCause;
import dev.rendezvous.support.Await;
import dev.rendezvous.support.MetricsScrape;
import dev.rendezvous.support.Promtool;
import dev.rendezvous.support.RedisServer;
import dev.rendezvous.support.TestClient;
import dev.rendezvous.support.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/prometheus/alerts.yml and deploy/grafana/rendezvous.json against the real tools and real
 * scrapes: the rules pass {@code promtool check rules} and their unit tests, the dashboard's
 * queries parse, a scrape of a single node and of a cluster node after real traffic passes
 * {@code promtool check metrics} without a finding, and every metric the rules and the dashboard
 * name is in those scrapes.
 */
class MonitoringFilesTest {

    private static final Path ALERTS = Path.of("deploy/prometheus/alerts.yml");
    private static final Path ALERT_TESTS = Path.of("deploy/prometheus/alerts_test.yml");
    private static final Path DASHBOARD = Path.of("deploy/grafana/rendezvous.json");
    private static final Pattern METRIC = Pattern.compile("rendezvous_[a-z0-9_]+");

    private static Promtool promtool;
    private static RedisServer redis;
    private static String singleNodeScrape;
    private static String clusterNodeScrape;

    @BeforeAll
    static void scrapeNodesAfterTraffic() throws Exception {
        promtool = Promtool.find();
        try (TestServer node = TestServer.start(TestServer.config().pingInterval(Duration.ofMillis(200)).build())) {
            singleNodeScrape = scrapeAfterTraffic(node.port(), node.port(), node, "rendezvous_relay_latency_seconds");
        }
        redis = RedisServer.start();
        try (TestServer a = TestServer.start(TestServer.config().redis(redis.uri()).nodeId("lint-a")
                .pingInterval(Duration.ofMillis(200)).build());
             TestServer b = TestServer.start(TestServer.config().redis(redis.uri()).nodeId("lint-b").build())) {
            // Lettuce times a command when its reply arrives, which may be after bob has the message.
            clusterNodeScrape = scrapeAfterTraffic(a.port(), b.port(), a, "command=\"PUBLISH\"");
        }
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    /**
     * Messages (across the cluster when the ports differ), an error frame, a refusal, a close and
     * an answered ping, then the scrape of {@code scraped} once it contains {@code awaited} too.
     */
    private static String scrapeAfterTraffic(int alicePort, int bobPort, TestServer scraped, String awaited)
            throws Exception {
        try (TestClient alice = TestClient.connect(alicePort, "lint-alice");
             TestClient bob = TestClient.connect(bobPort, "lint-bob")) {
            alice.send("{\"to\":\"lint-bob\",\"type\":\"offer\"}");
            assertThat(bob.receive()).contains("offer");
            alice.send("{\"to\":\"lint-nobody\"}");
            assertThat(alice.receive()).contains("peer-unavailable");
            scraped.node().refusals().refused(RefusalCause.HANDSHAKE_RATE);
            try (TestClient twin = TestClient.connect(alicePort, "lint-alice")) {
                assertThat(twin.awaitClose().code()).isEqualTo(4409);
            }
            Await.until(() -> MetricsScrape.of(scraped.port()).value("rendezvous_ping_round_trip_seconds_count") > 0
                    && MetricsScrape.of(scraped.port()).text().contains(awaited), "a ping answered and " + awaited);
            return MetricsScrape.of(scraped.port()).text();
        }
    }

    @Test
    void theRulesPassPromtool() throws Exception {
        Promtool.Result result = promtool.run(null, "check", "rules", ALERTS.toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("SUCCESS: 5 rules found");
    }

    @Test
    void theRulesFireWhenTheirUnitTestsSayAndOnlyThen() throws Exception {
        Promtool.Result result = promtool.run(null, "test", "rules", ALERT_TESTS.toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void theDashboardsQueriesParse() throws Exception {
        // promtool checks PromQL inside rule files: each query becomes a recording rule, with
        // Grafana's variables replaced by values they take.
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        List<String> queries = dashboardQueries();
        for (int i = 0; i < queries.size(); i++) {
            String query = queries.get(i).replace("$__rate_interval", "1m").replace("$instance", ".*");
            rules.append("      - record: dashboard:query").append(i).append("\n        expr: '")
                    .append(query.replace("'", "''")).append("'\n");
        }
        Path file = Files.createTempFile("dashboard-rules-", ".yml");
        try {
            Files.writeString(file, rules);
            Promtool.Result result = promtool.run(null, "check", "rules", file.toString());

            assertThat(queries).hasSizeGreaterThan(20);
            assertThat(result.exitCode()).as(result.output()).isZero();
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void aSingleNodesScrapePassesTheLintWithoutAFinding() throws Exception {
        Promtool.Result result = promtool.run(singleNodeScrape, "check", "metrics");

        assertThat(result.output()).isEmpty();
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void aClusterNodesScrapePassesTheLintWithoutAFinding() throws Exception {
        Promtool.Result result = promtool.run(clusterNodeScrape, "check", "metrics");

        assertThat(clusterNodeScrape).contains("rendezvous_redis_command_seconds_bucket{command=\"PUBLISH\"");
        assertThat(result.output()).isEmpty();
        assertThat(result.exitCode()).isZero();
    }

    @Test
    void everyMetricTheRulesAndTheDashboardNameIsInTheScrapes() throws Exception {
        Set<String> scraped = new TreeSet<>(MetricsScrape.parse(singleNodeScrape).names());
        scraped.addAll(MetricsScrape.parse(clusterNodeScrape).names());

        Set<String> inRules = names(ruleExpressions());
        Set<String> inDashboard = names(dashboardQueries());

        assertThat(inRules).contains("rendezvous_redis_reachable", "rendezvous_sockets_max",
                "rendezvous_closes_total", "rendezvous_refusals_total", "rendezvous_errors_total");
        assertThat(scraped).containsAll(inRules);
        assertThat(inDashboard).hasSizeGreaterThan(25);
        assertThat(scraped).containsAll(inDashboard);
    }

    @Test
    void theReadmesMetricsTableNamesEveryMetricOfTheScrapes() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        Set<String> families = new TreeSet<>();
        for (String scrape : List.of(singleNodeScrape, clusterNodeScrape)) {
            Matcher type = Pattern.compile("^# TYPE (rendezvous_[a-z0-9_]+) ", Pattern.MULTILINE).matcher(scrape);
            while (type.find()) {
                families.add(type.group(1));
            }
        }

        assertThat(families).hasSizeGreaterThan(40);
        assertThat(families).allSatisfy(family -> assertThat(readme).contains("`" + family + "`"));
    }

    private static Set<String> names(List<String> expressions) {
        Set<String> names = new TreeSet<>();
        for (String expression : expressions) {
            Matcher metric = METRIC.matcher(expression);
            while (metric.find()) {
                names.add(metric.group());
            }
        }
        return names;
    }

    /** The {@code expr:} of every rule, single-line or a block scalar ({@code expr: |}). */
    private static List<String> ruleExpressions() throws IOException {
        List<String> expressions = new ArrayList<>();
        List<String> lines = Files.readAllLines(ALERTS);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int at = line.indexOf("expr:");
            if (at < 0 || line.trim().startsWith("#")) {
                continue;
            }
            String value = line.substring(at + "expr:".length()).trim();
            if (!value.equals("|")) {
                expressions.add(value);
                continue;
            }
            StringBuilder block = new StringBuilder();
            while (i + 1 < lines.size() && indent(lines.get(i + 1)) > at) {
                block.append(lines.get(++i).trim()).append('\n');
            }
            expressions.add(block.toString());
        }
        assertThat(expressions).hasSize(5);
        return expressions;
    }

    private static int indent(String line) {
        int spaces = 0;
        while (spaces < line.length() && line.charAt(spaces) == ' ') {
            spaces++;
        }
        return line.isBlank() ? Integer.MAX_VALUE : spaces;
    }

    /** Every {@code "expr"} string in the dashboard. */
    private static List<String> dashboardQueries() throws IOException {
        List<String> queries = new ArrayList<>();
        try (JsonParser parser = new JsonFactory().createParser(DASHBOARD.toFile())) {
            JsonToken token;
            while ((token = parser.nextToken()) != null) {
                if (token == JsonToken.FIELD_NAME && parser.currentName().equals("expr")
                        && parser.nextToken() == JsonToken.VALUE_STRING) {
                    queries.add(parser.getText());
                }
            }
        }
        return queries;
    }
}
