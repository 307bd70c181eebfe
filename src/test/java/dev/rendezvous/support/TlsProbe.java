package dev.rendezvous.support;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSession;

/**
 * One TLS handshake against the node with a client context the test chooses: old protocol
 * versions, CBC-only or RSA-key-exchange suites, ALPN offers. BoringSSL (through Netty's OpenSSL
 * provider) still speaks all of those as a client, unlike the JDK's defaults.
 */
public final class TlsProbe {

    /** What the handshake settled, or why it failed. */
    public record Result(Throwable failure, String protocol, String cipher, String alpn, BigInteger serial) {
        public boolean ok() {
            return failure == null;
        }
    }

    private TlsProbe() {
    }

    public static Result handshake(int port, SslContext client) throws InterruptedException {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        // Kept here: a refused handshake may close the channel (and empty its pipeline) before the
        // caller could look the handler up.
        AtomicReference<SslHandler> handler = new AtomicReference<>();
        try {
            Channel channel = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            handler.set(client.newHandler(ch.alloc(), "localhost", port));
                            ch.pipeline().addLast(handler.get());
                            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                @Override
                                public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                    ctx.close(); // the handshake future carries the failure
                                }
                            });
                        }
                    })
                    .connect("127.0.0.1", port).sync().channel();
            SslHandler tls = handler.get();
            Future<Channel> done = tls.handshakeFuture();
            if (!done.await(TestClient.WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("the TLS handshake neither finished nor failed within " + TestClient.WAIT);
            }
            Result result;
            if (done.isSuccess()) {
                SSLSession session = tls.engine().getSession();
                X509Certificate leaf;
                try {
                    leaf = (X509Certificate) session.getPeerCertificates()[0];
                } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                    throw new AssertionError(e);
                }
                result = new Result(null, session.getProtocol(), session.getCipherSuite(), tls.applicationProtocol(),
                        leaf.getSerialNumber());
            } else {
                result = new Result(done.cause(), null, null, null, null);
            }
            channel.close().sync();
            return result;
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).sync();
        }
    }
}
