package dev.rendezvous.support;

import dev.rendezvous.Rendezvous;
import dev.rendezvous.config.ServerConfig;
import java.time.Duration;

/** A node on 127.0.0.1 and a free port, in this JVM. */
public final class TestServer implements AutoCloseable {

    private final Rendezvous node;

    private TestServer(Rendezvous node) {
        this.node = node;
    }

    public static ServerConfig.Builder config() {
        return ServerConfig.builder().host("127.0.0.1").port(0).ioThreads(2).shutdownGrace(Duration.ofSeconds(2));
    }

    public static TestServer start() throws InterruptedException {
        return start(config().build());
    }

    public static TestServer start(ServerConfig config) throws InterruptedException {
        return new TestServer(Rendezvous.start(config));
    }

    public int port() {
        return node.port();
    }

    public Rendezvous node() {
        return node;
    }

    @Override
    public void close() {
        node.close();
    }
}
