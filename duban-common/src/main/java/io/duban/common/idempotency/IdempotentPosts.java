package io.duban.common.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.duban.common.security.CurrentCaller;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import java.util.function.Supplier;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * A POST made safe to retry by its {@value #HEADER} header (SPEC.md, "API conventions", asks it of every POST
 * that creates; task-service takes it on its lifecycle actions too, which phones resend after a lost answer):
 * without the header it simply runs; with it, {@link IdempotencyStore} runs it once per caller and key,
 * and a retry gets the first response again with {@code Idempotent-Replayed: true}. The key is bound to
 * the request's path as well as its body, so one key cannot stand for two different requests.
 */
@ApplicationScoped
public class IdempotentPosts {

    public static final String HEADER = "Idempotency-Key";

    /** What every POST that takes the header says of it in its OpenAPI description. */
    public static final String DESCRIPTION = "Makes a retry safe: 1-200 visible ASCII characters, scoped to the caller,"
            + " kept 48 hours. A retry with the same key, path and body gets the first response again (header"
            + " `Idempotent-Replayed: true`) without doing anything twice; the same key with another path or body"
            + " answers 422; a retry while the first request still runs answers 409. Failed requests are not remembered.";

    private final IdempotencyStore store;
    private final CurrentCaller caller;
    private final ObjectMapper json;

    public IdempotentPosts(IdempotencyStore store, CurrentCaller caller, ObjectMapper json) {
        this.store = store;
        this.caller = caller;
        this.json = json;
    }

    /**
     * Runs {@code post} once for the request's key ({@code key}, the header as JAX-RS gave it, or read from
     * {@code headers} when that is null), or as it is when there is none. {@code view} is the body's type,
     * to read a stored first response back.
     */
    public <T> RestResponse<T> once(String key, HttpHeaders headers, UriInfo uri, Object request, Class<T> view,
            Supplier<RestResponse<T>> post) {
        key = key(key, headers);
        if (key == null) {
            return post.get();
        }
        @SuppressWarnings("unchecked")
        RestResponse<T>[] first = new RestResponse[1];
        IdempotencyStore.Outcome o = store.create(caller.get().username(), key, uri.getPath(), request, () -> {
            first[0] = post.get();
            return new IdempotencyStore.Response(first[0].getStatus(), first[0].getHeaderString(HttpHeaders.LOCATION),
                    first[0].getHeaderString(HttpHeaders.ETAG), first[0].getEntity());
        });
        return o.replayed() ? replay(o, view) : first[0];
    }

    /**
     * The key sent: {@code fromParam} as JAX-RS gave it, else read from the headers; "" when the header came
     * empty (a client that means to be idempotent: never create twice for it); null when there is none.
     */
    public static String key(String fromParam, HttpHeaders headers) {
        if (fromParam != null) {
            return fromParam;
        }
        List<String> sent = headers.getRequestHeader(HEADER);
        if (sent == null || sent.isEmpty()) {
            return null;
        }
        return sent.get(0) == null ? "" : sent.get(0);
    }

    /** A stored first response as it was sent, marked as a replay. */
    public <T> RestResponse<T> replay(IdempotencyStore.Outcome o, Class<T> view) {
        T body;
        try {
            // Read back with the offsets it was written with (+08:00), not moved to UTC: the same text again.
            body = json.readerFor(view).without(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE).readValue(o.body());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored idempotent response does not read back", e);
        }
        RestResponse.ResponseBuilder<T> r = RestResponse.ResponseBuilder.create(RestResponse.Status.fromStatusCode(o.status()), body);
        if (o.location() != null) {
            r.header(HttpHeaders.LOCATION, o.location());
        }
        if (o.etag() != null) {
            r.header(HttpHeaders.ETAG, o.etag());
        }
        return r.header("Idempotent-Replayed", "true").build();
    }
}
