package io.duban.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Sends generated requests to every operation of a service's OpenAPI document: path values, the
 * declared query parameters and headers, and JSON bodies from the request schemas, each valid, valid
 * but odd, or invalid (see {@link FuzzValues}), with the token of a role the authorization matrix lets
 * through, starting from the real data the matrix entry prepares and feeding back what earlier answers
 * gave out (ids, cursors, change tokens). Every answer must be
 * <ul>
 * <li>below 500;</li>
 * <li>for a 4xx, RFC 9457 problem+json whose `status` is the HTTP status, with a title, a detail
 * and a code;</li>
 * <li>a refusal when the body's media type is not one the document declares for the operation, and
 * when the token is bad;</li>
 * <li>for a refused request (4xx), and for any GET, without a change to any row of the service's
 * tables (counted before and after, as the server's administrator).</li>
 * </ul>
 * A run is one seeded sequence: the seed is logged and in every failure, and
 * {@code -Dduban-fuzz.seed=} replays it ({@code -Dduban-fuzz.requests=} sets the length).
 */
public final class OpenApiFuzzer {

    private static final System.Logger LOG = System.getLogger(OpenApiFuzzer.class.getName());
    private static final int MAX_REPORTED = 25;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final OpenApiDocument doc;
    private final AuthorizationMatrix matrix;
    private final RowFingerprint rows;
    private final RawHttp http = RawHttp.service();
    /** Tokens by role and unit: signing one per request would cost more than the request. */
    private final Map<String, String> tokens = new HashMap<>();
    private long preparing;
    private long sending;
    private long counting;

    public OpenApiFuzzer(OpenApiDocument doc, AuthorizationMatrix matrix, RowFingerprint rows) {
        this.doc = doc;
        this.matrix = matrix;
        this.rows = rows;
    }

    /** The seed of this run: {@code -Dduban-fuzz.seed}, or a fresh one. */
    public static long seed() {
        String s = System.getProperty("duban-fuzz.seed");
        return s == null || s.isBlank() ? new Random().nextLong() : Long.parseLong(s.strip());
    }

    /** How many requests: {@code -Dduban-fuzz.requests}, or the test's default. */
    public static int requests(int byDefault) {
        return Integer.getInteger("duban-fuzz.requests", byDefault);
    }

    /** What a run did: requests per status class, failures found (the first few described). */
    public record Result(long seed, int requests, Map<String, Integer> statuses, Map<String, Integer> perOperation,
            int failureCount, List<String> failures, String timing) {

        public String summary() {
            return "seed " + seed + ", " + requests + " requests, answers " + statuses + ", " + failureCount
                    + " failures; " + timing;
        }

        /** Throws with every failure described and how to replay the run. */
        public void assertClean() {
            if (failureCount > 0) {
                throw new AssertionError("Fuzzing found " + failureCount + " failures (" + summary() + ")."
                        + " Replay: -Dduban-fuzz.seed=" + seed + " -Dduban-fuzz.requests=" + requests + "\n"
                        + String.join("\n", failures));
            }
        }
    }

    public Result run(long seed, int requests) {
        LOG.log(Level.INFO, "fuzzing {0} requests with seed {1} (replay: -Dduban-fuzz.seed={1})",
                requests, Long.toString(seed));
        Random rnd = new Random(seed);
        FuzzValues values = new FuzzValues(rnd, doc);
        List<OpenApiDocument.Operation> ops = doc.operations().stream()
                .filter(op -> matrix.entry(op.key()) != null).toList();
        if (ops.isEmpty()) {
            throw new IllegalStateException("no operation of the document is in the matrix");
        }
        Map<String, ApiCall> baselines = new HashMap<>();
        Map<String, String> etags = new HashMap<>();
        Map<String, Integer> statuses = new TreeMap<>();
        Map<String, Integer> perOperation = new TreeMap<>();
        List<String> failures = new ArrayList<>();
        int failureCount = 0;
        matrix.otherUnit(); // made now, if the setup makes it, not between two row counts
        RowFingerprint.Snapshot snapshot = rows.take();

        for (int n = 1; n <= requests; n++) {
            OpenApiDocument.Operation op = ops.get(rnd.nextInt(ops.size()));
            AuthorizationMatrix.Entry entry = matrix.entry(op.key());
            ApiCall baseline = baselines.get(op.key());
            if (baseline == null) {
                long started = System.nanoTime();
                baseline = entry.setup().prepare();
                baselines.put(op.key(), baseline);
                preparing += System.nanoTime() - started;
                snapshot = take();
            }
            Request request = request(values, op, entry, baseline, etags.get(op.key()));
            RawHttp.Response r;
            long t = System.nanoTime();
            try {
                r = http.send(request.method, request.target, request.headers, request.body);
            } catch (RuntimeException e) {
                failureCount++;
                report(failures, seed, n, request, "no answer: " + e.getMessage(), null);
                snapshot = take();
                continue;
            } finally {
                sending += System.nanoTime() - t;
            }
            statuses.merge(r.status() / 100 + "xx", 1, Integer::sum);
            perOperation.merge(op.key(), 1, Integer::sum);
            r.header("ETag").ifPresent(tag -> etags.put(op.key(), tag));
            if (r.status() < 300 && r.contentType().startsWith("application/json") && r.body().length < 200_000) {
                values.harvest(json(r));
            }

            String failure = null;
            if (r.status() >= 500) {
                failure = "answered " + r.status();
            } else if (request.badToken && op.secured() && request.method.equals(op.method()) && r.status() < 400) {
                // 401 usually; a request refused before authentication (a bad path, 400) is refused too.
                failure = "a bad token got through with " + r.status();
            } else if (request.undeclaredBody && r.status() < 300) {
                failure = "accepted a body of a type the document does not declare ("
                        + request.headers.get("Content-Type") + ")";
            } else if (r.status() >= 400 && ProblemJson.flaw(r) != null) {
                failure = "answered " + r.status() + " but " + ProblemJson.flaw(r);
            }
            RowFingerprint.Snapshot now = take();
            boolean mustNotWrite = r.status() >= 400 || request.method.equals("GET");
            if (failure == null && mustNotWrite) {
                List<String> changed = now.changesSince(snapshot);
                if (!changed.isEmpty()) {
                    failure = (r.status() >= 400 ? "refused with " + r.status() : "a GET") + " but changed rows: " + changed;
                }
            }
            snapshot = now;
            if (failure != null) {
                failureCount++;
                report(failures, seed, n, request, failure, r);
            }
            // A successful change moves the data on (dispatched, cancelled): often the next request starts
            // afresh, sometimes it meets the new state (409s, replays) on the same data.
            if (r.status() < 300 && !request.method.equals("GET") && rnd.nextInt(3) == 0) {
                baselines.remove(op.key());
            }
        }
        String timing = String.format("%.1f s preparing data, %.1f s sending, %.1f s counting rows",
                preparing / 1e9, sending / 1e9, counting / 1e9);
        Result result = new Result(seed, requests, statuses, perOperation, failureCount, failures, timing);
        LOG.log(Level.INFO, "fuzzing done: {0}; per operation {1}", result.summary(), perOperation);
        return result;
    }

    private static JsonNode json(RawHttp.Response r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            return MissingNode.getInstance();
        }
    }

    private RowFingerprint.Snapshot take() {
        long t = System.nanoTime();
        try {
            return rows.take();
        } finally {
            counting += System.nanoTime() - t;
        }
    }

    /** One generated request, as sent. */
    private record Request(String who, String method, String target, Map<String, String> headers, byte[] body,
            String bodyKind, boolean badToken, boolean undeclaredBody) {
    }

    private Request request(FuzzValues v, OpenApiDocument.Operation op, AuthorizationMatrix.Entry entry, ApiCall base,
            String etag) {
        Map<String, String> path = new LinkedHashMap<>();
        Map<String, List<String>> query = new LinkedHashMap<>();
        Map<String, String> headers = new LinkedHashMap<>();
        for (OpenApiDocument.Parameter p : doc.parameters(op)) {
            switch (p.in()) {
                case "path" -> path.put(p.name(), v.parameter(p.schema(), base.pathValues().get(p.name())));
                case "query" -> query(v, p, base, query);
                case "header" -> {
                    String fixed = base.headers().get(p.name());
                    if (fixed != null && v.chance(0.6)) {
                        headers.put(p.name(), fixed);
                    } else if (v.chance(0.5)) {
                        headers.put(p.name(), v.header(p.name(), etag));
                    }
                }
                default -> {
                    // cookies: none in our documents
                }
            }
        }
        // Parameters the baseline sets that the document does not declare go as they are.
        base.queryValues().forEach((k, vs) -> query.putIfAbsent(ApiCall.encode(k), vs.stream().map(ApiCall::encode).toList()));
        if (v.chance(0.05)) {
            query.put(v.pick(new String[] { "unknown", "limit", "%00", "a%5B%5D", "" }),
                    List.of(ApiCall.encode(v.pick(FuzzValues.ODD_TEXT))));
        }
        base.headers().forEach(headers::putIfAbsent);

        byte[] body = null;
        String bodyKind = "";
        JsonNode schema = doc.requestSchema(op);
        if (!schema.isMissingNode()) {
            FuzzValues.Body b = v.body(schema, base.json());
            body = b.bytes();
            bodyKind = b.kind();
            headers.put("Content-Type", v.chance(0.93) ? "application/json" : v.pick(new String[] { "text/plain",
                "application/xml", "application/json; charset=ISO-8859-1", "application/x-www-form-urlencoded",
                "application/json;charset=utf-16", "application/merge-patch+json", "*/*", "application/json; x=\"" }));
        } else if (v.chance(0.05)) {
            body = "{\"unexpected\":true}".getBytes(StandardCharsets.UTF_8);
            bodyKind = "unexpected body";
            headers.put("Content-Type", "application/json");
        }
        if (v.chance(0.1)) {
            headers.put("Accept-Language", v.pick(new String[] { "en", "zh-CN", "xx", "*", "en;q=abc", "", "zh-TW,en;q=0.5" }));
        }
        if (v.chance(0.05)) {
            headers.put("Accept", v.pick(new String[] { "application/json", "*/*", "application/xml", "text/csv", "text/html",
                "application/problem+json", "" }));
        }

        // Mostly a role the matrix lets through (the handler of the data's unit), so that requests get
        // past security; now and then one that it does not, or a token that is no token.
        String who;
        boolean badToken = false;
        List<String> allowed = DevTokens.ROLES.stream().filter(entry.roles()::contains).toList();
        if (v.chance(0.03)) {
            String bad = v.pick(new String[] { "Bearer", "Bearer ", "Bearer x.y.z", "Basic YWRtaW46YWRtaW4=", "bearer",
                "Bearer " + DevTokens.supervisor() + "x", "Bearer " + DevTokens.admin().substring(0, 40),
                "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJtYWxsb3J5IiwiZ3JvdXBzIjpbImFkbWluIl19." });
            headers.put("Authorization", bad);
            who = "bad token";
            badToken = true;
        } else if (entry.open() && v.chance(0.5)) {
            who = "no token";
        } else {
            String role = v.chance(0.04) || allowed.isEmpty() ? v.pick(DevTokens.ROLES) : v.pick(allowed);
            headers.put("Authorization", "Bearer " + tokens.computeIfAbsent(role + " " + base.unit(),
                    k -> matrix.tokenFor(role, base)));
            who = role;
        }
        String method = op.method();
        if (v.chance(0.01)) {
            method = v.pick(new String[] { "DELETE", "PUT", "PATCH", "OPTIONS", "TRACE" });
        }
        // Text the JDK client cannot put in a header goes as its UTF-8 bytes, control characters dropped.
        headers.replaceAll((k, val) -> RawHttp.sendableHeaderValue(val) ? val
                : FuzzValues.latin1(val).replaceAll("[\\x00-\\x1f\\x7f]", ""));
        headers.entrySet().removeIf(h -> !RawHttp.sendableHeaderValue(h.getValue()));
        shorten(path, query);
        String target = ApiCall.target(op.path(), path, query);
        if (v.chance(0.03)) {
            target = reshaped(v, target);
        }
        // A body the operation does not say it takes (text/plain where it takes JSON) must be refused, not read.
        Set<String> declared = doc.requestMediaTypes(op);
        String sentType = headers.getOrDefault("Content-Type", "").split(";")[0].strip().toLowerCase(Locale.ROOT);
        boolean undeclaredBody = body != null && method.equals(op.method()) && !declared.isEmpty()
                && declared.stream().noneMatch(d -> compatible(sentType, d));
        return new Request(who, method, target, headers, body, bodyKind, badToken, undeclaredBody);
    }

    /** Whether a sent media type names the declared one, or is a wildcard (any type, any application type) that does. */
    private static boolean compatible(String sent, String declared) {
        if (sent.equals(declared) || sent.equals("*/*")) {
            return true;
        }
        return sent.endsWith("/*") && declared.startsWith(sent.substring(0, sent.length() - 1));
    }

    /** The same path written oddly: a trailing or doubled slash, a dot segment, matrix parameters, capitals. */
    private static String reshaped(FuzzValues v, String target) {
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? "" : target.substring(q);
        int slash = path.lastIndexOf('/');
        path = switch (v.below(6)) {
            case 0 -> path + "/";
            case 1 -> path.replaceFirst("/api/", "//api/");
            case 2 -> path.substring(0, slash) + "/." + path.substring(slash);
            case 3 -> path + ";jsessionid=x;a=%00";
            case 4 -> path.toUpperCase(Locale.ROOT);
            default -> path.substring(0, slash) + "/../" + path.substring(slash + 1);
        };
        return path + query;
    }

    /**
     * Keeps the request line under the HTTP layer's own limit (64 KB), where the server closes with a
     * bare status before any of our code can answer: the longest values give way.
     */
    private static void shorten(Map<String, String> path, Map<String, List<String>> query) {
        while (path.values().stream().mapToInt(String::length).sum()
                + query.values().stream().flatMap(List::stream).mapToInt(String::length).sum() > 40_000) {
            String longestPath = path.entrySet().stream()
                    .max(Map.Entry.comparingByValue(Comparator.comparingInt(String::length)))
                    .map(Map.Entry::getKey).orElse(null);
            int pathLength = longestPath == null ? 0 : path.get(longestPath).length();
            String longestQuery = null;
            int queryLength = 0;
            for (Map.Entry<String, List<String>> q : query.entrySet()) {
                int length = q.getValue().stream().mapToInt(String::length).sum();
                if (length > queryLength) {
                    longestQuery = q.getKey();
                    queryLength = length;
                }
            }
            if (pathLength >= queryLength) {
                path.put(longestPath, "x");
            } else {
                query.put(longestQuery, List.of("x"));
            }
        }
    }

    /** A declared query parameter: the baseline's value, a generated one, several, or none at all. */
    private static void query(FuzzValues v, OpenApiDocument.Parameter p, ApiCall base, Map<String, List<String>> query) {
        String name = ApiCall.encode(p.name());
        List<String> given = base.queryValues().get(p.name());
        if (given != null && v.chance(0.3)) {
            query.put(name, given.stream().map(ApiCall::encode).toList());
            return;
        }
        if ((given == null && !p.required() && v.chance(0.5)) || v.chance(0.03)) {
            query.put(name, List.of());
            return;
        }
        JsonNode schema = p.schema();
        List<String> values = new ArrayList<>();
        if (v.kind(schema) == FuzzValues.Kind.ARRAY) {
            int n = v.chance(0.05) ? 200 : 1 + v.below(3);
            for (int i = 0; i < n; i++) {
                values.add(v.parameter(schema.path("items"), null));
            }
        } else {
            String first = given == null ? null : given.get(0);
            values.add(v.parameter(schema, first));
            if (v.chance(0.05)) {
                values.add(v.parameter(schema, first));
            }
        }
        query.put(name, values);
    }

    private static void report(List<String> failures, long seed, int n, Request q, String failure, RawHttp.Response r) {
        if (failures.size() >= MAX_REPORTED) {
            return;
        }
        StringBuilder b = new StringBuilder();
        b.append("  #").append(n).append(" (seed ").append(seed).append(") ").append(q.method).append(' ')
                .append(RawHttp.abbreviate(q.target, 300)).append(" as ").append(q.who).append(": ").append(failure);
        Map<String, String> shown = new LinkedHashMap<>(q.headers);
        shown.computeIfPresent("Authorization", (k, val) -> RawHttp.abbreviate(val, 20));
        b.append("\n      headers ").append(shown);
        if (q.body != null) {
            b.append("\n      body (").append(q.bodyKind).append(", ").append(q.body.length).append(" bytes) ")
                    .append(RawHttp.abbreviate(new String(q.body, StandardCharsets.UTF_8), 400));
        }
        if (r != null) {
            b.append("\n      answer ").append(r.contentType()).append(' ').append(RawHttp.abbreviate(r.text(), 400));
        }
        failures.add(b.toString());
    }
}
