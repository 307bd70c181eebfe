package dev.rendezvous.browser;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on 127.0.0.1 in front of a node, that can make the WebSocket connections open
 * through it go silent towards the node, as a dead mobile network or a load balancer that has not
 * noticed the client leave would: the node keeps the old socket (and its ID) open, the browser's
 * close frame never arrives, and a reloaded page must take its ID back from it.
 */
final class StallingProxy implements AutoCloseable {

    private final ServerSocket listener;
    private final int upstreamPort;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private final class Link {
        final Socket client;
        final Socket upstream;
        volatile String requestLine = "";
        volatile boolean stalled;

        Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }

        void closeBoth() {
            try {
                client.close();
                upstream.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    StallingProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::acceptLoop, "stalling-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return listener.getLocalPort();
    }

    /**
     * From now on nothing more of the WebSockets open so far for {@code finger} (as the page writes
     * it in the URL) reaches the node, and their upstream stays open.
     */
    void stallWebSockets(String finger) {
        String prefix = "GET /websocket/?finger=" + finger;
        links.stream().filter(link -> link.requestLine.startsWith(prefix + "&") || link.requestLine.startsWith(prefix + " "))
                .forEach(link -> link.stalled = true);
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket upstream = new Socket();
                upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort), 5000);
                Link link = new Link(client, upstream);
                links.add(link);
                pump(link, client.getInputStream(), upstream.getOutputStream(), true);
                pump(link, upstream.getInputStream(), client.getOutputStream(), false);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Link link, InputStream in, OutputStream out, boolean towardsNode) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            boolean first = true;
            try {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    if (towardsNode && first) {
                        String head = new String(buffer, 0, read, StandardCharsets.ISO_8859_1);
                        int end = head.indexOf("\r\n");
                        link.requestLine = end < 0 ? head : head.substring(0, end);
                        first = false;
                    }
                    if (link.stalled) {
                        // Towards the node: swallowed. Towards the browser: it may have gone; keep
                        // reading so the node's socket stays open, as a silent network would.
                        if (!towardsNode) {
                            try {
                                out.write(buffer, 0, read);
                            } catch (IOException gone) {
                                // the browser left; the node must not notice
                            }
                        }
                        continue;
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException e) {
                // one side went away
            }
            if (!link.stalled) {
                link.closeBoth();
            }
        }, "stalling-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        listener.close();
        links.forEach(Link::closeBoth);
    }
}
