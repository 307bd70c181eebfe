package dev.rendezvous.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rendezvous.support.HttpProbe;
import dev.rendezvous.support.TestServer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The demo assets over real HTTP: types, revalidation, HEAD, and nothing outside the explicit map. */
class DemoPageEndpointsTest {

    private TestServer server;

    @BeforeEach
    void start() throws InterruptedException {
        server = TestServer.start(TestServer.config()
                .iceServers("[{\"urls\":\"stun:127.0.0.1:3478\"}]").build());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/              | text/html; charset=utf-8       | <!doctype html>",
            "/index.html    | text/html; charset=utf-8       | <!doctype html>",
            "/rendezvous.js | text/javascript; charset=utf-8 | export class RendezvousClient",
            "/app.js        | text/javascript; charset=utf-8 | from './rendezvous.js'",
            "/style.css     | text/css; charset=utf-8        | :root",
    })
    void servesEachAssetWithItsType(String path, String contentType, String excerpt) throws Exception {
        HttpProbe.Response response = HttpProbe.get(server.port(), path);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo(contentType);
        assertThat(response.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(response.header("ETag")).matches("\"[0-9a-f]{24}\"");
        assertThat(response.body()).contains(excerpt);
    }

    @Test
    void thePageAllowsOnlyItsOwnScripts() throws Exception {
        HttpProbe.Response response = HttpProbe.get(server.port(), "/");

        assertThat(response.header("Content-Security-Policy")).startsWith("default-src 'self';");
    }

    @Test
    void configCarriesTheIceServersVerbatim() throws Exception {
        HttpProbe.Response response = HttpProbe.get(server.port(), "/config.json");

        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(response.header("Cache-Control")).isEqualTo("no-cache");
        assertThat(response.header("ETag")).matches("\"[0-9a-f]{24}\"");
        assertThat(response.body()).isEqualTo("{\"iceServers\":[{\"urls\":\"stun:127.0.0.1:3478\"}],\"turn\":false}");
    }

    @Test
    void aMatchingEtagGets304WithoutABody() throws Exception {
        String etag = HttpProbe.get(server.port(), "/rendezvous.js").header("ETag");

        HttpProbe.Response response = HttpProbe.get(server.port(), "/rendezvous.js", "If-None-Match: " + etag);

        assertThat(response.status()).isEqualTo(304);
        assertThat(response.body()).isEmpty();
        assertThat(response.header("ETag")).isEqualTo(etag);
    }

    @Test
    void headSendsTheLengthButNoBody() throws Exception {
        HttpProbe.Response full = HttpProbe.get(server.port(), "/style.css");
        HttpProbe.Response head;
        try (HttpProbe probe = new HttpProbe(server.port())) {
            head = probe.request("HEAD", "/style.css");
        }

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.header("Content-Length"))
                .isEqualTo(String.valueOf(full.body().getBytes(StandardCharsets.UTF_8).length));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/../pom.xml", "/web/app.js", "/logback.xml", "/%2e%2e/logback.xml", "/app.js/",
            "/favicon.ico", "//app.js"})
    void nothingOutsideTheMapIsServed(String path) throws Exception {
        assertThat(HttpProbe.get(server.port(), path).status()).isEqualTo(404);
    }

    @Test
    void malformedIceServersFailTheStart() {
        assertThatThrownBy(() -> DemoPage.endpoints("[{\"urls\":]"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> DemoPage.endpoints("[] []"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("after the array");
    }
}
