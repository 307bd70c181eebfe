package dev.rendezvous.transport;

import dev.rendezvous.config.TurnConfig;
import dev.rendezvous.protocol.IceServersJson;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * {@code GET /ice-servers?finger=<ID>}: the ICE servers for one peer, with TURN credentials minted
 * for its ID when {@code --turn-secret} is set (see {@link TurnCredentials}), then the static
 * {@code --ice-servers}. Never cached. Pages usually live on another origin, so the answer carries
 * CORS headers for an allowed {@code Origin}, and a preflight ({@code OPTIONS}, which a page's
 * {@code Authorization} header triggers) is answered. A request from an origin that is not allowed
 * is refused with 403 before anything is minted.
 */
public final class IceServersEndpoint implements HttpEndpoint {

    public static final String PATH = "/ice-servers";

    private static final String JSON = "application/json";
    private static final String ALLOWED_METHODS = "GET, HEAD, OPTIONS";
    private static final String PREFLIGHT_MAX_AGE_SECONDS = "600";

    private final String staticServers;
    private final TurnCredentials credentials;
    private final List<String> turnUrls;
    private final OriginCheck origins;
    private final GrantCheck grants;
    private final Clock clock;

    public IceServersEndpoint(String staticServersJson, TurnConfig turn, OriginCheck origins, GrantCheck grants,
            Clock clock) {
        this.staticServers = IceServersJson.requireArray(staticServersJson);
        this.credentials = turn.enabled() ? new TurnCredentials(turn) : null;
        this.turnUrls = turn.uris().stream().map(URI::toString).toList();
        this.origins = origins;
        this.grants = grants;
        this.clock = clock;
    }

    @Override
    public boolean accepts(HttpMethod method) {
        return HttpEndpoint.super.accepts(method) || HttpMethod.OPTIONS.equals(method);
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        String origin = request.headers().get(HttpHeaderNames.ORIGIN);
        if (origin != null && !origins.allows(origin)) {
            reply(ctx, request, HttpResponseStatus.FORBIDDEN, "origin not allowed", Map.of());
            return;
        }
        Map<String, String> cors = origin == null ? Map.of() : corsHeaders(origin);
        if (HttpMethod.OPTIONS.equals(request.method())) {
            Map<String, String> headers = new HashMap<>(cors);
            headers.put("Allow", ALLOWED_METHODS);
            if (origin != null) {
                headers.put("Access-Control-Allow-Methods", ALLOWED_METHODS);
                headers.put("Access-Control-Allow-Headers", "Authorization");
                headers.put("Access-Control-Max-Age", PREFLIGHT_MAX_AGE_SECONDS);
            }
            HttpResponses.send(ctx, request, HttpResponseStatus.NO_CONTENT, "text/plain; charset=utf-8",
                    Unpooled.EMPTY_BUFFER, headers);
            return;
        }
        String uri = request.uri();
        int queryStart = uri.indexOf('?');
        String rawQuery = queryStart < 0 ? null : uri.substring(queryStart + 1);
        FingerParameter.Result finger = FingerParameter.parse(rawQuery,
                "missing finger parameter: ask " + PATH + "?finger=<ID>");
        if (finger.id() == null) {
            reply(ctx, request, HttpResponseStatus.BAD_REQUEST, finger.problem(), cors);
            return;
        }
        String id = finger.id().value();
        CompletableFuture<Boolean> admitted = grants.admits(request, rawQuery, id).toCompletableFuture();
        if (admitted.isDone()) {
            answer(ctx, request, id, cors, admitted.getNow(false));
            return;
        }
        // A grant that needs a key fetch: answer from the event loop once it is decided, reading
        // nothing more meanwhile (as the upgrader does).
        ctx.channel().config().setAutoRead(false);
        FullHttpRequest held = request.retain();
        admitted.whenComplete((ok, failure) -> ctx.channel().eventLoop().execute(() -> {
            try {
                if (ctx.channel().isActive()) {
                    answer(ctx, held, id, cors, failure == null && ok);
                }
            } finally {
                held.release();
                ctx.channel().config().setAutoRead(true);
            }
        }));
    }

    private void answer(ChannelHandlerContext ctx, FullHttpRequest request, String id, Map<String, String> cors,
            boolean admitted) {
        if (!admitted) {
            Map<String, String> headers = new HashMap<>(cors);
            headers.put("WWW-Authenticate", "Bearer");
            reply(ctx, request, HttpResponseStatus.UNAUTHORIZED, "a valid grant for this id is required", headers);
            return;
        }
        String body;
        if (credentials == null) {
            body = IceServersJson.withoutTurn(staticServers);
        } else {
            TurnCredentials.Credential minted = credentials.mint(id, clock.instant().getEpochSecond());
            body = IceServersJson.withTurn(turnUrls, minted.username(), minted.password(), credentials.ttlSeconds(),
                    staticServers);
        }
        Map<String, String> headers = new HashMap<>(cors);
        headers.put("Cache-Control", "no-store");
        HttpResponses.send(ctx, request, HttpResponseStatus.OK, JSON,
                Unpooled.copiedBuffer(body, StandardCharsets.UTF_8), headers);
    }

    /** The answer names the origin it is for, so caches keep one per origin. */
    private static Map<String, String> corsHeaders(String origin) {
        return Map.of("Access-Control-Allow-Origin", origin, "Vary", "Origin");
    }

    private static void reply(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status,
            String text, Map<String, String> headers) {
        Map<String, String> all = new HashMap<>(headers);
        all.put("Cache-Control", "no-store");
        HttpResponses.send(ctx, request, status, "text/plain; charset=utf-8",
                Unpooled.copiedBuffer(text + "\n", StandardCharsets.UTF_8), all);
    }
}
