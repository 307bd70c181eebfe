package dev.rendezvous.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;

/** Native epoll on Linux when its library loads, NIO everywhere else. */
record IoTransport(String name, IoHandlerFactory handlers, Class<? extends ServerChannel> serverChannel) {

    static IoTransport best() {
        if (Epoll.isAvailable()) {
            return new IoTransport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class);
        }
        return new IoTransport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class);
    }

    EventLoopGroup newGroup(int threads, String threadPrefix) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(threadPrefix, true), handlers);
    }
}
