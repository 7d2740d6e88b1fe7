package io.duban.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A service's own OpenAPI document, as the running service publishes it at {@code /q/openapi}: its
 * operations, their parameters and request body schemas ({@code $ref}s resolved on demand). What the
 * authorization matrix and the fuzzer enumerate, so that a new endpoint is covered the moment it is
 * published.
 */
public final class OpenApiDocument {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    private final JsonNode root;

    private OpenApiDocument(JsonNode root) {
        this.root = root;
    }

    /** The document of the service under test (a @QuarkusTest's own application). */
    public static OpenApiDocument ofServiceUnderTest() {
        RawHttp.Response r = RawHttp.service().send("GET", "/q/openapi?format=json", Map.of(), null);
        if (r.status() != 200) {
            throw new IllegalStateException("/q/openapi answered " + r.status());
        }
        return parse(r.text());
    }

    public static OpenApiDocument parse(String json) {
        try {
            return new OpenApiDocument(JSON.readTree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One operation: `METHOD /path/{param}`, as the document names it. */
    public record Operation(String method, String path, JsonNode node) {

        public String key() {
            return method + " " + path;
        }

        /** Whether the operation declares a security requirement (a bearer token). */
        public boolean secured() {
            JsonNode security = node.path("security");
            return security.isArray() && !security.isEmpty();
        }

        public boolean declaresResponse(int status) {
            return node.path("responses").has(Integer.toString(status));
        }

        @Override
        public String toString() {
            return key();
        }
    }

    /** A parameter: where it goes (path, query, header), its name, whether required, its schema. */
    public record Parameter(String in, String name, boolean required, JsonNode schema) {
    }

    /** Every operation, ordered by path and method. */
    public List<Operation> operations() {
        Map<String, Operation> ops = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> paths = root.path("paths").fields();
        while (paths.hasNext()) {
            Map.Entry<String, JsonNode> p = paths.next();
            Iterator<Map.Entry<String, JsonNode>> methods = p.getValue().fields();
            while (methods.hasNext()) {
                Map.Entry<String, JsonNode> m = methods.next();
                if (METHODS.contains(m.getKey())) {
                    Operation op = new Operation(m.getKey().toUpperCase(Locale.ROOT), p.getKey(), m.getValue());
                    ops.put(p.getKey() + " " + op.method(), op);
                }
            }
        }
        return List.copyOf(ops.values());
    }

    public List<Parameter> parameters(Operation op) {
        List<Parameter> out = new ArrayList<>();
        for (JsonNode p : op.node().path("parameters")) {
            JsonNode param = resolve(p);
            out.add(new Parameter(param.path("in").asText(), param.path("name").asText(),
                    param.path("required").asBoolean(false), resolve(param.path("schema"))));
        }
        return out;
    }

    /** The JSON schema of the request body, resolved; a missing node when the operation takes no JSON body. */
    public JsonNode requestSchema(Operation op) {
        JsonNode content = resolve(op.node().path("requestBody")).path("content");
        JsonNode json = content.path("application/json");
        return json.isMissingNode() ? MissingNode.getInstance() : resolve(json.path("schema"));
    }

    /** The media types the request body may have (`application/json`…); empty when there is no body. */
    public Set<String> requestMediaTypes(Operation op) {
        Set<String> out = new TreeSet<>();
        resolve(op.node().path("requestBody")).path("content").fieldNames().forEachRemaining(out::add);
        return out;
    }

    /** Follows a local `$ref` (`#/components/schemas/X`); any other node as it is. */
    public JsonNode resolve(JsonNode node) {
        JsonNode n = node;
        for (int hops = 0; n.has("$ref") && hops < 20; hops++) {
            String ref = n.get("$ref").asText();
            if (!ref.startsWith("#/")) {
                throw new IllegalStateException("only local references are supported: " + ref);
            }
            n = root.at(ref.substring(1));
        }
        return n;
    }
}
