package dev.rendezvous.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.config.TurnConfig;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The two seams admission plugs into: the grant check and the origin check, on the endpoint alone. */
class IceServersEndpointTest {

    private static final TurnConfig TURN = new TurnConfig("s3cret", List.of(URI.create("turn:127.0.0.1:3478")),
            Duration.ofMinutes(5));
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);

    /** What came back, copied out of the released response. */
    private record Reply(int status, io.netty.handler.codec.http.HttpHeaders headers, String body) {
    }

    @Test
    void theGrantCheckSeesTheRequestTheQueryAndTheDecodedIdAndARefusalIs401() {
        List<String> asked = new ArrayList<>();
        GrantCheck onlyAlice = (request, rawQuery, id) -> {
            asked.add(request.headers().get("Authorization") + " | " + rawQuery + " | " + id);
            return CompletableFuture.completedFuture(id.equals("alice"));
        };
        IceServersEndpoint endpoint = new IceServersEndpoint("[]", TURN, origin -> true, onlyAlice, CLOCK);

        Reply refused = exchange(endpoint, "/ice-servers?finger=bob&token=t1", Map.of("Authorization", "Bearer t1"));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.headers().get("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(refused.body()).doesNotContain("credential");

        Reply admitted = exchange(endpoint, "/ice-servers?finger=alice", Map.of("Authorization", "Bearer t2"));
        assertThat(admitted.status()).isEqualTo(200);
        assertThat(admitted.body()).contains("\"username\":\"1700000300:alice\"");

        assertThat(asked).containsExactly("Bearer t1 | finger=bob&token=t1 | bob", "Bearer t2 | finger=alice | alice");
    }

    @Test
    void theOriginCheckDecidesBeforeAnythingIsMinted() {
        List<String> origins = new ArrayList<>();
        OriginCheck onlyApp = origin -> {
            origins.add(origin);
            return origin.equals("https://app.example");
        };
        IceServersEndpoint endpoint = new IceServersEndpoint("[]", TURN, onlyApp, GrantCheck.OFF, CLOCK);

        Reply refused = exchange(endpoint, "/ice-servers?finger=a", Map.of("Origin", "https://evil.example"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(refused.headers().contains("Access-Control-Allow-Origin")).isFalse();
        assertThat(refused.body()).doesNotContain("credential");

        Reply allowed = exchange(endpoint, "/ice-servers?finger=a", Map.of("Origin", "https://app.example"));
        assertThat(allowed.status()).isEqualTo(200);
        assertThat(allowed.headers().get("Access-Control-Allow-Origin")).isEqualTo("https://app.example");

        assertThat(origins).containsExactly("https://evil.example", "https://app.example");
    }

    private static Reply exchange(IceServersEndpoint endpoint, String uri, Map<String, String> headers) {
        EmbeddedChannel channel = new EmbeddedChannel(
                new HttpRequestHandler(null, Map.of(IceServersEndpoint.PATH, endpoint)));
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
        headers.forEach(request.headers()::set);
        channel.writeInbound(request);
        FullHttpResponse response = channel.readOutbound();
        try {
            return new Reply(response.status().code(), response.headers().copy(),
                    response.content().toString(StandardCharsets.UTF_8));
        } finally {
            response.release();
            assertThat(channel.finishAndReleaseAll()).isFalse();
        }
    }
}
