package dev.rendezvous.transport;

import io.netty.handler.codec.http.HttpRequest;

/**
 * Whether a request carries a grant for the ID it asks TURN credentials for: the same grant that
 * admits a socket ({@code token=} in the query, or {@code Authorization: Bearer}), for the same ID.
 * Without grants configured every request is admitted.
 */
@FunctionalInterface
public interface GrantCheck {

    GrantCheck OFF = (request, rawQuery, id) -> true;

    /**
     * @param rawQuery the request's query string, not decoded; null when it has none
     * @param id       the ID the credentials would name, already valid
     */
    boolean admits(HttpRequest request, String rawQuery, String id);
}
