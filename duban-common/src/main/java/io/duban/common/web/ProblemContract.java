package io.duban.common.web;

import io.duban.common.problem.Problem;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.SortedSet;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * Writes into a service's OpenAPI document what every operation shares and the annotations would
 * only repeat: the problem+json responses (RFC 9457) each kind of operation can give, and the
 * conditional-request headers (ETag, 304, 412, 428). The rules follow
 * {@link io.duban.common.problem.ProblemMappers}, {@link Etags} and the resources. A service
 * applies it with a subclass of its own annotated {@code @OpenApiFilter(stages = BUILD)}, adding what only
 * it has: the document is complete at build time, stored and served alike.
 */
public class ProblemContract implements OASFilter {

    private static final String PROBLEM = "#/components/schemas/Problem";

    private static final Map<String, String> WHY = Map.ofEntries(
            Map.entry("400", "Malformed JSON, a wrong type, or a field that fails validation (errors lists them)"),
            Map.entry("401", "No valid bearer token"),
            Map.entry("403", "The caller's role may not do this"),
            Map.entry("404", "No such resource, or one the caller may not see (another unit's)"),
            Map.entry("409", "The current state does not allow it, or a duplicate"),
            Map.entry("410", "The change token is older than the retention: fetch in full"),
            Map.entry("412", "If-Match names a version that is no longer current"),
            Map.entry("422", "The request is well-formed but cannot be accepted (unknown reference, rule broken)"),
            Map.entry("428", "If-Match is required"),
            Map.entry("500", "The service failed; nothing is revealed beyond this"),
            Map.entry("503", "The service cannot take the request just now (its database is restarting or failing over, or this instance is shutting down); nothing was changed; retry after Retry-After"));

    private static final Map<String, String> HEADERS = Map.of(
            "If-Match", "The ETag you last read. A stale one answers 412 and changes nothing.",
            "If-None-Match", "An ETag you hold. When it is still current the answer is 304 with no body.");

    @Override
    public void filterOpenAPI(OpenAPI api) {
        if (api.getComponents() == null) {
            api.setComponents(OASFactory.createComponents());
        }
        api.getComponents().addSchema("Problem", problemSchema(getClass().getClassLoader()));
        if (api.getPaths() == null) {
            return;
        }
        api.getPaths().getPathItems().forEach((path, item) -> item.getOperations()
                .forEach((method, op) -> {
                    describe(path, method, op);
                    describeMore(path, method, op);
                }));
    }

    /** What only one service's operations have; nothing by default. */
    protected void describeMore(String path, PathItem.HttpMethod method, Operation op) {
    }

    private static void describe(String path, PathItem.HttpMethod method, Operation op) {
        APIResponses responses = op.getResponses();
        boolean ifMatch = hasHeader(op, "If-Match");
        boolean ifNoneMatch = hasHeader(op, "If-None-Match");
        if (op.getParameters() != null) {
            for (Parameter p : op.getParameters()) {
                if (p.getIn() == Parameter.In.HEADER && p.getDescription() == null) {
                    p.setDescription(HEADERS.get(p.getName()));
                }
                if (method == PathItem.HttpMethod.PATCH && "If-Match".equals(p.getName())) {
                    p.setRequired(true);
                }
            }
        }
        boolean writes = method == PathItem.HttpMethod.POST || method == PathItem.HttpMethod.PUT
                || method == PathItem.HttpMethod.PATCH;
        if (op.getSecurity() != null && !op.getSecurity().isEmpty()) {
            problems(responses, "401", "403");
        }
        problems(responses, "500", "503");
        if (writes || hasQuery(op)) {
            problems(responses, "400", "422");
        }
        if (path.contains("{")) {
            problems(responses, "404");
        }
        if (writes && method != PathItem.HttpMethod.PUT) {
            problems(responses, "409");
        }
        if (ifMatch) {
            problems(responses, "412");
        }
        if (method == PathItem.HttpMethod.PATCH) {
            problems(responses, "428");
        }
        if (ifNoneMatch) {
            responses.addAPIResponse("304", OASFactory.createAPIResponse()
                    .description("Not modified: If-None-Match names the current ETag; no body")
                    .addHeader("ETag", etagHeader()));
        }
        if (ifNoneMatch) {
            APIResponse ok = responses.getAPIResponse("200");
            if (ok != null && ok.getContent() != null) {
                ok.addHeader("ETag", etagHeader());
            }
        }
    }

    protected static void problems(APIResponses responses, String... codes) {
        for (String code : codes) {
            if (!responses.hasAPIResponse(code)) {
                responses.addAPIResponse(code, OASFactory.createAPIResponse().description(WHY.get(code))
                        .content(problemContent()));
            } else if (responses.getAPIResponse(code).getContent() == null) {
                responses.getAPIResponse(code).content(problemContent());
            }
        }
    }

    protected static Header etagHeader() {
        return OASFactory.createHeader().description("The current version; send it as If-Match or If-None-Match")
                .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING));
    }

    protected static Header stringHeader(String description) {
        return OASFactory.createHeader().description(description)
                .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING));
    }

    private static Content problemContent() {
        MediaType media = OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM));
        return OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, media);
    }

    private static boolean hasHeader(Operation op, String name) {
        return op.getParameters() != null && op.getParameters().stream()
                .anyMatch(p -> p.getIn() == Parameter.In.HEADER && name.equalsIgnoreCase(p.getName()));
    }

    private static boolean hasQuery(Operation op) {
        return op.getParameters() != null && op.getParameters().stream().anyMatch(p -> p.getIn() == Parameter.In.QUERY);
    }

    /**
     * Every problem code the service can answer: the ones its catalogues (its own and the shared one) title,
     * as {@code loader} (the service's, also while Quarkus builds the document) finds them.
     */
    public static SortedSet<String> problemCodes(ClassLoader loader) {
        SortedSet<String> codes = new TreeSet<>();
        for (String name : new String[] { "messages.problems", "messages.common" }) {
            ResourceBundle bundle;
            try {
                bundle = ResourceBundle.getBundle(name, Locale.ROOT, loader);
            } catch (MissingResourceException e) {
                continue;
            }
            for (String key : bundle.keySet()) {
                if (key.startsWith("title.")) {
                    codes.add(key.substring("title.".length()));
                }
            }
        }
        return codes;
    }

    private static Schema problemSchema(ClassLoader loader) {
        Schema string = OASFactory.createSchema().addType(Schema.SchemaType.STRING);
        Schema field = OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .addProperty("field", string).addProperty("message", string);
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("RFC 9457 problem details; `detail` in Chinese, or English with Accept-Language: en")
                .addProperty("type", OASFactory.createSchema().addType(Schema.SchemaType.STRING).format("uri"))
                .addProperty("title", string)
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER))
                .addProperty("detail", string)
                .addProperty("instance", string)
                .addProperty("code", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .description("stable machine-readable problem code; `type` is " + Problem.TYPE_PREFIX
                                + " followed by it")
                        .enumeration(new ArrayList<>(problemCodes(loader))))
                .addProperty("errors", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY).items(field));
    }
}
