package dev.rendezvous.browser;

import dev.rendezvous.config.TurnConfig;
import dev.rendezvous.support.Coturn;
import dev.rendezvous.support.TestServer;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * A node that hands out TURN credentials ({@code /ice-servers}) for a real coturn on 127.0.0.1, for
 * the browser tests whose calls must go through a relay. One per test class.
 */
final class TurnNode implements AutoCloseable {

    private final Coturn coturn;
    private final TestServer server;

    private TurnNode(Coturn coturn, TestServer server) {
        this.coturn = coturn;
        this.server = server;
    }

    static TurnNode start(String secret, Duration credentialTtl) throws Exception {
        Coturn coturn = Coturn.start(secret);
        try {
            return new TurnNode(coturn, TestServer.start(TestServer.config()
                    .turn(new TurnConfig(secret, List.of(URI.create(coturn.udpUri())), credentialTtl)).build()));
        } catch (Exception | Error e) {
            coturn.close();
            throw e;
        }
    }

    String turnUri() {
        return coturn.udpUri();
    }

    /** The demo page as {@code id}, signalling loopback candidates only and relaying every call ({@code relay=1}). */
    String relayDemoUrl(String id) {
        return "http://127.0.0.1:" + server.port() + "/?loopback=1&relay=1&id=" + id;
    }

    @Override
    public void close() {
        server.close();
        coturn.close();
    }
}
