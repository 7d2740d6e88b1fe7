package io.duban.common.web;

import io.duban.common.problem.ProblemException;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Refuses, before anything else runs, requests no client of ours sends: a URI, headers or a body
 * beyond the limits (414, 431, 413), and control characters or broken Unicode in the path or a
 * query parameter (400). Each answer is problem+json like every other refusal. The HTTP layer's own
 * limits (quarkus.http.limits.*) are set above these, so that requests up to them reach this filter;
 * only beyond those does the server close the connection with a bare status.
 */
public class RequestGuard {

    /** `duban.http.*`: what one request may carry. */
    @ConfigMapping(prefix = "duban.http")
    public interface Limits {
        /** The request line's URI, in bytes as sent (percent-encoded). */
        @WithDefault("8192")
        int maxUriLength();

        /** All header names and values together, in characters. */
        @WithDefault("20480")
        int maxHeaderSize();

        /** A request body, in bytes. */
        @WithDefault("10485760")
        long maxBodySize();
    }

    private final Limits limits;

    public RequestGuard(Limits limits) {
        this.limits = limits;
    }

    @ServerRequestFilter(preMatching = true)
    public void guard(HttpServerRequest request, HttpHeaders headers, UriInfo uri) {
        // The request target as sent: path and query, still percent-encoded.
        if (request.uri().length() > limits.maxUriLength()) {
            throw new ProblemException(414, "uri-too-long", limits.maxUriLength());
        }
        long headerSize = 0;
        for (Map.Entry<String, List<String>> h : headers.getRequestHeaders().entrySet()) {
            for (String v : h.getValue()) {
                headerSize += h.getKey().length() + (v == null ? 0 : v.length()) + 4;
            }
        }
        if (headerSize > limits.maxHeaderSize()) {
            throw new ProblemException(431, "headers-too-large", limits.maxHeaderSize());
        }
        String length = headers.getHeaderString(HttpHeaders.CONTENT_LENGTH);
        if (length != null && tooLong(length)) {
            throw new ProblemException(413, "body-too-large", limits.maxBodySize() / (1024 * 1024));
        }
        String path = decodedPath(request.path());
        if (path == null || Texts.lineFlaw(path) != null) {
            throw new ProblemException(400, "bad-path");
        }
        for (Map.Entry<String, List<String>> p : uri.getQueryParameters().entrySet()) {
            String flaw = Texts.lineFlaw(p.getKey());
            for (String v : p.getValue()) {
                flaw = flaw != null ? flaw : Texts.lineFlaw(v);
            }
            if (flaw != null) {
                throw new ProblemException(400, "bad-parameter",
                        List.of(new ProblemException.FieldError(safe(p.getKey()), flaw)), safe(p.getKey()));
            }
        }
    }

    /**
     * The path as sent, percent-decoded once, as UTF-8; null when an escape is malformed. Not
     * UriInfo.getPath(): RESTEasy decodes the already decoded path again there, so `%25` followed by
     * text ("/units/A%25n") made it throw, and the 500 came out of this filter.
     */
    static String decodedPath(String raw) {
        if (raw == null) {
            return "";
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int hi = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int lo = hi < 0 ? -1 : Character.digit(raw.charAt(i + 2), 16);
                if (lo < 0) {
                    return null;
                }
                bytes.write(hi * 16 + lo);
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private boolean tooLong(String contentLength) {
        try {
            return Long.parseLong(contentLength.strip()) > limits.maxBodySize();
        } catch (NumberFormatException e) {
            throw new ProblemException(400, "http-400");
        }
    }

    /** A parameter name fit to repeat in the answer. */
    private static String safe(String name) {
        return Texts.lineFlaw(name) == null ? name : "?";
    }
}
