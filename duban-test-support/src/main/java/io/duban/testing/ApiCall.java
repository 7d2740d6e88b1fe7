package io.duban.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One request to an operation with real data: the path parameter values, query parameters, headers
 * and JSON body that make it meaningful (an item dispatched to a unit, that unit's code, the year
 * 2026), and the unit whose handler may act on it. A matrix entry prepares one; the matrix sends it
 * as each role, the fuzzer takes it as the starting point of its variations.
 */
public final class ApiCall {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern TEMPLATE = Pattern.compile("\\{([^}]+)}");

    private final Map<String, String> path = new LinkedHashMap<>();
    private final Map<String, List<String>> query = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String json;
    private String unit;

    private ApiCall() {
    }

    public static ApiCall call() {
        return new ApiCall();
    }

    public ApiCall path(String name, Object value) {
        path.put(name, String.valueOf(value));
        return this;
    }

    /** A query parameter; called again with the same name, it repeats. */
    public ApiCall query(String name, Object value) {
        query.computeIfAbsent(name, k -> new ArrayList<>()).add(String.valueOf(value));
        return this;
    }

    public ApiCall header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** The body: a map or list written as JSON, or a string that already is JSON text. */
    public ApiCall json(Object body) {
        try {
            this.json = body instanceof String s ? s : JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        return this;
    }

    /** The unit the resource belongs to: its handler gets through, another unit's handler gets 404. */
    public ApiCall ownedBy(String unitCode) {
        this.unit = unitCode;
        return this;
    }

    public Map<String, String> pathValues() {
        return path;
    }

    public Map<String, List<String>> queryValues() {
        return query;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** The JSON text of the body, or null. */
    public String json() {
        return json;
    }

    public String unit() {
        return unit;
    }

    /** The request target for a path template such as `/api/v1/tasks/{id}`, values percent-encoded. */
    public String target(String template) {
        Map<String, String> encodedPath = new LinkedHashMap<>();
        path.forEach((k, v) -> encodedPath.put(k, encode(v)));
        Map<String, List<String>> encodedQuery = new LinkedHashMap<>();
        query.forEach((k, vs) -> encodedQuery.put(encode(k), vs.stream().map(ApiCall::encode).toList()));
        return target(template, encodedPath, encodedQuery);
    }

    /** A target from values that are already encoded as they are to be sent (the fuzzer's odd ones). */
    static String target(String template, Map<String, String> encodedPath, Map<String, List<String>> encodedQuery) {
        Matcher m = TEMPLATE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = encodedPath.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("no value for {" + m.group(1) + "} of " + template);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        char sep = '?';
        for (Map.Entry<String, List<String>> q : encodedQuery.entrySet()) {
            for (String v : q.getValue()) {
                out.append(sep).append(q.getKey()).append('=').append(v);
                sep = '&';
            }
        }
        return out.toString();
    }

    /** Percent-encodes everything but RFC 3986's unreserved characters, as UTF-8. */
    public static String encode(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
