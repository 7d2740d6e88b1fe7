package io.duban.report;

import io.duban.common.problem.ProblemException;
import io.duban.common.security.CurrentCaller;
import io.duban.common.security.Roles;
import io.duban.common.web.Etags;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The ranking rule (考核评分规则); the ranking itself is GET /api/v1/reports/ranking. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Ranking", description = "考核排名与评分规则")
@SecurityRequirement(name = "jwt")
public class RankingResource {

    /** Bounds of a weight: a typing mistake, not a policy, beyond them. */
    static final int MAX_WEIGHT = 1000;

    private final Ranking ranking;
    private final CurrentCaller caller;
    private final Clock clock;

    public RankingResource(Ranking ranking, CurrentCaller caller, Clock clock) {
        this.ranking = ranking;
        this.caller = caller;
        this.clock = clock;
    }

    @GET
    @Path("/ranking-rules")
    @RolesAllowed({ Roles.ADMIN, Roles.SUPERVISOR, Roles.LEADER, Roles.HANDLER, Roles.SERVICE })
    @Operation(summary = "The ranking rule's weights, with an ETag for PUT",
            description = "The weights GET /api/v1/reports/ranking scores units with (SPEC.md's default until an admin"
                    + " changes them).")
    @APIResponse(responseCode = "200", description = "The rule", content = @Content(schema = @Schema(implementation = Ranking.Rule.class)))
    @APIResponse(responseCode = "304", description = "If-None-Match names the current version")
    public Response rule(@HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch) {
        Ranking.Rule r = ranking.rule();
        return Etags.answer(r, Etags.of(r.version()), ifNoneMatch).toResponse();
    }

    @PUT
    @Path("/ranking-rules")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Replace the ranking rule's weights (admin; If-Match with the ETag of GET)",
            description = "Every weight between -1000 and 1000. Later rankings use the new rule; bulletins keep theirs.")
    @APIResponse(responseCode = "200", description = "The new rule", content = @Content(schema = @Schema(implementation = Ranking.Rule.class)))
    public Response replace(@HeaderParam("If-Match") String ifMatch, Ranking.Rule body) {
        if (body == null) {
            throw ProblemException.invalid("body", "field.required");
        }
        int[] weights = { body.base(), body.onTime(), body.late(), body.overdue(), body.urge(), body.ratingExcellent(),
                body.ratingGood(), body.ratingFair(), body.ratingPoor() };
        String[] names = { "base", "onTime", "late", "overdue", "urge", "ratingExcellent", "ratingGood", "ratingFair", "ratingPoor" };
        for (int i = 0; i < weights.length; i++) {
            if (Math.abs(weights[i]) > MAX_WEIGHT) {
                throw ProblemException.invalid(names[i], "field.range", -MAX_WEIGHT, MAX_WEIGHT);
            }
        }
        long current = ranking.rule().version();
        Etags.requireMatch(ifMatch, current);
        Ranking.Rule r = ranking.replace(body, current, caller.get().username(), clock.instant());
        return Response.ok(r).tag(Etags.of(r.version()).replace("\"", "")).build();
    }
}
