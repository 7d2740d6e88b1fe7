package io.duban.task.rest;

import io.duban.common.web.ProblemContract;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import java.util.Set;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

/**
 * task-service's additions to the shared {@link ProblemContract}: the ETag that every item response
 * carries, the Location of created resources, the idempotent replay header and the feed's 410.
 */
// "implements OASFilter" again: Quarkus finds build-time filters only among classes that name it themselves.
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class OpenApiContract extends ProblemContract implements OASFilter {

    private static final Set<String> LOCATED = Set.of("/api/v1/tasks", "/api/v1/units", "/api/v1/people");

    @Override
    protected void describeMore(String path, PathItem.HttpMethod method, Operation op) {
        APIResponses responses = op.getResponses();
        if (path.endsWith("/me/assignments")) {
            problems(responses, "410");
        }
        // Every response that carries an item carries its ETag, and so does the mobile feed.
        for (String code : Set.of("200", "201")) {
            APIResponse ok = responses.getAPIResponse(code);
            if (ok != null && (returns(ok, "Item") || returns(ok, "AssignmentFeed"))) {
                ok.addHeader("ETag", etagHeader());
            }
        }
        if (method == PathItem.HttpMethod.POST && LOCATED.contains(path) && responses.hasAPIResponse("201")) {
            responses.getAPIResponse("201").addHeader("Location", stringHeader("The new resource"));
        }
        if (path.equals("/api/v1/tasks") && method == PathItem.HttpMethod.POST) {
            responses.getAPIResponse("201").addHeader("Idempotent-Replayed",
                    stringHeader("true when this is the stored response to an earlier request with the same key"));
        }
    }

    private static boolean returns(APIResponse response, String schema) {
        return response.getContent() != null && response.getContent().getMediaTypes().values().stream()
                .anyMatch(m -> m.getSchema() != null && ("#/components/schemas/" + schema).equals(m.getSchema().getRef()));
    }
}
