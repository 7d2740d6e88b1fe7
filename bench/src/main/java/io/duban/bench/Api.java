package io.duban.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/** The few calls the harness makes to set up and discover its data, on one connection per caller. */
final class Api implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    private final String hostHeader;
    private final String token;
    private final HttpConnection connection;

    Api(URI base, String token) {
        this.hostHeader = base.getHost() + ":" + base.getPort();
        this.token = token;
        this.connection = new HttpConnection(base);
    }

    /** The bytes of a request with this caller's token and the extra headers. */
    byte[] request(String method, String path, String json, String... headerPairs) {
        Map<String, String> h = new LinkedHashMap<>();
        if (token != null) {
            h.put("Authorization", "Bearer " + token);
        }
        for (int i = 0; i + 1 < headerPairs.length; i += 2) {
            h.put(headerPairs[i], headerPairs[i + 1]);
        }
        return HttpConnection.request(method, hostHeader, path, h, json);
    }

    HttpConnection.Response get(String path, String... headerPairs) {
        return send(request("GET", path, null, headerPairs));
    }

    HttpConnection.Response post(String path, String json, String... headerPairs) {
        return send(request("POST", path, json, headerPairs));
    }

    /** GET that must answer 200; its JSON. */
    JsonNode getJson(String path) {
        HttpConnection.Response r = get(path);
        return json(r, path, 200);
    }

    /** POST that must answer one of the statuses; its JSON (or null when empty). */
    JsonNode postJson(String path, String json, int... ok) {
        HttpConnection.Response r = post(path, json);
        return json(r, path, ok);
    }

    static JsonNode json(HttpConnection.Response r, String what, int... ok) {
        for (int s : ok) {
            if (r.status() == s) {
                try {
                    return r.body().length == 0 ? null : JSON.readTree(r.body());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        throw new IllegalStateException(what + " answered " + r.status() + ": " + r.text());
    }

    private HttpConnection.Response send(byte[] request) {
        try {
            return connection.send(request);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        connection.close();
    }
}
