package dev.rendezvous.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.SelectStrategy;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.io.File;
import java.net.URI;
import java.util.List;
import javax.net.ssl.SSLException;
import java.util.concurrent.TimeUnit;

/**
 * Opens WebSocket clients on one event loop (epoll when available). Each connection binds the
 * next of several loopback source addresses (127.0.0.x), so the generator is not limited to one
 * address's ~28k ephemeral ports. Only loopback targets are accepted. {@code wss://} targets get a
 * TLS client (BoringSSL when it loads) that trusts only the given certificate.
 */
final class Clients implements AutoCloseable {

    private static final int MAX_FRAME_BYTES = 1 << 20;

    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final List<String> sourceAddresses;
    private final Protocol protocol;
    private final SslContext tls;
    private int nextSource;

    Clients(Protocol protocol, List<String> sourceAddresses, boolean busyPoll, java.nio.file.Path tlsTrust) {
        this.protocol = protocol;
        this.tls = tlsTrust == null ? null : trusting(tlsTrust.toFile());
        this.sourceAddresses = List.copyOf(sourceAddresses);
        boolean epoll = Epoll.isAvailable();
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("bench-io", true),
                epoll ? epollHandlers(busyPoll) : NioIoHandler.newFactory());
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(32 * 1024, 64 * 1024));
        if (epoll) {
            // Choose the source port at connect(), unique per 4-tuple, instead of at bind(), where
            // the kernel needs a port free on that address and scans past every TIME_WAIT socket
            // left by earlier connections: that scan made the generator the limit in 'connect'.
            bootstrap.option(EpollChannelOption.IP_BIND_ADDRESS_NO_PORT, true);
        }
    }

    /** With busy polling the loop never sleeps: due sends leave on time and replies are read at once. */
    private static IoHandlerFactory epollHandlers(boolean busyPoll) {
        if (!busyPoll) {
            return EpollIoHandler.newFactory();
        }
        return EpollIoHandler.newFactory(0, () -> (selectSupplier, hasTasks) -> SelectStrategy.BUSY_WAIT);
    }

    private static SslContext trusting(File certificate) {
        try {
            return SslContextBuilder.forClient().trustManager(certificate).build();
        } catch (SSLException e) {
            throw new IllegalArgumentException("cannot build a TLS client trusting " + certificate + ": " + e, e);
        }
    }

    EventLoop loop() {
        return group.next();
    }

    /** Runs {@code task} on the clients' only event loop, where every socket's bookkeeping lives, and waits for it. */
    <T> T onLoop(java.util.concurrent.Callable<T> task) throws Exception {
        return loop().submit(task).get(60, TimeUnit.SECONDS);
    }

    /** Starts connecting {@code id} to {@code server}; the listener hears when it opens or fails. */
    BenchSocket connect(URI server, String id, BenchSocket.Listener listener) {
        Loopback.require(server.getHost());
        URI uri = URI.create(server.toString().replaceAll("/+$", "") + protocol.path(id));
        WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(
                uri, WebSocketVersion.V13, null, false, new DefaultHttpHeaders(), MAX_FRAME_BYTES);
        BenchSocket socket = new BenchSocket(id, handshaker, protocol, listener);
        boolean secure = "wss".equals(server.getScheme());
        if (secure && tls == null) {
            throw new IllegalArgumentException("a wss:// target needs --tls-trust");
        }
        Bootstrap b = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                if (secure) {
                    ch.pipeline().addLast(tls.newHandler(ch.alloc(), server.getHost(), server.getPort()));
                }
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192), socket);
            }
        });
        InetSocketAddress remote = new InetSocketAddress(server.getHost(), server.getPort());
        InetSocketAddress local = new InetSocketAddress(sourceAddresses.get(nextSource++ % sourceAddresses.size()), 0);
        ChannelFuture connecting = b.connect(remote, local);
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                socket.connectFailed(f.cause());
            }
        });
        return socket;
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
