package dev.rendezvous.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.rendezvous.support.Await;
import dev.rendezvous.support.NodeProcess;
import dev.rendezvous.support.RawWebSocket;
import dev.rendezvous.support.RedisServer;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code --log-format json} against the jar: every line of a real run — start, connects at debug,
 * refusals, a Redis outage (the node's ERROR and Lettuce's own lines), shutdown — is one JSON
 * object, and no line carries a message body, a token or a session key, however they reach the node.
 */
class JsonLogIT {

    private static final JsonFactory JSON = new JsonFactory();

    private static final String TOKEN = "tok7Qx2Lw9Vb4Kd8";
    private static final String SESSION_KEY = "ssk5Hn3Rc8Mz1Pf6Ta0Wq7Ue";
    /** Another tab's key: the second socket for json-a must be refused (4409), not take the ID over. */
    private static final String OTHER_KEY = "osk2Jm4Xb6Nv8Qc1Ld3Fh5Gk";
    /** Not a valid session key (too short, a space): refused with 400, and not logged either. */
    private static final String BAD_KEY = "bsk9 Pz";
    private static final String BEARER = "brr2Gt6Yh1Ns9Wq4";
    private static final String SDP_MARK = "sdpbody-o8Jd3Ue5";
    private static final String CANDIDATE_MARK = "127.0.0.77";
    private static final List<String> SECRETS = List.of(TOKEN, SESSION_KEY, OTHER_KEY, "bsk9", BEARER, SDP_MARK,
            CANDIDATE_MARK, "a=candidate", "v=0");

    private static final String SECRET_QUERY = "&token=" + TOKEN + "&session=" + SESSION_KEY;
    private static final String BEARER_HEADER = "Authorization: Bearer " + BEARER;

    @Test
    void everyLineOfARealRunIsOneJsonObjectAndNoneCarriesASecret() throws Exception {
        try (RedisServer redis = RedisServer.start();
             NodeProcess node = NodeProcess.start("--log-format", "json", "--log-level", "debug",
                     "--redis", redis.uri().toString(), "--node-id", "json-node", "--lease-ttl", "3s")) {
            try (RawWebSocket a = open(node.port(), "json-a");
                 RawWebSocket b = open(node.port(), "json-b")) {
                relayACall(a, b);
                sendBadInput(node.port(), a);

                redis.kill();
                Await.until(() -> node.output().contains("\"level\":\"ERROR\""), "the node logs the outage");
                try (RawWebSocket refused = open(node.port(), "json-c")) {
                    assertThat(refused.readUntilClose().closeCode()).as("no directory, no claim").isEqualTo(1013);
                }
                redis.startAgain();
                Await.until(() -> node.output().contains("renewed again"), "the node logs the recovery");
            }
            Await.until(() -> node.output().contains("peer=json-b disconnected"), "the disconnects are logged");
            assertThat(node.terminate(10)).isZero();

            List<Map<String, String>> lines = parse(node.output());
            assertThat(lines).anySatisfy(line -> assertThat(line.get("formattedMessage")).contains("listening on"));
            assertThat(lines).anySatisfy(line -> {
                assertThat(line.get("level")).isEqualTo("DEBUG");
                assertThat(line.get("formattedMessage")).startsWith("peer=json-a connected from");
            });
            assertThat(lines).anySatisfy(line ->
                    assertThat(line.get("formattedMessage")).isEqualTo("peer=json-a refused: id taken"));
            assertThat(lines).anySatisfy(line ->
                    assertThat(line.get("formattedMessage")).startsWith("refused upgrade from"));
            assertThat(lines).anySatisfy(line -> {
                assertThat(line.get("level")).isEqualTo("ERROR");
                assertThat(line.get("formattedMessage")).startsWith("cannot renew");
            });
            assertThat(lines).anySatisfy(line -> assertThat(line.get("formattedMessage"))
                    .isEqualTo("peer=json-c refused: id directory unavailable"));
            assertThat(lines).as("a library's own lines go through the same encoder")
                    .anySatisfy(line -> assertThat(line.get("loggerName")).startsWith("io.lettuce"));
            assertThat(lines).anySatisfy(line -> assertThat(line.get("formattedMessage")).startsWith("stopped:"));
            assertThat(node.output()).doesNotContain(SECRETS);
        }
    }

    /** Connects with a token and a session key in the query and a bearer token in a header. */
    private static RawWebSocket open(int port, String id) throws IOException {
        RawWebSocket socket = RawWebSocket.open(port, "/websocket/?finger=" + id + SECRET_QUERY, BEARER_HEADER);
        assertThat(socket.upgraded()).as(socket.statusLine()).isTrue();
        return socket;
    }

