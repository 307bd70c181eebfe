package dev.rendezvous.transport;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rendezvous.support.TestClient;
import dev.rendezvous.support.TestServer;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void relays() throws Exception {
        try (TestServer server = TestServer.start();
             TestClient a = TestClient.connect(server.port(), "A");
             TestClient b = TestClient.connect(server.port(), "B")) {
            String msg = "{\"to\":\"B\",\"from\":\"A\",\"type\":\"offer\",\"sdp\":\"x\"}";
            a.send(msg);
            assertThat(b.receive()).isEqualTo(msg);
            a.send("{\"to\":\"C\"}");
            assertThat(a.receive()).contains("peer-unavailable");
        }
    }
}
