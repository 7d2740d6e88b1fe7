package io.duban.system.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A service's JSON API as a client sees it, with a bearer token per call. {@link #call} returns
 * whatever came back (or throws the I/O failure, for tests that tell refused connections from reset
 * ones); {@link #expect} insists on a status and returns the body as JSON.
 */
public final class ServiceApi {

    public static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<String> baseUri;
    private final HttpClient http;

    /** {@code baseUri} is asked at every call, so that a service started again on a new port is followed. */
    public ServiceApi(Supplier<String> baseUri) {
        this.baseUri = baseUri;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    public static ServiceApi of(ServiceProcess service) {
        return new ServiceApi(service::baseUri);
    }

    /** One request; a body (any object) is sent as JSON. */
    public HttpResponse<String> call(String token, String method, String path, Object body)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUri.get() + path))
                .timeout(Duration.ofSeconds(60)).header("Accept", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** One request that must answer {@code status}; its body as JSON (null when empty). */
    public JsonNode expect(int status, String token, String method, String path, Object body) {
        try {
            HttpResponse<String> r = call(token, method, path, body);
            if (r.statusCode() != status) {
                throw new AssertionError(method + " " + path + ": expected " + status + ", got " + r.statusCode()
                        + " " + r.body());
            }
            return r.body().isEmpty() ? null : JSON.readTree(r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public JsonNode get(String token, String path) {
        return expect(200, token, "GET", path, null);
    }
}
