package io.duban.system.support;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * JSON over HTTP to one service (a {@link ServiceProcess}, or anything with a base URI), as a caller
 * with a bearer token. {@link #call} gives whatever came back, or throws the I/O failure as it is (for
 * tests that tell a refused connection from a reset one, or a timeout); {@link #expect} asserts the status.
 * The base URI is asked at every call, so that a service started again on a new port is followed.
 */
public final class Api {

    public static final ObjectMapper JSON = new ObjectMapper();
    /** No request of a test waits longer than this for its answer: a hang fails the call. */
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    private final Supplier<String> baseUri;

    private Api(Supplier<String> baseUri) {
        this.baseUri = baseUri;
    }

    public static Api of(ServiceProcess service) {
        return new Api(service::baseUri);
    }

    /** What came back: the status, the content type (empty if none), the body and every header. */
    public record Answer(int status, String contentType, String body, Map<String, List<String>> headers) {

        public boolean ok() {
            return status / 100 == 2;
        }

        /** The first value of a header (names are case-insensitive). */
        public Optional<String> header(String name) {
            return headers.entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase(name))
                    .flatMap(h -> h.getValue().stream()).findFirst();
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + body, e);
            }
        }
    }

    /** Sends one request; I/O failures (connection refused, the timeout) are thrown as they are. */
    public Answer call(String token, String method, String path, Object body) throws IOException {
        return call(token, method, path, body, Map.of());
    }

    /** The same, with extra request headers (e.g. a caller's {@code traceparent}). */
    public Answer call(String token, String method, String path, Object body, Map<String, String> headers)
            throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUri.get() + path))
                .timeout(REQUEST_TIMEOUT).header("Accept", "application/json");
        headers.forEach(b::header);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body(),
                    r.headers().map());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Sends one request and asserts its status; returns the body. */
    public String expect(String token, String method, String path, Object body, int expected) {
        try {
            Answer a = call(token, method, path, body);
            assertEquals(expected, a.status(), method + " " + path + ": " + a.body());
            return a.body();
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path, e);
        }
    }

    public String post(String token, String path, Object body, int expected) {
        return expect(token, "POST", path, body, expected);
    }

    public JsonNode get(String token, String path) {
        try {
            return JSON.readTree(expect(token, "GET", path, null, 200));
        } catch (IOException e) {
            throw new IllegalStateException(path, e);
        }
    }

    /** Whether {@code /q/health/ready} answers 200 now. */
    public boolean ready() {
        try {
            return call(null, "GET", "/q/health/ready", null).status() == 200;
        } catch (IOException e) {
            return false;
        }
    }
}
