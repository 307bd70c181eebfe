package dev.rendezvous.transport;

import dev.rendezvous.metrics.AdminConsole;
import dev.rendezvous.metrics.AdminConsole.OpenSocket;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /stats}: the node at a glance, as JSON (see the README's "Admin port and /stats"). IDs and
 * client addresses appear only for a request that presents {@code --admin-token} as a bearer
 * token; a wrong token is 401. Built on the admin thread, like a scrape.
 */
final class StatsEndpoint implements HttpEndpoint {

    private static final Logger log = LoggerFactory.getLogger(StatsEndpoint.class);

    private final AdminConsole console;
    private final OpenSessions sessions;
    private final AdminToken token;

    /** @param token null when no {@code --admin-token} is set: nobody sees IDs or addresses */
    StatsEndpoint(AdminConsole console, OpenSessions sessions, String token) {
        this.console = console;
        this.sessions = sessions;
        this.token = token == null ? null : new AdminToken(token);
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        AdminToken.Access access = token == null ? AdminToken.Access.ANONYMOUS : token.check(authorization);
        if (access == AdminToken.Access.DENIED) {
            log.info("refused /stats from {}: wrong admin token", ctx.channel().remoteAddress());
            HttpResponses.unauthorized(ctx, request, "admin");
            return;
        }
        Supplier<Iterable<OpenSocket>> listing = access == AdminToken.Access.AUTHORIZED ? this::openSockets : null;
        FullHttpRequest held = request.retain();
        ctx.channel().config().setAutoRead(false);
        console.stats(sessions::size, listing).whenComplete((json, failure) -> {
            try {
                if (failure != null) {
                    log.error("/stats failed", failure);
                    HttpResponses.text(ctx, held, HttpResponseStatus.INTERNAL_SERVER_ERROR, "stats failed");
                } else {
                    HttpResponses.send(ctx, held, HttpResponseStatus.OK, "application/json; charset=utf-8",
                            Unpooled.wrappedBuffer(json));
                }
            } finally {
                held.release();
                ctx.channel().config().setAutoRead(true);
            }
        });
    }

    private Iterable<OpenSocket> openSockets() {
        List<OpenSocket> listed = new ArrayList<>();
        for (WebSocketSession session : sessions.all()) {
            if (listed.size() > AdminConsole.MAX_LISTED_SOCKETS) {
                break;
            }
            // The address the node took: the TCP peer, or the client a trusted proxy named.
            listed.add(new OpenSocket(session.id().value(), session.clientAddress()));
        }
        return listed;
    }
}
