package dev.rendezvous.support;

import dev.rendezvous.Rendezvous;
import dev.rendezvous.config.ServerConfig;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Rendezvous node on 127.0.0.1 for the tests of a class: registered on an instance field
 * ({@code @RegisterExtension final NodeUnderTest server = new NodeUnderTest();}) each test gets a
 * fresh node, so IDs released by one test's sockets cannot race the next test's claims; on a static
 * field the whole class shares one.
 */
public final class NodeUnderTest implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final ServerConfig.Builder config;
    private TestServer server;
    private boolean perClass;
    private int port;

    public NodeUnderTest() {
        this(TestServer.config());
    }

    /** A node with these settings ({@link TestServer#config()} and changes); its port is chosen here. */
    public NodeUnderTest(ServerConfig.Builder config) {
        this.config = config;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        perClass = true;
        start(Ports.freeForRestarts());
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        if (!perClass) {
            start(Ports.freeForRestarts());
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            stop();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stop();
    }

    /** The port of the running node, or of the last one when it has been stopped. */
    public int port() {
        return port;
    }

    /** The running node. */
    public Rendezvous node() {
        return server.node();
    }

    /** Stops the node, as a server going down would (its sockets get 1001). */
    public void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** Starts a node again on the port the stopped one had, as a restarted server would. */
    public void restartOnSamePort() throws InterruptedException {
        stop();
        start(port);
    }

    private void start(int wantedPort) throws InterruptedException {
        server = TestServer.start(config.port(wantedPort).build());
        port = server.port();
    }
}
