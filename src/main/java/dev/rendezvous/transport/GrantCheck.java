package dev.rendezvous.transport;

import io.netty.handler.codec.http.HttpRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Whether a request carries a grant for the ID it asks TURN credentials for: the same grant that
 * admits a socket ({@code token=} in the query, or {@code Authorization: Bearer}), for the same ID.
 * Without grants configured every request is admitted. Asynchronous, because a grant from a JWKS
 * may need a key fetch, which never runs on an event loop.
 */
@FunctionalInterface
public interface GrantCheck {

    GrantCheck OFF = (request, rawQuery, id) -> CompletableFuture.completedFuture(true);

    /**
     * @param rawQuery the request's query string, not decoded; null when it has none
     * @param id       the ID the credentials would name, already valid
     */
    CompletionStage<Boolean> admits(HttpRequest request, String rawQuery, String id);
}
