package dev.rendezvous.browser;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Serves one test-only page from src/test/resources on 127.0.0.1 and a free port: a second origin,
 * as the seed's users have (their page is not served by the signaling server).
 */
final class TestPages implements AutoCloseable {

    private final HttpServer server;

    private TestPages(HttpServer server) {
        this.server = server;
    }

    static TestPages serve(String path, String resource) {
        byte[] body = load(resource);
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext(path, exchange -> {
                boolean exact = exchange.getRequestURI().getPath().equals(path);
                exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
                exchange.sendResponseHeaders(exact ? 200 : 404, exact ? body.length : -1);
                try (OutputStream out = exchange.getResponseBody()) {
                    if (exact) {
                        out.write(body);
                    }
                }
            });
            server.start();
            return new TestPages(server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static byte[] load(String resource) {
        try (InputStream in = TestPages.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