    private static void relayACall(RawWebSocket a, RawWebSocket b) throws IOException {
        String offer = "{\"to\":\"json-b\",\"from\":\"json-a\",\"type\":\"offer\",\"sdp\":\"v=0\\r\\no=- 46117 2 IN IP4 "
                + CANDIDATE_MARK + "\\r\\ns=" + SDP_MARK + "\\r\\n\",\"token\":\"" + TOKEN + "\"}";
        String answer = "{\"to\":\"json-a\",\"from\":\"json-b\",\"type\":\"answer\",\"sdp\":\"v=0\\r\\ns=" + SDP_MARK
                + "\\r\\n\",\"session\":\"" + SESSION_KEY + "\"}";
        String candidate = "{\"to\":\"json-b\",\"type\":\"candidate\",\"candidate\":\"a=candidate:1 1 udp 2122260223 "
                + CANDIDATE_MARK + " 54321 typ host\"}";
        a.sendText(offer);
        assertThat(b.readAnsweringPings().text()).isEqualTo(offer);
        b.sendText(answer);
        assertThat(a.readAnsweringPings().text()).isEqualTo(answer);
        a.sendText(candidate);
        assertThat(b.readAnsweringPings().text()).isEqualTo(candidate);
    }

    /** Input the node refuses, each carrying the secrets: its debug lines name the refusal only. */
    private static void sendBadInput(int port, RawWebSocket a) throws IOException {
        a.sendText("{\"to\":\"json-b\",\"sdp\":\"" + SDP_MARK + "\",\"token\":\"" + TOKEN + "\",}");
        assertThat(a.readAnsweringPings().text()).contains("bad-json");
        a.sendText("{\"to\":\"nobody\",\"sdp\":\"" + SDP_MARK + "\",\"session\":\"" + SESSION_KEY + "\"}");
        assertThat(a.readAnsweringPings().text()).contains("peer-unavailable");
        a.sendText("{\"from\":\"json-a\",\"sdp\":\"" + SDP_MARK + " " + CANDIDATE_MARK + "\"}");
        assertThat(a.readAnsweringPings().text()).contains("missing-to");
        a.sendText("{\"to\":\"json-b\",\"from\":\"json-b\",\"sdp\":\"" + SDP_MARK + "\",\"token\":\"" + TOKEN + "\"}");
        assertThat(a.readAnsweringPings().text()).contains("from-mismatch");
        try (RawWebSocket taken = RawWebSocket.open(port, "/websocket/?finger=json-a&token=" + TOKEN
                + "&session=" + OTHER_KEY, BEARER_HEADER)) {
            assertThat(taken.readUntilClose().closeCode()).isEqualTo(4409);
        }
        String badKeyQuery = "/websocket/?finger=json-d&session=" + BAD_KEY.replace(" ", "%20");
        try (RawWebSocket badKey = RawWebSocket.open(port, badKeyQuery, BEARER_HEADER)) {
            assertThat(badKey.statusLine()).contains("400");
        }
        try (RawWebSocket noFinger = RawWebSocket.open(port, "/websocket/?token=" + TOKEN + "&session=" + SESSION_KEY,
                BEARER_HEADER)) {
            assertThat(noFinger.statusLine()).contains("400");
        }
    }

    /** Each line as one JSON object (nothing before or after it), with its top-level text fields. */
    private static List<Map<String, String>> parse(String output) throws IOException {
        List<Map<String, String>> lines = new ArrayList<>();
        for (String line : output.lines().toList()) {
            Map<String, String> fields = new LinkedHashMap<>();
            try (JsonParser parser = JSON.createParser(line)) {
                assertThat(parser.nextToken()).as("an object: %s", line).isEqualTo(JsonToken.START_OBJECT);
                while (parser.nextToken() == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if (value.isScalarValue()) {
                        fields.put(name, parser.getText());
                    }
                    parser.skipChildren();
                }
                assertThat(parser.currentToken()).as("the object ends: %s", line).isEqualTo(JsonToken.END_OBJECT);
                assertThat(parser.nextToken()).as("nothing after the object: %s", line).isNull();
            }
            assertThat(fields).as(line).containsKeys("timestamp", "level", "threadName", "loggerName",
                    "formattedMessage");
            assertThat(Long.parseLong(fields.get("timestamp"))).as("epoch milliseconds").isPositive();
            lines.add(fields);
        }
        assertThat(lines).isNotEmpty();
        return lines;
    }
}
